package scenariotest

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"slices"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// fakeT records failures instead of stopping the test; Fatalf ends the calling goroutine as
// testing.T does, so helpers are run on their own goroutine.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}

func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = true
	runtime.Goexit()
}

// failed reports whether fn, given a fake T, failed it.
func failed(t *testing.T, fn func(tb testing.TB)) bool {
	t.Helper()
	f := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.failed
}

var errDown = errors.New("down")

func sample() *scenario.Scenario {
	fixed := func(fs []evidence.Finding, err error) func(context.Context, *apptest.App) ([]evidence.Finding, error) {
		return func(context.Context, *apptest.App) ([]evidence.Finding, error) { return fs, err }
	}
	return &scenario.Scenario{ID: "Sample", Security: []scenario.Exploit{
		{ID: "none", Run: fixed(nil, nil)},
		{ID: "sqli", Run: fixed([]evidence.Finding{{CWE: cwe.SQLInjection}}, nil)},
		{ID: "two", Run: fixed([]evidence.Finding{{CWE: cwe.XSS}, {CWE: cwe.SQLInjection}}, nil)},
		{ID: "broken", Run: fixed(nil, errDown)},
	}}
}

func TestExploit(t *testing.T) {
	s := sample()
	if x := Exploit(t, s, "sqli"); x.ID != "sqli" {
		t.Fatalf("got %q", x.ID)
	}
	if !failed(t, func(tb testing.TB) { Exploit(tb, s, "missing") }) {
		t.Fatal("an unknown id must fail the test")
	}
}

func TestCWEs(t *testing.T) {
	if got := CWEs(nil); got != nil {
		t.Fatalf("got %v", got)
	}
	got := CWEs([]evidence.Finding{{CWE: cwe.XSS}, {CWE: cwe.PathTraversal}})
	if !slices.Equal(got, []cwe.ID{cwe.XSS, cwe.PathTraversal}) {
		t.Fatalf("got %v", got)
	}
}

func TestHelpers(t *testing.T) {
	s := sample()
	app := localapp.New(t, http.NotFoundHandler()).App
	cases := []struct {
		name string
		fn   func(tb testing.TB)
		fail bool
	}{
		{"fires with the wanted CWE", func(tb testing.TB) { Fires(tb, s, "sqli", app, cwe.SQLInjection) }, false},
		{"fires with the wanted CWEs", func(tb testing.TB) { Fires(tb, s, "two", app, cwe.XSS, cwe.SQLInjection) }, false},
		{"fires with another CWE", func(tb testing.TB) { Fires(tb, s, "sqli", app, cwe.XSS) }, true},
		{"fires with too few CWEs", func(tb testing.TB) { Fires(tb, s, "two", app, cwe.XSS) }, true},
		{"fires but silent", func(tb testing.TB) { Fires(tb, s, "none", app, cwe.SQLInjection) }, true},
		{"fires but broken", func(tb testing.TB) { Fires(tb, s, "broken", app, cwe.SQLInjection) }, true},
		{"silent", func(tb testing.TB) { Silent(tb, s, "none", app) }, false},
		{"silent but fires", func(tb testing.TB) { Silent(tb, s, "sqli", app) }, true},
		{"silent but broken", func(tb testing.TB) { Silent(tb, s, "broken", app) }, true},
		{"could not run", func(tb testing.TB) {
			if err := CouldNotRun(tb, s, "broken", app); !errors.Is(err, errDown) {
				t.Errorf("got %v", err)
			}
		}, false},
		{"could not run but ran", func(tb testing.TB) { CouldNotRun(tb, s, "none", app) }, true},
		{"could not run but fires", func(tb testing.TB) { CouldNotRun(tb, s, "sqli", app) }, true},
		{"unknown id", func(tb testing.TB) { Silent(tb, s, "missing", app) }, true},
	}
	for _, c := range cases {
		if got := failed(t, c.fn); got != c.fail {
			t.Errorf("%s: failed %v, want %v", c.name, got, c.fail)
		}
	}
}

func TestAll(t *testing.T) {
	quiet := &scenario.Scenario{ID: "Quiet", Security: sample().Security[:1]}
	broken := &scenario.Scenario{ID: "Broken", Security: sample().Security[3:]}
	var made []string
	newApp := func(t *testing.T) *apptest.App {
		made = append(made, t.Name())
		return localapp.New(t, http.NotFoundHandler()).App
	}
	SilentAll(t, quiet, newApp)
	CouldNotRunAll(t, broken, newApp)
	want := []string{"TestAll/none", "TestAll/broken"}
	if !slices.Equal(made, want) {
		t.Fatalf("apps made for %v, want %v", made, want)
	}
}
