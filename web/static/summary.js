// The one-line summary under the demo's timeline: what the last storm of
// api.fetch calls did, in numbers.

/**
 * Describes a storm: all its rows, its refresh bands, whether it is still in
 * flight, how long it took (ms), and waitedForRefresh(row), whether a row's
 * first send waited for a refresh.
 */
export function describeStorm (all, bandsNow, active, total, waitedForRefresh) {
  if (!all.length && !bandsNow.length) return 'Revoke the access tokens, then fire a burst: one refresh serves every request.'
  const got401 = all.filter((r) => r.attempts[0]?.status === 401).length
  const calledOff = all.filter((r) => r.attempts[0]?.calledOff).length
  const retried = all.filter((r) => r.attempts.length > 1).length
  const waitedFirst = all.filter((r) => r.attempts.length && waitedForRefresh(r)).length
  const statuses = {}
  for (const r of all.filter((r) => r.end !== undefined)) statuses[r.status || 'rejected'] = (statuses[r.status || 'rejected'] ?? 0) + 1
  const n = bandsNow.length
  const refreshText = n === 0 ? 'no refresh' : `${n} refresh${n === 1 ? '' : 'es'}: ` + bandsNow.map((b) => b.adopted
    ? 'adopted from another tab'
    : b.end === undefined ? 'in flight' : `${b.outcome} in ${Math.round(b.end - b.start)} ms`).join(', ')
  return [
    `${all.length} request${all.length === 1 ? '' : 's'}`,
    got401 && `${got401} got 401`,
    calledOff && `${calledOff} called off`,
    refreshText,
    retried && `${retried} retried`,
    waitedFirst && `${waitedFirst} waited for it before sending`,
    active ? 'in flight…' : `settled ${Object.entries(statuses).map(([k, v]) => `${v} × ${k}`).join(', ')} in ${total} ms`
  ].filter(Boolean).join(' · ')
}
