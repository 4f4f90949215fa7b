// What both page scripts share (see page.go): it runs first, in the same
// function body, with B (origin B's URL) defined before it.

// A small seeded PRNG (mulberry32), so that a seed replays the same choices.
function prng(a) {
	return () => {
		a |= 0; a = a + 0x6D2B79F5 | 0;
		let t = Math.imul(a ^ a >>> 15, 1 | a);
		t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
		return ((t ^ t >>> 14) >>> 0) / 4294967296;
	};
}

// The kinds of request, by the number kindOf keeps.
const kinds = ['get', 'post', 'other-origin', 'redirect', 'abort'];

// newRequests returns the records of up to n requests, in arrays allocated
// once, so that the soak's own records do not grow the JS heap it measures:
// how often each settled, its kind, and its outcome (an index into
// outcomeNames).
function newRequests(n) {
	return {
		settled: new Uint8Array(n),
		kindOf: new Uint8Array(n),
		outcomeOf: new Uint16Array(n),
		outcomeNames: ['pending'],
		outcomeIndex: new Map([['pending', 0]]),
	};
}

function setOutcome(rec, i, o) {
	let n = rec.outcomeIndex.get(o);
	if (n === undefined) {
		n = rec.outcomeNames.length;
		rec.outcomeNames.push(o);
		rec.outcomeIndex.set(o, n);
	}
	rec.outcomeOf[i] = n;
}

// outcomeOf names how request i ended: its kind and status, or how it was
// rejected or its body failed.
function outcomeOf(rec, i) {
	const name = rec.outcomeNames[rec.outcomeOf[i]];
	return /^rejected|^body/.test(name) ? name : kinds[rec.kindOf[i]] + ' ' + name;
}

// sendOne sends request i of rec with client c, of a kind chosen with
// random: a GET or a POST of item (an /api/item URL whose id is id), a GET
// of origin B directly or through a redirect, or a GET of item aborted
// within 30 ms. It resolves once the request's promise has settled and its
// body has been read, having recorded both. Options: settled(i) is called
// when the promise settles; after bodyLimitMs (when given) a body not read
// yet is left unread and counted in rec.stalledBodies.
async function sendOne(rec, i, c, item, id, random, { settled, bodyLimitMs } = {}) {
	const roll = random();
	let p, ctrl, kind;
	if (roll < 0.84) {
		kind = 0;
		p = c.fetch(item);
	} else if (roll < 0.91) {
		kind = 1;
		p = c.fetch(item, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id }) });
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
	rec.kindOf[i] = kind;
	const settle = () => { rec.settled[i]++; settled?.(i); };
	let r;
	try {
		r = await p.then(v => { settle(); return v; }, e => { settle(); throw e; });
	} catch (e) {
		setOutcome(rec, i, e?.name === 'AbortError' && ctrl ? 'aborted' : 'rejected: ' + (e?.name ?? e) + ' ' + (e?.message ?? ''));
		return;
	}
	setOutcome(rec, i, String(r.status));
	const read = r.arrayBuffer().then(() => true, (e) => {
		if (!(ctrl && e?.name === 'AbortError')) setOutcome(rec, i, 'body: ' + e?.name);
		return true;
	});
	const limit = bodyLimitMs === undefined ? new Promise(() => {}) : new Promise(r => setTimeout(() => r(false), bodyLimitMs));
	if (!await Promise.race([read, limit])) rec.stalledBodies = (rec.stalledBodies ?? 0) + 1;
}

// hookGo makes every run of the module (one per Go instance) hook.go, to
// read the module's memory and its table of JS values. It wraps the run
// method of authfetch's own Go class, the one the loader imports from
// go.js, so it must run before the first client starts the module.
async function hookGo(hook) {
	const { Go } = await import('/js/go.js');
	const run = Go.prototype.run;
	Go.prototype.run = function (instance) {
		hook.go = this;
		return run.call(this, instance);
	};
}

// locksReleased resolves once no Web Lock of the origin is held, by this
// page or another: a refresh wakes its requests before it tells the other
// tabs, under its lock, and holds js.Funcs of its own until then. Asking
// for a held lock waits for its holder.
async function locksReleased() {
	for (;;) {
		const { held } = await navigator.locks.query();
		if (held.length === 0) return;
		await Promise.all(held.map(l => navigator.locks.request(l.name, () => {})));
	}
}

// heldByModule reports what the module holds: its Go heap and live js.Funcs
// (moduleStats), its linear memory, and its table of live JS values before
// and after a forced Go GC. moduleStats collects Go's garbage; the second
// call, a turn of the event loop later, comes after the finalizers of the
// first have released the JS values Go no longer holds. Without that, the
// count of JS values held by Go is a sawtooth that follows Go's GC cycle,
// not a leak.
async function heldByModule(moduleStats, go) {
	const liveRefs = () => go?._values ? go._values.length - go._idPool.length : -1;
	const before = liveRefs();
	await moduleStats();
	await new Promise(r => setTimeout(r, 0));
	const held = await moduleStats();
	return {
		goHeap: held.heapBytes,
		liveFuncs: held.liveFuncs,
		wasmBytes: go?._inst?.exports?.mem?.buffer?.byteLength ?? -1,
		liveRefs: liveRefs(),
		liveRefsBeforeGC: before,
	};
}
