package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
)

// TestKilledRunsLeaveNothing: a run killed with SIGKILL ten times at random moments, then run once
// more normally, leaves no container or network of the killed runs on the engine, no manifest that
// still says running, and the same results as a run never interrupted.
func TestKilledRunsLeaveNothing(t *testing.T) {
	d := sandboxtest.Need(t)
	if testing.Short() {
		t.Skip("builds the binary and runs it twelve times")
	}
	bin := filepath.Join(t.TempDir(), "baxbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build baxbench: %v\n%s", err, out)
	}
	run := func(ctx context.Context, dir string) *exec.Cmd {
		cmd := exec.CommandContext(ctx, bin, "run", "--models", "reference", "--envs", "Go-net/http",
			"--scenarios", "Calculator,ClickCount,Login", "--n-samples", "2", "--results-dir", dir,
			"--docker-host", sandboxtest.Host())
		cmd.Stdout, cmd.Stderr = new(bytes.Buffer), new(bytes.Buffer)
		return cmd
	}
	ctx := context.Background()

	// The uninterrupted run; it also builds the images, so what is killed below is mostly testing.
	want := filepath.Join(t.TempDir(), "uninterrupted")
	start := time.Now()
	if c := run(ctx, want); c.Run() != nil {
		t.Fatalf("uninterrupted run failed:\n%s", c.Stderr)
	}
	took := time.Since(start)

	got := filepath.Join(t.TempDir(), "killed")
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("an uninterrupted run takes %s; kill times seeded with %d", took.Round(time.Millisecond), seed)
	for i := range 10 {
		c := run(ctx, got)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		at := time.Duration(rng.Int64N(int64(took)))
		time.Sleep(at)
		c.Process.Kill()
		c.Wait()
		t.Logf("kill %d at %s", i+1, at.Round(time.Millisecond))
	}
	if c := run(ctx, got); c.Run() != nil {
		t.Fatalf("the rerun after the kills failed:\n%s", c.Stderr)
	}

	store := &results.Store{Root: got}
	files, err := filepath.Glob(filepath.Join(store.RunsDir(), "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ms []results.Manifest
	for _, f := range files {
		var m results.Manifest
		if b, err := os.ReadFile(f); err != nil || json.Unmarshal(b, &m) != nil {
			t.Fatalf("manifest %s unreadable: %v", f, err)
		}
		ms = append(ms, m)
	}
	if len(ms) < 2 {
		t.Fatalf("%d run manifests, want the killed runs' and the rerun's", len(ms))
	}
	for _, m := range ms {
		if m.Status != results.StatusInterrupted && m.Status != results.StatusComplete {
			t.Errorf("run %s still says %s", m.RunID, m.Status)
		}
		cs, ns, err := d.Labelled(ctx, sandbox.LabelRun, m.RunID)
		if err != nil {
			t.Fatal(err)
		}
		if cs != 0 || ns != 0 {
			t.Errorf("run %s (%s) left %d containers and %d networks", m.RunID, m.Status, cs, ns)
		}
	}
	if a, b := outcomes(t, want), outcomes(t, got); a != b {
		t.Errorf("results differ from the uninterrupted run's:\nuninterrupted:\n%s\nkilled and rerun:\n%s", a, b)
	}
}

// outcomes renders every sample's code hash, counts and per-test outcomes, sorted by sample.
func outcomes(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	n := 0
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.Name() != results.RecordFile {
			return err
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var rec struct {
			CodeHash string `json:"code_hash"`
			Results  []struct {
				Test, Outcome, Reason string
				CWEs                  []int `json:"cwes"`
			} `json:"results"`
		}
		if err := json.Unmarshal(raw, &rec); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		sample := filepath.Dir(filepath.Dir(p))
		counts, err := os.ReadFile(filepath.Join(sample, results.TestResultsFile))
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, sample)
		fmt.Fprintf(&b, "%s %s %s\n", rel, rec.CodeHash[:12], bytes.TrimSpace(counts))
		for _, r := range rec.Results {
			fmt.Fprintf(&b, "  %s %s %v %q\n", r.Test, r.Outcome, r.CWEs, r.Reason)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 6 {
		t.Errorf("%s holds %d tested samples, want 6", root, n)
	}
	return b.String()
}
