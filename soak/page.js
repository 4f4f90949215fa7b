// The single mode's page script (see page.go): it runs once in the page as
// the body of an async function, after common.js, with B, SEED and REQUESTS
// defined before it.

const soak = window.soak = {
	go: null,
	// Per request id (see newRequests), and whether it started.
	...newRequests(REQUESTS),
	started: new Uint8Array(REQUESTS),
	errorReasons: {},     // refresherror reasons, by their first words
	staleSends: [],       // descriptions of requests sent with a replaced token
	calledOff: [],        // ids of the attempts authfetch called off (aborted with its own signal)
	refreshInFlight: {},  // session → refresh calls in flight now
	refreshIdle: [],      // resolve functions of refreshesDone, called when no refresh call is in flight
	refreshMaxInFlight: {},
	refreshWithAuth: 0,
	refreshMs: [],        // how long each refresh fetch took to answer, in the page
	events: {},           // session → { refresh, authfailure, refresherror }
	relogins: 0,
	loginErrors: [],
};

// sessions: where each session keeps its tokens, and its clients.
const sessions = {
	s1: { area: localStorage, key: 'accessToken', opts: { refreshTimeoutMs: 1000 } },
	s2: { area: localStorage, key: 'at2', opts: { accessTokenKey: 'at2', refreshTokenKey: 'rt2', refreshTimeoutMs: 1000 } },
	s3: { area: sessionStorage, key: 'accessToken', opts: { storage: 'session', refreshTimeoutMs: 1000 } },
};
const clientSessions = ['s1', 's1', 's2', 's3'];

const tokenNumber = (tok) => { const m = /^s\d+-[ar](\d+)$/.exec(tok || ''); return m ? Number(m[1]) : -1; };

const realFetch = window.fetch;
window.fetch = function (input, init) {
	try {
		if (input instanceof Request) {
			const u = new URL(input.url);
			const auth = input.headers.get('Authorization');
			if (u.origin === location.origin && u.pathname === '/api/item' && auth) {
				const s = u.searchParams.get('s');
				const sent = auth.slice('Bearer '.length);
				const cur = sessions[s].area.getItem(sessions[s].key);
				if (sent !== cur && (cur === null || tokenNumber(cur) > tokenNumber(sent))) {
					soak.staleSends.push('id ' + u.searchParams.get('id') + ' sent ' + sent + ' while ' + s + ' held ' + cur);
				}
			}
			if (u.origin === location.origin && u.pathname === '/api/item' && init?.signal) {
				// authfetch's own signal: it aborts an attempt to call it off.
				const id = u.searchParams.get('id');
				const p = realFetch(input, init);
				// Not the soak's own aborts (kind 4), which reach fetch the same way.
				p.catch((e) => { if (e?.name === 'AbortError' && soak.kindOf[Number(id)] !== 4) soak.calledOff.push(id); });
				return p;
			}
		} else if (String(input).endsWith('/auth/refresh-token')) {
			const s = (/"refreshToken":"(s\d+)-/.exec(init?.body ?? '') || [])[1] ?? '?';
			const h = new Headers(init?.headers);
			if (h.has('Authorization')) soak.refreshWithAuth++;
			soak.refreshInFlight[s] = (soak.refreshInFlight[s] ?? 0) + 1;
			soak.refreshMaxInFlight[s] = Math.max(soak.refreshMaxInFlight[s] ?? 0, soak.refreshInFlight[s]);
			const started = performance.now();
			const p = realFetch(input, init);
			p.then(() => {}, () => {}).finally(() => {
				soak.refreshInFlight[s]--;
				if (Object.values(soak.refreshInFlight).every(n => n === 0)) soak.refreshIdle.splice(0).forEach(r => r());
				soak.refreshMs.push(performance.now() - started);
			});
			return p;
		}
	} catch (e) {
		console.error('soak: the fetch wrapper failed', e);
	}
	return realFetch(input, init);
};

await hookGo(soak);
const { createAuthFetch, moduleStats } = await import('/js/authfetch.js');

async function login(s) {
	const r = await realFetch('/login?s=' + s, { method: 'POST' });
	if (!r.ok) throw new Error('login of ' + s + ': ' + r.status);
	return r.json();
}

soak.clients = [];
const firstOf = {};
for (const s of clientSessions) {
	const c = await createAuthFetch(sessions[s].opts);
	soak.clients.push({ s, c });
	if (firstOf[s]) continue;
	firstOf[s] = c;
	soak.events[s] = { refresh: 0, authfailure: 0, refresherror: 0, timeouts: 0 };
	for (const type of ['refresh', 'authfailure', 'refresherror']) c.on(type, () => { soak.events[s][type]++; });
	c.on('refresherror', d => {
		if (/timed out/.test(d.reason)) soak.events[s].timeouts++;
		const r = s + ': ' + String(d.reason).replace(/^POST \S+: /, '').replace(/\d+/g, 'N').slice(0, 50);
		soak.errorReasons[r] = (soak.errorReasons[r] ?? 0) + 1;
	});
	// A rejected refresh logs the session out: log in again, as an app's
	// login page would, while the requests go on.
	c.on('authfailure', () => {
		soak.relogins++;
		login(s).then(t => c.setTokens(t), e => soak.loginErrors.push(String(e)));
	});
}
for (const s of Object.keys(sessions)) firstOf[s].setTokens(await login(s));

const random = prng(SEED);

// one sends request id from a client chosen at random (see sendOne).
async function one(id) {
	const { s, c } = soak.clients[Math.floor(random() * soak.clients.length)];
	soak.started[id] = 1;
	await sendOne(soak, id, c, '/api/item?s=' + s + '&id=' + id, String(id), random);
}

// round sends ids [from, from+count) with at most inflight unsettled at once
// and reports when all have settled, or after limitMs with what is pending.
soak.round = async (from, count, inflight, limitMs) => {
	let next = from;
	const end = from + count;
	const worker = async () => { while (next < end) await one(next++); };
	const all = Promise.all(Array.from({ length: Math.min(inflight, count) }, worker));
	await Promise.race([all, new Promise(r => setTimeout(r, limitMs))]);
	await refreshesDone(limitMs);
	return heldByModule(moduleStats, soak.go);
};

// refreshesDone waits, at most limitMs, until no refresh call is in flight
// (the fetch wrapper's count) and no Web Lock is held (see locksReleased): a
// refresh that outlived refreshTimeoutMs keeps running after the requests it
// released have settled, and holds js.Funcs until it has stored what it got.
async function refreshesDone(limitMs) {
	const idle = async () => {
		if (Object.values(soak.refreshInFlight).some(n => n > 0)) await new Promise(r => soak.refreshIdle.push(r));
		await locksReleased();
	};
	await Promise.race([idle(), new Promise(r => setTimeout(r, limitMs))]);
}

// summary reports every request's settlements and outcome, and the checks of the wrapper.
soak.summary = () => {
	const outcomes = {};
	let started = 0, settledOnce = 0, lost = 0, doubled = 0;
	const lostIDs = [];
	for (let id = 0; id < REQUESTS; id++) {
		if (!soak.started[id]) continue;
		started++;
		const n = soak.settled[id];
		if (n === 1) settledOnce++;
		else if (n === 0) { lost++; if (lostIDs.length < 10) lostIDs.push(id + ' ' + kinds[soak.kindOf[id]]); }
		else doubled++;
		const o = outcomeOf(soak, id);
		outcomes[o] = (outcomes[o] ?? 0) + 1;
	}
	return {
		started, settledOnce, lost, doubled, lostIDs, outcomes, errorReasons: soak.errorReasons,
		staleSends: soak.staleSends.slice(0, 20), staleSendCount: soak.staleSends.length, calledOff: soak.calledOff,
		refreshMaxInFlight: soak.refreshMaxInFlight, refreshWithAuth: soak.refreshWithAuth,
		refreshMs: soak.refreshMs,
		events: soak.events, relogins: soak.relogins, loginErrors: soak.loginErrors,
		stats: soak.clients.map(({ s, c }) => ({ s, ...c.stats() })),
	};
};
