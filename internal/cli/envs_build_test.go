package cli

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
	"github.com/google/uuid"
)

func TestEnvsListHasAllSevenEnvironments(t *testing.T) {
	code, out, stderr := runCLI(t, "envs", "list", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var list []struct {
		ID       string            `json:"id"`
		Versions map[string]string `json:"versions"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range list {
		have[e.ID] = true
		if len(e.Versions) == 0 {
			t.Errorf("%s lists no versions", e.ID)
		}
	}
	for _, id := range []string{"Go-net/http", "Go-Gin", "Go-Fiber", "Python-Flask", "Python-FastAPI", "Python-Django", "Python-aiohttp"} {
		if !have[id] {
			t.Errorf("envs list lacks %s", id)
		}
	}
}

func TestEnvsBuildAndDoctorRejectUnknownEnvironments(t *testing.T) {
	for _, sub := range []string{"build", "doctor"} {
		code, _, stderr := runCLI(t, "envs", sub, "Cobol-CICS")
		if code != ExitUsage || !strings.Contains(stderr, "valid environments") {
			t.Errorf("envs %s: exit %d, stderr %q", sub, code, stderr)
		}
	}
}

// Without an engine, doctor says so for every environment and exits 1.
func TestEnvsDoctorNamesAMissingEngine(t *testing.T) {
	code, out, _ := runCLI(t, "envs", "doctor", "--json", "--docker-host", "unix:///nonexistent/baxbench.sock", "--debian-mirror", "http://127.0.0.1:1/debian", "Go-net/http")
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d", code, ExitFailed)
	}
	var rep imagebuild.DoctorReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.EngineOK || len(rep.Envs) != 1 || rep.Envs[0].OK || !strings.Contains(strings.Join(rep.Envs[0].Missing, ";"), "container engine") {
		t.Errorf("report %+v", rep)
	}
	if len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "not reachable") {
		t.Errorf("problems %v", rep.Problems)
	}
}

// With an engine, doctor lists the leftovers of runs whose process is gone (without removing them)
// and says whether the host guard is installed.
func TestEnvsDoctorReportsLeftoversAndHostGuard(t *testing.T) {
	d := sandboxtest.Need(t)
	ctx := context.Background()
	host, _ := os.Hostname()
	run := "dead-" + uuid.NewString()[:8]
	t.Cleanup(func() { d.RemoveByLabel(ctx, sandbox.LabelRun, run) })
	if _, err := d.Network(ctx, "baxbench-"+run, map[string]string{sandbox.LabelRun: run, sandbox.LabelOwner: host + "/999999/1"}, true); err != nil {
		t.Fatal(err)
	}
	_, out, stderr := runCLI(t, "envs", "doctor", "--json", "--docker-host", sandboxtest.Host(), "Go-net/http")
	var rep imagebuild.DoctorReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v: %s", err, stderr)
	}
	if rep.Leftovers == nil || !slices.Contains(rep.Leftovers.Runs, run) || rep.Leftovers.Networks < 1 {
		t.Errorf("leftovers %+v do not name run %s", rep.Leftovers, run)
	}
	if _, ns, _ := d.Labelled(ctx, sandbox.LabelRun, run); ns != 1 {
		t.Errorf("doctor removed the leftover network (%d left); only clean and runs remove", ns)
	}
	// scripts/engine-up.sh installs the guard wherever it can; where this host can tell, it is there.
	if g := rep.HostGuard; g.Known && !g.Installed {
		t.Errorf("host guard missing: %s", g.Detail)
	}
}
