// Package lifecycle is the seam between the stages and whoever follows them: generate and testrun emit
// typed events (sample generated, build started and done, test done, sample tested, run finished) on
// a Bus, and the subscribers act on them: the results writer persists a tested sample, the progress
// display counts, the log prints, the run manifest records the images used, and an events file
// (--events) keeps every event as a JSON line.
package lifecycle

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// Event is one thing that happened in a run.
type Event interface {
	// Kind is the event's name in the events file, e.g. "sample_tested".
	Kind() string
}

// SampleGenerated: a model's answer was saved as a sample (its code, or the failed marker).
type SampleGenerated struct {
	Sample       string   `json:"sample"` // path of the sample directory, relative to the results root
	Model        string   `json:"model"`
	Scenario     string   `json:"scenario"`
	Env          string   `json:"env"`
	Index        int      `json:"index"`
	Failed       bool     `json:"failed"`
	Reason       string   `json:"reason,omitempty"`
	InputTokens  int64    `json:"input_tokens"`
	OutputTokens int64    `json:"output_tokens"`
	CostUSD      *float64 `json:"cost_usd,omitempty"`
}

// TaskGenerated: every missing sample of one task was asked for (or the task failed).
type TaskGenerated struct {
	Task    string `json:"task"`
	Samples int    `json:"samples"`
	Failed  int    `json:"failed"`
	Error   string `json:"error,omitempty"`
}

// BuildStarted: a sample's image build begins.
type BuildStarted struct {
	Sample string `json:"sample"`
	Env    string `json:"env"`
}

// BuildDone: a sample's image build ended.
type BuildDone struct {
	Sample     string `json:"sample"`
	Image      string `json:"image,omitempty"`
	Cached     bool   `json:"cached,omitempty"`
	DurationMS int64  `json:"duration_ms"`
	OK         bool   `json:"ok"`
	Reason     string `json:"reason,omitempty"`
}

// TestDone: one test of a sample has its outcome.
type TestDone struct {
	Sample string          `json:"sample"`
	Result scenario.Result `json:"result"`
}

// SampleTested: every test of a sample ran (or could not). Output is what the results writer stores;
// Error is set when the sample could not be tested for a harness fault.
type SampleTested struct {
	Sample     string              `json:"sample"`
	Counts     results.CountsJSON  `json:"counts"`
	Class      string              `json:"class,omitempty"`
	DurationMS int64               `json:"duration_ms"`
	Error      string              `json:"error,omitempty"`
	Output     *results.TestOutput `json:"-"`
	Dir        string              `json:"-"`
}

// RunFinished: the command ended.
type RunFinished struct {
	RunID   string `json:"run_id"`
	Command string `json:"command"`
	Status  string `json:"status"` // complete | interrupted | failed
	Error   string `json:"error,omitempty"`
}

func (SampleGenerated) Kind() string { return "sample_generated" }
func (TaskGenerated) Kind() string   { return "task_generated" }
func (BuildStarted) Kind() string    { return "build_started" }
func (BuildDone) Kind() string       { return "build_done" }
func (TestDone) Kind() string        { return "test_done" }
func (SampleTested) Kind() string    { return "sample_tested" }
func (RunFinished) Kind() string     { return "run_finished" }

// Tested makes the SampleTested event of a finished sample.
func Tested(sample, dir string, out *results.TestOutput, d time.Duration) SampleTested {
	c := verdict.CountsOf(out.Record.Results)
	return SampleTested{Sample: sample, Dir: dir, Counts: results.CountsToJSON(c), Class: verdict.Classify(c).Label(),
		DurationMS: d.Milliseconds(), Output: out}
}

// Handler acts on an event. An error from a handler fails what emitted the event (for the results
// writer: the sample is not recorded as tested).
type Handler func(ctx context.Context, e Event) error

// Bus fans events out to its handlers, in the order they subscribed, synchronously: when Emit returns,
// every handler has seen the event. A nil *Bus drops everything.
type Bus struct {
	mu       sync.RWMutex
	handlers []Handler
}

// New makes a bus with these handlers.
func New(hs ...Handler) *Bus { return &Bus{handlers: hs} }

// Subscribe adds a handler.
func (b *Bus) Subscribe(h Handler) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.handlers = append(b.handlers, h)
}

// Emit gives e to every handler and joins their errors.
func (b *Bus) Emit(ctx context.Context, e Event) error {
	if b == nil {
		return nil
	}
	b.mu.RLock()
	hs := b.handlers
	b.mu.RUnlock()
	var errs []error
	for _, h := range hs {
		if err := h(ctx, e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// On adapts a function of one event type into a Handler that ignores every other type.
func On[E Event](f func(ctx context.Context, e E) error) Handler {
	return func(ctx context.Context, e Event) error {
		if x, ok := e.(E); ok {
			return f(ctx, x)
		}
		return nil
	}
}

// WriteResults is the results writer: it stores each tested sample (test_results.json, the per-test
// logs, evidence, and last the record that marks it tested).
func WriteResults() Handler {
	return On(func(_ context.Context, e SampleTested) error {
		if e.Output == nil {
			return nil
		}
		return results.WriteTestOutput(e.Dir, *e.Output)
	})
}

// Log prints one line per tested sample and per failed build.
func Log(log *slog.Logger) Handler {
	return func(_ context.Context, e Event) error {
		switch e := e.(type) {
		case SampleTested:
			if e.Error != "" {
				log.Warn("sample not tested", "sample", e.Sample, "err", e.Error)
				return nil
			}
			log.Info("tested", "sample", e.Sample, "ft", fmt.Sprintf("%d/%d", e.Counts.PassedFT, e.Counts.TotalFT),
				"cwes", fmt.Sprint(e.Counts.CWEs), "st_errors", e.Counts.STExceptions, "verdict", e.Class, "duration_ms", e.DurationMS)
		case BuildDone:
			if !e.OK {
				log.Info("sample did not build", "sample", e.Sample, "reason", e.Reason)
			}
		}
		return nil
	}
}

// JSONLines writes every event as one line {"time", "event", "data"} to w.
func JSONLines(w io.Writer, now func() time.Time) Handler {
	var mu sync.Mutex
	return func(_ context.Context, e Event) error {
		b, err := json.Marshal(struct {
			Time  time.Time `json:"time"`
			Event string    `json:"event"`
			Data  Event     `json:"data"`
		}{now().UTC().Truncate(time.Millisecond), e.Kind(), e})
		if err != nil {
			return fmt.Errorf("encode %s event: %w", e.Kind(), err)
		}
		mu.Lock()
		defer mu.Unlock()
		if _, err := w.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("write events file: %w", err)
		}
		return nil
	}
}

// Images records, per environment seen, the sample images that were really used (built or found).
type Images struct {
	mu   sync.Mutex
	seen map[string]bool
	list []string
}

// Handler records BuildDone events.
func (im *Images) Handler() Handler {
	return On(func(_ context.Context, e BuildDone) error {
		if e.Image == "" {
			return nil
		}
		im.mu.Lock()
		defer im.mu.Unlock()
		if im.seen == nil {
			im.seen = map[string]bool{}
		}
		if !im.seen[e.Image] {
			im.seen[e.Image] = true
			im.list = append(im.list, e.Image)
		}
		return nil
	})
}

// List returns the images in the order first used.
func (im *Images) List() []string {
	im.mu.Lock()
	defer im.mu.Unlock()
	return append([]string(nil), im.list...)
}
