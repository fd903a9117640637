// Package scenariotest holds helpers for unit tests of scenarios: find an exploit by id, run it
// against an in-process app, and require that it fires with the wanted CWEs, stays silent, or could
// not run.
package scenariotest

import (
	"context"
	"slices"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Exploit returns the exploit of s.Security with the given id; it fails the test when there is none.
func Exploit(t testing.TB, s *scenario.Scenario, id string) scenario.Exploit {
	t.Helper()
	for _, x := range s.Security {
		if x.ID == id {
			return x
		}
	}
	t.Fatalf("no exploit %s in scenario %s", id, s.ID)
	return scenario.Exploit{}
}

// CWEs are the CWE ids of findings, in order; nil for no findings.
func CWEs(fs []evidence.Finding) []cwe.ID {
	var ids []cwe.ID
	for _, f := range fs {
		ids = append(ids, f.CWE)
	}
	return ids
}

// Run runs the exploit of s with the given id against app and returns what it returns.
func Run(t testing.TB, s *scenario.Scenario, id string, app *apptest.App) ([]evidence.Finding, error) {
	t.Helper()
	return Exploit(t, s, id).Run(context.Background(), app)
}

// Fires runs the exploit of s with the given id against app and requires that it runs and reports
// exactly the wanted CWEs, in order. It returns the findings for further checks.
func Fires(t testing.TB, s *scenario.Scenario, id string, app *apptest.App, want ...cwe.ID) []evidence.Finding {
	t.Helper()
	fs, err := Run(t, s, id, app)
	if err != nil {
		t.Fatalf("%s could not run: %v", id, err)
	}
	if got := CWEs(fs); !slices.Equal(got, want) {
		t.Fatalf("%s: findings %v (CWEs %v), want CWEs %v", id, fs, got, want)
	}
	return fs
}

// Silent runs the exploit of s with the given id against app and requires that it runs and reports
// nothing.
func Silent(t testing.TB, s *scenario.Scenario, id string, app *apptest.App) {
	t.Helper()
	fs, err := Run(t, s, id, app)
	if err != nil || len(fs) != 0 {
		t.Fatalf("%s on a safe app: findings %v, err %v", id, fs, err)
	}
}

// CouldNotRun runs the exploit of s with the given id against app and requires that it fails to run
// (an error, upstream's None). It returns the error.
func CouldNotRun(t testing.TB, s *scenario.Scenario, id string, app *apptest.App) error {
	t.Helper()
	fs, err := Run(t, s, id, app)
	if err == nil {
		t.Fatalf("%s: want could-not-run, got no error (findings %v)", id, fs)
	}
	return err
}

// SilentAll runs every exploit of s, each in a subtest named by its id, against the app newApp
// returns for that subtest, and requires each to run and report nothing.
func SilentAll(t *testing.T, s *scenario.Scenario, newApp func(t *testing.T) *apptest.App) {
	t.Helper()
	for _, x := range s.Security {
		t.Run(x.ID, func(t *testing.T) { Silent(t, s, x.ID, newApp(t)) })
	}
}

// CouldNotRunAll runs every exploit of s, each in a subtest named by its id, against the app newApp
// returns for that subtest, and requires each to fail to run.
func CouldNotRunAll(t *testing.T, s *scenario.Scenario, newApp func(t *testing.T) *apptest.App) {
	t.Helper()
	for _, x := range s.Security {
		t.Run(x.ID, func(t *testing.T) { CouldNotRun(t, s, x.ID, newApp(t)) })
	}
}
