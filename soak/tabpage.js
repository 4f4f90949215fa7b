// The tab mode's page script (see tabpage.go): it runs once per page life as
// the body of an async function, after common.js, with TAB, LIFE, B, SEED,
// CAP, INFLIGHT and COURIER defined before it.

const soak = window.soak = {
	go: null,
	life: TAB + '.' + LIFE,
	ready: false,         // set once the clients exist
	// Per request of this life (see newRequests), and when it started, on
	// the clock of the time the page was not frozen (activeNow).
	...newRequests(CAP),
	startedAt: new Float64Array(CAP),
	next: 0,              // requests this life started
	round: 0,             // the round that runRound runs, and what it started
	roundStarted: 0,
	leaving: false,       // set by snapshot(true), before a reload: no request starts after it
	frozenMs: 0,          // how long the page was frozen
	frozenSince: -1,
	calls: [],            // this life's refresh calls: { call, spent, status, ms }
	refreshInFlight: 0,
	refreshIdle: [],      // resolve functions, called when no refresh call is in flight
	refreshWithAuth: 0,
	authfailures: [],     // { status, reason, at }: at is Date.now(), the clock the server's records use too
	events: { refresh: 0, adopted: 0, authfailure: 0, refresherror: 0, timeouts: 0, tokens: 0 },
	errorReasons: {},     // refresherror reasons, by their first words
	staleSends: [],
	calledOff: [],        // ids of the attempts authfetch called off (aborted with its own signal)
	relogins: 0,          // logins after an 'authfailure'
	undone: [],           // refresh outcomes that replaced tokens other than the ones their call spent
	stoodDown: 0,         // refresh outcomes not applied: a login or a logout came while their call was on its way
	slowest: { id: '', ms: 0 }, // the promise that took longest to settle, frozen time aside
	stalledBodies: 0,     // response bodies still unread 5 s after their response (see one)
};

// A frozen page runs nothing; a request it had in flight is not late for that.
document.addEventListener('freeze', () => { soak.frozenSince = performance.now(); });
document.addEventListener('resume', () => {
	if (soak.frozenSince >= 0) soak.frozenMs += performance.now() - soak.frozenSince;
	soak.frozenSince = -1;
});
const activeNow = () => performance.now() - soak.frozenMs;

const tokenNumber = (tok) => { const m = /^tabs-[ar](\d+)$/.exec(tok || ''); return m ? Number(m[1]) : -1; };
const indexOf = (id) => Number(id.slice(id.lastIndexOf('.') + 1));

// The fetch wrapper: every request and refresh of the module goes through
// it. A refresh call gets an X-Soak-Call header, so that the server's record
// of it names this page life.
const realFetch = window.fetch;
window.fetch = function (input, init) {
	try {
		if (input instanceof Request) {
			const u = new URL(input.url);
			if (u.origin === location.origin && u.pathname === '/api/item') {
				const id = u.searchParams.get('id');
				const auth = input.headers.get('Authorization');
				const cur = localStorage.getItem('accessToken');
				if (auth && cur !== null && tokenNumber(cur) > tokenNumber(auth.slice('Bearer '.length))) {
					soak.staleSends.push('id ' + id + ' sent ' + auth + ' while the storage held ' + cur);
				}
				if (init?.signal) {
					// authfetch's own signal: it aborts an attempt to call it off.
					const p = realFetch(input, init);
					p.catch((e) => { if (e?.name === 'AbortError' && soak.kindOf[indexOf(id)] !== 4) soak.calledOff.push(id); });
					return p;
				}
			}
		} else if (String(input).endsWith('/auth/refresh-token')) {
			return refreshCall(input, init);
		}
	} catch (e) {
		console.error('soak: the fetch wrapper failed', e);
	}
	return realFetch(input, init);
};

// startCall records a refresh call of this page life and names it: the
// caller sends its X-Soak-Call header.
function startCall(body, headers) {
	if (headers.has('Authorization')) soak.refreshWithAuth++;
	const spent = (/"refreshToken":"([^"]*)"/.exec(body ?? '') || [])[1] ?? null;
	const rec = { call: soak.life + '.' + soak.calls.length, spent, status: -1, ms: 0, started: performance.now() };
	soak.calls.push(rec);
	soak.refreshInFlight++;
	return rec;
}

// endCall notes that a refresh call was answered, or failed, once.
function endCall(rec, status) {
	if (rec.ms) return;
	rec.status = status;
	rec.ms = performance.now() - rec.started;
	if (--soak.refreshInFlight === 0) soak.refreshIdle.splice(0).forEach((wake) => wake());
}

function refreshCall(input, init) {
	const headers = new Headers(init?.headers);
	const rec = startCall(init?.body, headers);
	headers.set('X-Soak-Call', rec.call);
	const p = realFetch(input, { ...init, headers });
	p.then((r) => {
		// A copy of the body, read to see it arrive (see bodyStalled).
		rec.answeredAt = performance.now();
		r.clone().arrayBuffer().then(() => { rec.bodyAt = performance.now(); }, () => { rec.bodyAt = performance.now(); });
		endCall(rec, r.status);
	}, () => endCall(rec, 0));
	return p;
}

// With the courier, authfetch hands each refresh to the service worker
// (postMessage, with a port for the worker's replies) and the worker sends
// it: the wrapper names the call with the same header, and relays the
// worker's replies through a port of its own, to see the answer come. A
// message the worker never acknowledges (it came past its deadline, and the
// page sent the refresh itself) ends its call after 5 s.
if (COURIER) {
	const realPost = ServiceWorker.prototype.postMessage;
	ServiceWorker.prototype.postMessage = function (msg, transfer) {
		const pagePort = transfer?.[0];
		if (msg?.type !== 'refresh' || !pagePort) return realPost.call(this, msg, transfer);
		const rec = startCall(msg.init.body, new Headers(msg.init.headers));
		const unacked = setTimeout(() => endCall(rec, 0), 5000);
		const { port1, port2 } = new MessageChannel();
		port1.onmessage = (e) => {
			clearTimeout(unacked);
			if (e.data?.answer) {
				rec.answeredAt = rec.bodyAt = performance.now();
				endCall(rec, e.data.answer.status);
			} else if (!e.data?.ack) {
				endCall(rec, 0);
			}
			pagePort.postMessage(e.data);
		};
		const headers = [...msg.init.headers, ['X-Soak-Call', rec.call]];
		return realPost.call(this, { ...msg, init: { ...msg.init, headers } }, [port2]);
	};
}

// bodyStalled reports whether the body of a refresh call's answer is still
// not there 5 s after its status came: Chromium may never deliver a body
// that was arriving when the page was frozen (see one), and then authfetch
// waits for the answer as long as it allows (it holds the Web Lock), and
// never learns the tokens that the server rotated.
const bodyStalled = (c) => c.answeredAt !== undefined && c.bodyAt === undefined && performance.now() - c.answeredAt > 5000;

// What each write of the refresh token by this page replaced. authfetch
// fires a refresh's 'refresh' or 'authfailure' right after it stored the
// outcome, so the last write then says what the outcome replaced: the
// refresh token the call spent, unless a login or a logout (in any tab)
// stored other tokens while the call was on its way.
let lastReplaced = null;
for (const name of ['setItem', 'removeItem']) {
	const real = Storage.prototype[name];
	Storage.prototype[name] = function (key, ...rest) {
		if (this === localStorage && key === 'refreshToken') lastReplaced = this.getItem(key);
		return real.call(this, key, ...rest);
	};
}

// checkReplaced notes an outcome of this page's refresh call that replaced
// tokens the call did not spend: a login's, which it undid (a success
// replaced them, or a rejection removed them), or none after a logout,
// which a success undid. The last login or logout of any tab is in
// soak:auth.
function checkReplaced(outcome) {
	const call = soak.calls[soak.calls.length - 1];
	if (!call || lastReplaced === call.spent || (lastReplaced === null && outcome === 'rejection')) return;
	soak.undone.push(call.call + ': its ' + outcome + ' (spent ' + call.spent + ') replaced ' + lastReplaced +
		'; the last login or logout: ' + localStorage.getItem('soak:auth'));
}

await hookGo(soak);
const { createAuthFetch, moduleStats } = await import('/js/authfetch.js');

// Two clients of the default session, as two parts of an app would have.
soak.clients = [];
// The first client's debug entries count the refresh outcomes that stood
// down for a login or a logout while their call was on its way (the session's
// decisions reach it).
const options = COURIER ? { refreshTimeoutMs: 1000, refreshWorker: '/js/authfetch-sw.js' } : { refreshTimeoutMs: 1000 };
const stoodDown = (d) => { if (d.type === 'adopt' && /while the refresh was on its way/.test(d.reason ?? '')) soak.stoodDown++; };
for (let i = 0; i < 2; i++) soak.clients.push(await createAuthFetch(i ? options : { ...options, debug: stoodDown }));
const first = soak.clients[0];
first.on('refresh', (d) => {
	soak.events[d.adopted ? 'adopted' : 'refresh']++;
	if (!d.adopted) checkReplaced('success');
});
first.on('tokens', () => { soak.events.tokens++; });
// A rejected refresh logs the session out: log in again, as an app's login
// page would, while the requests go on.
first.on('authfailure', (d) => {
	soak.events.authfailure++;
	soak.authfailures.push({ status: d.status ?? 0, reason: String(d.reason), at: Date.now() });
	if (d.status) checkReplaced('rejection');
	soak.relogins++;
	soak.login().catch((e) => console.error('soak: logging in again', e));
});
first.on('refresherror', (d) => {
	soak.events.refresherror++;
	if (/timed out/.test(d.reason)) soak.events.timeouts++;
	const r = String(d.reason).replace(/^POST \S+: /, '').replace(/\d+/g, 'N').slice(0, 50);
	soak.errorReasons[r] = (soak.errorReasons[r] ?? 0) + 1;
});

const random = prng((SEED * 7919 + TAB * 131 + LIFE) >>> 0);

// one sends request i of this life. Chromium 156 may never finish a
// response body that was arriving when the page was frozen through CDP
// (Page.setWebLifecycleState), with or without authfetch: the body is
// waited for 5 s, and then counted as stalled.
async function one(i) {
	const id = soak.life + '.' + i;
	soak.startedAt[i] = activeNow();
	const settled = () => {
		const ms = activeNow() - soak.startedAt[i];
		if (ms > soak.slowest.ms) soak.slowest = { id, ms };
	};
	const c = soak.clients[Math.floor(random() * soak.clients.length)];
	await sendOne(soak, i, c, '/api/item?s=tabs&id=' + id, id, random, { settled, bodyLimitMs: 5000 });
}

// runRound starts count requests, at most INFLIGHT unsettled at once, unless
// the page is leaving first, and reports when all it started have settled
// (or after limitMs). It runs only in the life it was meant for.
soak.runRound = async (life, round, count, limitMs) => {
	if (life !== soak.life || !soak.ready) throw new Error('soak: not page life ' + life);
	soak.round = round;
	soak.roundStarted = 0;
	const worker = async () => {
		while (!soak.leaving && soak.roundStarted < count && soak.next < CAP) {
			soak.roundStarted++;
			await one(soak.next++);
		}
	};
	const all = Promise.all(Array.from({ length: Math.min(INFLIGHT, count) }, worker));
	await Promise.race([all, new Promise((r) => setTimeout(r, limitMs))]);
	return { started: soak.roundStarted, leaving: soak.leaving };
};

soak.login = async () => {
	const r = await realFetch('/login?s=tabs', { method: 'POST' });
	if (!r.ok) throw new Error('soak: login: ' + r.status);
	const t = await r.json();
	soak.clients[Math.floor(random() * soak.clients.length)].setTokens(t);
	localStorage.setItem('soak:auth', 'login in ' + soak.life + ' of ' + t.refreshToken);
};

soak.logout = () => {
	soak.clients[Math.floor(random() * soak.clients.length)].clearTokens();
	localStorage.setItem('soak:auth', 'logout in ' + soak.life);
};

// memory waits until no refresh call of this page is in flight and no Web
// Lock is held, then reports what the module holds.
soak.memory = async () => {
	if (soak.refreshInFlight > 0) await new Promise((r) => soak.refreshIdle.push(r));
	await locksReleased();
	return heldByModule(moduleStats, soak.go);
};

// snapshot reports this life so far, synchronously; with leave, no request
// starts after it (the page is about to be loaded again).
soak.snapshot = (leave) => {
	if (leave) soak.leaving = true;
	const now = activeNow(), outcomes = {}, pendingIDs = [];
	let settledOnce = 0, doubled = 0, oldestPendingMs = 0;
	for (let i = 0; i < soak.next; i++) {
		const n = soak.settled[i];
		if (n === 1) settledOnce++;
		else if (n > 1) doubled++;
		else {
			pendingIDs.push(soak.life + '.' + i);
			oldestPendingMs = Math.max(oldestPendingMs, now - soak.startedAt[i]);
		}
		const o = outcomeOf(soak, i);
		outcomes[o] = (outcomes[o] ?? 0) + 1;
	}
	return {
		life: soak.life, started: soak.next, round: soak.round, roundStarted: soak.roundStarted,
		settledOnce, doubled, pendingIDs, oldestPendingMs, frozenMs: soak.frozenMs, outcomes,
		calls: soak.calls.map((c) => ({ call: c.call, status: c.status, ms: c.ms, stalled: bodyStalled(c) })), refreshWithAuth: soak.refreshWithAuth, authfailures: soak.authfailures,
		events: soak.events, errorReasons: soak.errorReasons,
		staleSends: soak.staleSends.slice(0, 10), staleSendCount: soak.staleSends.length, calledOff: soak.calledOff,
		relogins: soak.relogins, undone: soak.undone, stoodDown: soak.stoodDown,
		slowest: soak.slowest, stalledBodies: soak.stalledBodies, requests: soak.clients.reduce((n, c) => n + c.stats().requests, 0),
	};
};

soak.ready = true;
