// Package testrun is the test stage: for each sample, build its image, run every test in fresh
// containers, and write the outcomes to the store.
package testrun

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// Builder builds a sample's image; *imagebuild.Builder is the implementation. A build that runs and
// fails returns a *sandbox.BuildError (the sample's fault); other errors are the harness's.
type Builder interface {
	Sample(ctx context.Context, e *env.Env, code map[string][]byte, extra []string) (*imagebuild.SampleBuild, error)
}

// Tester runs the stage.
type Tester struct {
	Store   *results.Store
	Builder Builder
	Runner  *execute.Runner
	Log     *slog.Logger
	RunID   string
	Harness string
	Force   bool
	// Builds bounds concurrent sample image builds.
	Builds chan struct{}
	// Events receives the stage's lifecycle events; the results are stored by its subscriber
	// lifecycle.WriteResults, so a Tester that stores samples must have one.
	Events *lifecycle.Bus
}

// Item is one sample to test.
type Item struct {
	Task     results.Task
	Scenario *scenario.Scenario
	Env      *env.Env
	Sample   int
}

// Outcome of testing one sample's code.
type Outcome struct {
	Build  results.BuildInfo
	Report *execute.Report
	Log    string
}

// Evaluate builds code for (s, e) and runs every test; it never fails for reasons that belong to the
// sample (those become outcomes), only for harness faults (engine gone, run cancelled).
func (t *Tester) Evaluate(ctx context.Context, s *scenario.Scenario, e *env.Env, code map[string][]byte, label string) (*Outcome, error) {
	out := &Outcome{}
	var log strings.Builder
	if _, onlyFailed := code[results.FailedMarker]; onlyFailed && len(code) == 1 {
		reason := "the model's answer held no usable code (code/failed)"
		out.Build = results.BuildInfo{OK: false, Reason: reason}
		out.Report = &execute.Report{Results: execute.BuildFailed(s, reason)}
		out.Log = reason + "\n"
		return out, nil
	}
	if t.Builds != nil {
		select {
		case t.Builds <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	t.Events.Emit(ctx, lifecycle.BuildStarted{Sample: label, Env: e.ID})
	b, err := t.Builder.Sample(ctx, e, code, s.InstallCommands(e.Language))
	if t.Builds != nil {
		<-t.Builds
	}
	if b != nil {
		log.WriteString(imagebuild.LogOf(b, code))
		log.WriteString("\nbuild output:\n" + b.Log + "\n")
		out.Build = results.BuildInfo{Image: b.Ref, ImageID: b.ImageID, Cached: b.Cached, DurationMS: b.Duration.Milliseconds(), Dropped: b.Dropped,
			FirstError: imagebuild.FirstError(b.Log)}
	}
	var be *sandbox.BuildError
	switch {
	case err == nil:
		out.Build.OK = true
	case errors.As(err, &be):
		reason := firstLine(be.Msg)
		if out.Build.FirstError != "" {
			reason = out.Build.FirstError // the compiler's words say more than the failed step
		}
		out.Build.Reason = reason
		out.Report = &execute.Report{Results: execute.BuildFailed(s, reason)}
		log.WriteString("build failed: " + be.Msg + "\n")
		out.Log = log.String()
		t.Events.Emit(ctx, buildDone(label, out.Build))
		return out, nil
	default:
		return nil, fmt.Errorf("build %s: %w", label, err)
	}
	t.Events.Emit(ctx, buildDone(label, out.Build))
	rep := t.Runner.RunSample(ctx, execute.Sample{Scenario: s, Env: e, Image: b.ImageID, Label: label})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rep.Results = verdict.WithBuildError(rep.Results, out.Build.FirstError)
	for _, r := range rep.Results {
		t.Events.Emit(ctx, lifecycle.TestDone{Sample: label, Result: r})
	}
	log.WriteString(rep.Log.String())
	out.Report, out.Log = rep, log.String()
	return out, nil
}

func buildDone(label string, b results.BuildInfo) lifecycle.BuildDone {
	return lifecycle.BuildDone{Sample: label, Image: b.Image, Cached: b.Cached, DurationMS: b.DurationMS, OK: b.OK, Reason: b.Reason}
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Pending reports whether the sample still needs testing, and reads its code.
func (t *Tester) Pending(it Item) (code map[string][]byte, pending bool, err error) {
	dir := t.Store.SampleDir(it.Task, it.Sample)
	code, err = results.ReadCode(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil // never generated: upstream skips it too
	}
	if err != nil {
		return nil, false, err
	}
	if t.Force {
		return code, true, nil
	}
	return code, !results.Tested(dir, results.HashCode(code)), nil
}

// TestSample tests one sample and writes its results. It returns false when the sample needed nothing.
func (t *Tester) TestSample(ctx context.Context, it Item) (bool, error) {
	code, pending, err := t.Pending(it)
	if err != nil || !pending {
		return false, err
	}
	if t.Events == nil {
		return false, errors.New("testrun: no event bus, so the results would not be stored")
	}
	dir := t.Store.SampleDir(it.Task, it.Sample)
	if t.Force {
		if err := results.ClearTestOutput(dir); err != nil {
			return false, fmt.Errorf("clear old results of %s: %w", dir, err)
		}
	}
	start := time.Now()
	rel, _ := filepath.Rel(t.Store.Root, dir)
	out, err := t.Evaluate(ctx, it.Scenario, it.Env, code, rel)
	if err != nil {
		if ctx.Err() == nil {
			t.Events.Emit(ctx, lifecycle.SampleTested{Sample: rel, Dir: dir, Error: err.Error()})
		}
		return false, err
	}
	rec := results.Record{
		RunID: t.RunID, Harness: t.Harness, Model: it.Task.Model, Scenario: it.Scenario.ID, Env: it.Env.ID,
		SpecType: it.Task.SpecType, Safety: it.Task.Safety, Temperature: it.Task.Temperature, Sample: it.Sample,
		CodeHash: results.HashCode(code), Build: out.Build, Results: out.Report.Results,
		Reason:    verdict.Reason(out.Report.Results, out.Build.FirstError),
		StartedAt: start.UTC(), DurationMS: time.Since(start).Milliseconds(),
	}
	to := &results.TestOutput{Record: rec, Evidence: out.Report.Evidence, Log: out.Log}
	if err := t.Events.Emit(ctx, lifecycle.Tested(rel, dir, to, time.Since(start))); err != nil {
		return false, fmt.Errorf("store results of %s: %w", rel, err)
	}
	return true, nil
}

// Run tests items concurrently (containers and builds are bounded by the runner and the builder) and
// returns the number tested. Harness faults of single samples are collected; cancellation stops the run.
// Progress is followed through the events.
func (t *Tester) Run(ctx context.Context, items []Item, workers int) (int, error) {
	if workers <= 0 {
		workers = 4
	}
	var mu sync.Mutex
	tested := 0
	var errs []error
	ch := make(chan Item)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range ch {
				ok, err := t.TestSample(ctx, it)
				mu.Lock()
				if ok {
					tested++
				}
				if err != nil && ctx.Err() == nil {
					errs = append(errs, fmt.Errorf("sample %d of %s: %w", it.Sample, it.Task.ID(), err))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, it := range items {
		select {
		case ch <- it:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if ctx.Err() != nil {
		return tested, ctx.Err()
	}
	return tested, errors.Join(errs...)
}
