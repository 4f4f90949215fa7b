//go:build !js

package main

import "fmt"

// writeStorm details the refresh storm.
func writeStorm(w writer, cfg config, res *results) {
	if len(res.storm) == 0 {
		return
	}
	w("## Refresh storm\n\n")
	var t table
	t.row(append([]string{fmt.Sprintf("%s requests at once", count(cfg.stormN))}, mapTitles(contenders)...)...)
	settled, perRound, rel := []string{"all settled"}, []string{"each round"}, []string{"× plain fetch by hand"}
	floor := []string{"× (plain fetch, valid token, + one refresh)"}
	toRefresh, refreshes, apiCalls := []string{"first 401 to refresh sent (each round)"}, []string{"refresh calls per round"}, []string{"API requests the server saw, per round"}
	answers, rejected := []string{"final answers (median round)"}, []string{"rejected without an HTTP answer, per round"}
	var floorTimes []float64
	for i, r := range res.stormFloor {
		floorTimes = append(floorTimes, r.MS+res.refreshRTT[i])
	}
	for _, c := range contenders {
		runs := res.storm[c]
		settled = append(settled, ms(median(stormTimes(runs))))
		perRound = append(perRound, joinMS(stormTimes(runs)))
		rel = append(rel, ratio(pairedRatio(stormTimes(runs), stormTimes(res.storm["plain"]))))
		floor = append(floor, ratio(pairedRatio(stormTimes(runs), floorTimes)))
		if xs, seen := stormToRefresh(runs); seen {
			toRefresh = append(toRefresh, fmt.Sprintf("%.1f ms (%s)", median(xs), joinMS(xs)))
		} else {
			toRefresh = append(toRefresh, "– (not through fetch)")
		}
		refreshes = append(refreshes, joinInts(stormCalls(runs)))
		calls := make([]int64, len(runs))
		for i, r := range runs {
			calls[i] = r.APICalls
		}
		apiCalls = append(apiCalls, joinInts(calls))
		n, why := stormRejections(runs)
		rejected = append(rejected, joinInts(n)+why)
		if len(runs) == 0 {
			answers = append(answers, "")
			continue
		}
		r := runs[medianIndex(stormTimes(runs))]
		a := fmt.Sprintf("%d × 200, %d × 401", r.OK, r.Unauthorized)
		if r.Other > 0 {
			a += fmt.Sprintf(", %d other", r.Other)
		}
		answers = append(answers, a)
	}
	for _, r := range [][]string{settled, perRound, rel, floor, toRefresh, refreshes, apiCalls, answers, rejected} {
		t.row(r...)
	}
	w("%s\nThe access token is revoked, then all requests start at once. Plain fetch handles the storm by hand: each request goes out with the stored token, the first 401 starts the one refresh, and each request that got a 401 waits for it and goes out again (bench/page/contenders/plain.js); it is the baseline of the target. The floor beside it is plain fetch's burst with a valid token (median %s) plus one refresh round trip (%.1f ms, the median over rounds of the median of five in a row). \"First 401 to refresh sent\" is timed in the page by a wrapper of `globalThis.fetch` installed for the storm: from the first 401 reaching it to the refresh POST handed to it (axios sends with XMLHttpRequest, which it does not see). A final 401 is the contender's answer to its caller (axios-auth-refresh, by default, rejects the 401s that arrive while its refresh is in flight).\n\n",
		t.String(), ms(median(stormTimes(res.stormFloor))), median(res.refreshRTT))
}
