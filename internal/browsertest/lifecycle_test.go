//go:build !js

package browsertest

import (
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"testing"
	"time"
)

// lifecyclePage logs what the page is told of its lifecycle in window.log;
// until(entry) resolves once entry is logged, and reached resolves once a
// script calls reach.
const lifecyclePage = `<!doctype html><title>lifecycle</title><script>
window.log = [];
const waiters = [];
window.note = (entry) => { log.push(entry); waiters.splice(0).forEach((wake) => wake()); };
window.until = async (entry) => { while (!log.includes(entry)) await new Promise((wake) => waiters.push(wake)); };
for (const type of ['visibilitychange', 'freeze', 'resume']) {
	document.addEventListener(type, () => note(type === 'visibilitychange' ? document.visibilityState : type));
}
window.reached = new Promise((resolve) => { window.reach = resolve; });
</script>`

// lifecycleBrowser is the one browser of the lifecycle tests, started by the
// first of them; TestMain stops it.
var lifecycleBrowser struct {
	once sync.Once
	b    *Browser
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if lifecycleBrowser.b != nil {
		lifecycleBrowser.b.Close()
		os.RemoveAll(lifecycleBrowser.dir)
	}
	os.Exit(code)
}

// openLifecyclePage opens lifecyclePage in a new tab of lifecycleBrowser,
// and returns the tab and the page's URL.
func openLifecyclePage(t *testing.T) (*Tab, string) {
	t.Helper()
	l := &lifecycleBrowser
	l.once.Do(func() {
		if l.dir, l.err = os.MkdirTemp("", "browsertest-lifecycle-"); l.err == nil {
			l.b, l.err = StartBrowser(DefaultChromium, l.dir, false)
		}
	})
	if l.err != nil {
		t.Fatal(l.err)
	}
	srv, err := Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, lifecyclePage)
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	tab, err := l.b.Open(srv.URL+"/", false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tab.Close)
	return tab, srv.URL + "/"
}

// logAfter waits until the page has logged entry and returns its log.
func logAfter(t *testing.T, tab *Tab, entry string) []string {
	t.Helper()
	log, err := Eval[[]string](tab, 10*time.Second, `await until(`+"`"+entry+"`"+`); return log`)
	if err != nil {
		t.Fatal(err)
	}
	return log
}

func TestHideAndShowChangeThePagesVisibility(t *testing.T) {
	tab, _ := openLifecyclePage(t)
	if err := tab.Hide(); err != nil {
		t.Fatal(err)
	}
	logAfter(t, tab, "hidden")
	if err := tab.Show(); err != nil {
		t.Fatal(err)
	}
	if log := logAfter(t, tab, "visible"); !slices.Equal(log, []string{"hidden", "visible"}) {
		t.Errorf("log %v, want [hidden visible]", log)
	}
}

func TestFreezeStopsThePageUntilResumeAndShowMakesItVisible(t *testing.T) {
	tab, _ := openLifecyclePage(t)
	if err := tab.Freeze(); err != nil {
		t.Fatal(err)
	}
	logAfter(t, tab, "freeze")
	// A timer set while frozen does not fire until the page resumes.
	if _, err := Eval[bool](tab, 10*time.Second, `setTimeout(() => note('timer'), 0); return true`); err != nil {
		t.Fatal(err)
	}
	if err := tab.Resume(); err != nil {
		t.Fatal(err)
	}
	log := logAfter(t, tab, "timer")
	if i := slices.Index(log, "timer"); i < slices.Index(log, "resume") {
		t.Errorf("log %v: the timer fired before the page resumed", log)
	}
	if !slices.Equal(log[:2], []string{"hidden", "freeze"}) {
		t.Errorf("log %v: want the page hidden, then frozen", log)
	}
	if err := tab.Show(); err != nil {
		t.Fatal(err)
	}
	logAfter(t, tab, "visible")
}

func TestNavigateEndsTheScriptsOfThePageItLeaves(t *testing.T) {
	tab, url := openLifecyclePage(t)
	ended := make(chan error, 1)
	go func() {
		_, err := Eval[bool](tab, time.Minute, `window.pending = true; reach(); await new Promise(() => {}); return true`)
		ended <- err
	}()
	if _, err := Eval[bool](tab, 10*time.Second, `await reached; return true`); err != nil {
		t.Fatal(err)
	}
	if err := tab.Navigate(url); err != nil {
		t.Fatal(err)
	}
	if err := <-ended; err == nil {
		t.Error("a script still pending when the page navigated returned no error")
	}
	fresh, err := Eval[bool](tab, 10*time.Second, `return window.pending === undefined && log.length === 0`)
	if err != nil || !fresh {
		t.Errorf("after Navigate, a fresh page: %v, %v", fresh, err)
	}
}
