// The soak's page script (see page.go): it runs once in the page as the body
// of an async function, with B, SEED and REQUESTS defined before it.

const soak = window.soak = {
	go: null,
	// Per request id, in arrays allocated once, so that the soak's own
	// records do not grow the JS heap it measures: settlements, kind, and
	// the outcome (an index into outcomeNames).
	settled: new Uint8Array(REQUESTS),
	started: new Uint8Array(REQUESTS),
	kindOf: new Uint8Array(REQUESTS),
	outcomeOf: new Uint16Array(REQUESTS),
	outcomeNames: ['pending'],
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

// A small seeded PRNG (mulberry32), so that a seed replays the same choices.
function prng(a) {
	return () => {
		a |= 0; a = a + 0x6D2B79F5 | 0;
		let t = Math.imul(a ^ a >>> 15, 1 | a);
		t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
		return ((t ^ t >>> 14) >>> 0) / 4294967296;
	};
}

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

await import('/wasm_exec.js');
const WasmExecGo = globalThis.Go;
globalThis.Go = class extends WasmExecGo {
	constructor() { super(); soak.go = this; }
};

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
const kinds = ['get', 'post', 'other-origin', 'redirect', 'abort'];
const outcomeIndex = new Map([['pending', 0]]);
function setOutcome(id, o) {
	let i = outcomeIndex.get(o);
	if (i === undefined) {
		i = soak.outcomeNames.length;
		soak.outcomeNames.push(o);
		outcomeIndex.set(o, i);
	}
	soak.outcomeOf[id] = i;
}

// one sends request id from a client chosen at random, of a kind chosen at
// random, and records how often its promise settles and how.
async function one(id) {
	const { s, c } = soak.clients[Math.floor(random() * soak.clients.length)];
	const roll = random();
	const item = '/api/item?s=' + s + '&id=' + id;
	let p, ctrl, kind;
	if (roll < 0.84) {
		kind = 0;
		p = c.fetch(item);
	} else if (roll < 0.91) {
		kind = 1;
		p = c.fetch(item, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: String(id) }) });
	} else if (roll < 0.95) {
		kind = 2;
		p = c.fetch(B + '/direct?id=' + id);
	} else if (roll < 0.97) {
		kind = 3;
		p = c.fetch('/redirect?to=' + encodeURIComponent(B + '/landing?id=' + id));
	} else {
		kind = 4;
		ctrl = new AbortController();
		setTimeout(() => ctrl.abort(), Math.floor(random() * 30));
		p = c.fetch(item, { signal: ctrl.signal });
	}
	soak.started[id] = 1;
	soak.kindOf[id] = kind;
	let r;
	try {
		r = await p.then(v => { soak.settled[id]++; return v; }, e => { soak.settled[id]++; throw e; });
	} catch (e) {
		setOutcome(id, e?.name === 'AbortError' && ctrl ? 'aborted' : 'rejected: ' + (e?.name ?? e) + ' ' + (e?.message ?? ''));
		return;
	}
	setOutcome(id, String(r.status));
	try { await r.arrayBuffer(); } catch (e) { if (!(ctrl && e?.name === 'AbortError')) setOutcome(id, 'body: ' + e?.name); }
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
	const before = soak.measure();
	const held = await soak.goStats();
	return { ...soak.measure(), goHeap: held.heapBytes, liveFuncs: held.liveFuncs, liveRefsBeforeGC: before.liveRefs };
};

// refreshesDone waits, at most limitMs, until no refresh call is in flight
// (the fetch wrapper's count), then 100 ms for the session to store what it
// got (IndexedDB, the Web Lock): a refresh that outlived refreshTimeoutMs
// keeps running after the requests it released have settled, and holds
// js.Funcs while it does. authfetch exposes no signal for that storing, so
// the last wait is a delay, before a measurement, not a check.
async function refreshesDone(limitMs) {
	if (Object.values(soak.refreshInFlight).some(n => n > 0)) {
		await Promise.race([new Promise(r => soak.refreshIdle.push(r)), new Promise(r => setTimeout(r, limitMs))]);
	}
	await new Promise(r => setTimeout(r, 100));
}

// goStats asks the module for its Go heap and live js.Funcs. moduleStats
// collects Go's garbage; the second call, a turn of the event loop later,
// comes after the finalizers of the first have released the JS values Go no
// longer holds. Without that, the count of JS values held by Go is a sawtooth
// that follows Go's GC cycle, not a leak.
soak.goStats = async () => {
	await moduleStats();
	await new Promise(r => setTimeout(r, 0));
	return moduleStats();
};

// measure reports the module's memory and its table of live JS values.
soak.measure = () => {
	const go = soak.go;
	return {
		wasmBytes: go?._inst?.exports?.mem?.buffer?.byteLength ?? -1,
		liveRefs: go?._values ? go._values.length - go._idPool.length : -1,
	};
};

// summary reports every request's settlements and outcome, and the checks of the wrapper.
soak.summary = () => {
	const outcomes = {};
	let started = 0, settledOnce = 0, lost = 0, doubled = 0;
	const lostIDs = [];
	for (let id = 0; id < REQUESTS; id++) {
		if (!soak.started[id]) continue;
		started++;
		const n = soak.settled[id], kind = kinds[soak.kindOf[id]];
		if (n === 1) settledOnce++;
		else if (n === 0) { lost++; if (lostIDs.length < 10) lostIDs.push(id + ' ' + kind); }
		else doubled++;
		const name = soak.outcomeNames[soak.outcomeOf[id]];
		const o = /^rejected|^body/.test(name) ? name : kind + ' ' + name;
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
