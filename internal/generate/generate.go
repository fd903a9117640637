// Package generate is the generation stage: task and sample -> prompt -> model -> extracted files in the
// store, with the raw answer and a generation record beside them.
//
// Every sample is written atomically (raw answer and record first, then the code directory by rename),
// and the code directory is the completion marker, so an interrupted generation resumes without losing
// or duplicating a sample: an index is either complete or asked for again.
package generate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/extract"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/prompt"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Record is sample<i>/baxbench/generation.json.
type Record struct {
	SchemaVersion int          `json:"schema_version"`
	Model         string       `json:"model"`
	Provider      string       `json:"provider"`
	Endpoint      string       `json:"endpoint,omitempty"`
	Scenario      string       `json:"scenario"`
	Env           string       `json:"env"`
	Sample        int          `json:"sample"`
	PromptHash    string       `json:"prompt_hash"`
	SpecType      string       `json:"spec_type"`
	Safety        string       `json:"safety_prompt"`
	Temperature   float64      `json:"temperature"`
	Settings      llm.Settings `json:"settings"`
	ResponseID    string       `json:"response_id,omitempty"`
	ResponseModel string       `json:"response_model,omitempty"`
	FinishReason  string       `json:"finish_reason"`
	Truncated     bool         `json:"truncated"`
	// Usage is this sample's share of the request's usage (a request may carry several samples).
	Usage            llm.Usage `json:"usage"`
	RequestUsage     llm.Usage `json:"request_usage"`
	SamplesInRequest int       `json:"samples_in_request"`
	// CostUSD is absent when the model's price is unknown.
	CostUSD     *float64  `json:"cost_usd,omitempty"`
	LatencyMS   int64     `json:"latency_ms"`
	Retries     int       `json:"retries"`
	RetryErrors []string  `json:"retry_errors,omitempty"`
	Thinking    bool      `json:"thinking_saved,omitempty"`
	Files       []string  `json:"files,omitempty"`
	Failed      bool      `json:"failed"`
	Reason      string    `json:"reason,omitempty"`
	Refused     []string  `json:"refused,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// ThinkingFile holds visible reasoning, beside the raw answer.
const ThinkingFile = "thinking.txt"

// ReadRecord reads a sample's generation record.
func ReadRecord(sampleDir string) (*Record, error) {
	b, err := os.ReadFile(filepath.Join(sampleDir, results.OwnDir, results.GenerationFile))
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("parse generation record of %s: %w", sampleDir, err)
	}
	return &r, nil
}

// Job is one task to generate samples for.
type Job struct {
	Task     results.Task
	Scenario *scenario.Scenario
	Env      *env.Env
	N        int
}

// Generator runs the stage for one model.
type Generator struct {
	Store    *results.Store
	Client   llm.Client
	Settings llm.Settings
	// Endpoint is the base URL, recorded (never a key).
	Endpoint string
	// Limiter bounds requests to the provider; nil means no bound.
	Limiter *llm.Limiter
	Backoff llm.Backoff
	// RequestTimeout bounds one attempt; 0 means no bound beyond ctx.
	RequestTimeout time.Duration
	Pricing        llm.Pricing
	Log            *slog.Logger
	// Force regenerates every sample; SkipFailed treats samples whose answer could not be parsed as done.
	Force, SkipFailed bool
	// Now is the clock for records; nil uses time.Now.
	Now func() time.Time
	// Events receives a SampleGenerated event for every saved sample; may be nil.
	Events *lifecycle.Bus
}

// Result sums what a job (or a stage) did.
type Result struct {
	Samples  int // written
	Failed   int // written with the failed marker
	Usage    llm.Usage
	CostUSD  float64
	Unpriced int // samples whose model has no price
	Retries  int
}

func (r *Result) add(o Result) {
	r.Samples += o.Samples
	r.Failed += o.Failed
	r.Usage = r.Usage.Add(o.Usage)
	r.CostUSD += o.CostUSD
	r.Unpriced += o.Unpriced
	r.Retries += o.Retries
}

func (g *Generator) logger() *slog.Logger {
	if g.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return g.Log
}

func (g *Generator) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// Missing lists the sample indices of job that still need generating: every index without a code
// directory, not only upstream's tail after the longest complete prefix (DEV-G4).
func (g *Generator) Missing(job Job) []int {
	var out []int
	for i := 0; i < job.N; i++ {
		dir := g.Store.SampleDir(job.Task, i)
		if g.Force {
			out = append(out, i)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, results.CodeDir)); err != nil {
			out = append(out, i)
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, results.CodeDir, results.FailedMarker)); err == nil && !g.SkipFailed {
			out = append(out, i)
		}
	}
	return out
}

// Prompt renders the job's prompt and its hash.
func Prompt(job Job) (user, hash string, err error) {
	user, err = prompt.Build(job.Scenario, job.Env, prompt.Options{SpecType: job.Task.SpecType, Safety: job.Task.Safety})
	if err != nil {
		return "", "", err
	}
	return user, prompt.Hash(prompt.System, user), nil
}

// batch is how many samples one request may carry.
func (g *Generator) batch(remaining int) int {
	if n := g.Settings.SamplesPerRequest; n > 0 {
		return min(n, remaining)
	}
	return remaining
}

// Requests is how many requests n samples take.
func (g *Generator) Requests(n int) int {
	if n == 0 {
		return 0
	}
	b := g.batch(n)
	return (n + b - 1) / b
}

// Run generates the missing samples of job. Samples are saved as they arrive; on error the ones
// already saved stay, and a later run asks only for the rest.
func (g *Generator) Run(ctx context.Context, job Job) (Result, error) {
	var res Result
	missing := g.Missing(job)
	if len(missing) == 0 {
		return res, nil
	}
	user, hash, err := Prompt(job)
	if err != nil {
		return res, err
	}
	glog, err := openGenLog(g.Store.ConfigDir(job.Task), g.Force, g.now)
	if err != nil {
		return res, err
	}
	defer glog.close()
	glog.printf("INFO", "task %s: generating %d samples (indices %v), temperature %s, provider %s", job.Task.ID(), len(missing), missing, results.FormatTemperature(job.Task.Temperature), g.Client.Name())
	glog.printf("INFO", "prompt (hash %s):\n%s", hash, user)
	if g.Force {
		// Regenerated samples lose their old answers and test results before any is replaced, as
		// upstream's --force does; a crash then leaves them missing, never stale.
		for _, i := range missing {
			if err := os.RemoveAll(g.Store.SampleDir(job.Task, i)); err != nil {
				return res, fmt.Errorf("clear sample %d of %s: %w", i, job.Task.ID(), err)
			}
		}
	}
	for len(missing) > 0 {
		n := g.batch(len(missing))
		req := llm.Request{
			Model: job.Task.Model, Settings: g.Settings, System: prompt.System, User: user,
			Temperature: job.Task.Temperature, N: n, Scenario: job.Scenario, Env: job.Env,
		}
		call, err := g.call(ctx, job, req)
		if err != nil && !(errors.Is(err, llm.ErrEmptyAnswer) && call.resp != nil) {
			glog.printf("ERROR", "generation failed after %d retries: %v", call.retries, err)
			return res, fmt.Errorf("generate %s: %w", job.Task.ID(), err)
		}
		glog.printf("INFO", "usage: %d input, %d output tokens; %d retries", call.resp.Usage.InputTokens, call.resp.Usage.OutputTokens, call.retries)
		res.Retries += call.retries
		usable := call.resp.Choices
		if err == nil {
			// Empty choices are dropped (as upstream) and asked for again in the next round.
			usable = slices.DeleteFunc(slices.Clone(usable), func(c llm.Completion) bool { return c.Text == "" })
		} else {
			// Every retry answered with nothing (DEV-G3): record that answer, so the sample fails visibly
			// instead of being asked for forever.
			g.logger().Warn("model keeps answering with no text; recording failed samples", "task", job.Task.ID(), "retries", call.retries)
		}
		if len(usable) > n {
			usable = usable[:n] // a server that returns more than asked must not create extra samples
		}
		shares := llm.SplitUsage(call.resp.Usage, len(usable))
		for k, c := range usable {
			rec := g.record(job, missing[k], hash, call, c, shares[k], len(usable))
			rec, err := g.save(job, missing[k], c, rec)
			if err != nil {
				glog.printf("ERROR", "saving sample %d: %v", missing[k], err)
				return res, err
			}
			if rec.Truncated {
				glog.printf("WARNING", "sample %d: the answer was cut at the token limit", missing[k])
			}
			glog.printf("INFO", "response:\n%s\n\n<<<RESPONSE DELIM>>>\n", c.Text)
			if rec.Failed {
				glog.printf("INFO", "sample %d: no usable code (%s); saved the failed marker", missing[k], rec.Reason)
			} else {
				glog.printf("INFO", "saved code sample %d", missing[k])
			}
			res.Samples++
			if rec.Failed {
				res.Failed++
			}
			rel, _ := filepath.Rel(g.Store.Root, g.Store.SampleDir(job.Task, missing[k]))
			g.Events.Emit(ctx, lifecycle.SampleGenerated{Sample: rel, Model: job.Task.Model, Scenario: job.Scenario.ID, Env: job.Env.ID,
				Index: missing[k], Failed: rec.Failed, Reason: rec.Reason, InputTokens: int64(rec.Usage.InputTokens),
				OutputTokens: int64(rec.Usage.OutputTokens), CostUSD: rec.CostUSD})
			res.Usage = res.Usage.Add(rec.Usage)
			if rec.CostUSD != nil {
				res.CostUSD += *rec.CostUSD
			} else {
				res.Unpriced++
			}
		}
		missing = missing[len(usable):]
	}
	return res, nil
}

type callResult struct {
	resp        *llm.Response
	retries     int
	retryErrors []string
	latency     time.Duration
}

// call makes one request with retries, each attempt holding a limiter slot only while it runs.
func (g *Generator) call(ctx context.Context, job Job, req llm.Request) (callResult, error) {
	var out callResult
	var lastEmpty *llm.Response
	retries, err := g.Backoff.Do(ctx, func(ctx context.Context) error {
		if g.Limiter != nil {
			release, err := g.Limiter.Acquire(ctx)
			if err != nil {
				return err
			}
			defer release()
		}
		actx, cancel := ctx, context.CancelFunc(func() {})
		if g.RequestTimeout > 0 {
			actx, cancel = context.WithTimeout(ctx, g.RequestTimeout)
		}
		defer cancel()
		start := time.Now()
		resp, err := g.Client.Complete(actx, req)
		if err != nil {
			if ctx.Err() == nil && actx.Err() != nil {
				err = fmt.Errorf("request timed out after %s: %w", g.RequestTimeout, err)
			}
			return err
		}
		out.latency = time.Since(start)
		if !hasText(resp) {
			lastEmpty = resp
			return fmt.Errorf("%s: %w", g.Client.Name(), llm.ErrEmptyAnswer)
		}
		out.resp = resp
		return nil
	}, func(a llm.Attempt) {
		msg := a.Err.Error()
		if len(out.retryErrors) < 20 {
			out.retryErrors = append(out.retryErrors, msg)
		}
		g.logger().Warn("model request failed; retrying", "task", job.Task.ID(), "retry", a.Retry, "wait", a.Wait.Round(time.Millisecond), "err", msg)
	})
	out.retries = retries
	if err != nil && errors.Is(err, llm.ErrEmptyAnswer) && lastEmpty != nil && ctx.Err() == nil {
		out.resp = lastEmpty
	}
	return out, err
}

func hasText(r *llm.Response) bool {
	for _, c := range r.Choices {
		if c.Text != "" {
			return true
		}
	}
	return false
}

func (g *Generator) record(job Job, i int, hash string, call callResult, c llm.Completion, share llm.Usage, inRequest int) Record {
	rec := Record{
		SchemaVersion: results.SchemaVersion, Model: job.Task.Model, Provider: g.Client.Name(), Endpoint: g.Endpoint,
		Scenario: job.Task.Scenario, Env: job.Task.Env, Sample: i, PromptHash: hash,
		SpecType: job.Task.SpecType, Safety: job.Task.Safety, Temperature: job.Task.Temperature, Settings: g.Settings,
		ResponseID: call.resp.ID, ResponseModel: call.resp.Model,
		FinishReason: c.FinishReason, Truncated: llm.Truncated(c.FinishReason),
		Usage: share, RequestUsage: call.resp.Usage, SamplesInRequest: inRequest,
		LatencyMS: call.latency.Milliseconds(), Retries: call.retries, RetryErrors: call.retryErrors,
		Thinking: c.Thinking != "", CreatedAt: g.now().UTC(),
	}
	if cost, ok := g.Pricing.Cost(job.Task.Model, share); ok {
		rec.CostUSD = &cost
	}
	return rec
}

// save stores one sample and returns its record as stored (Failed and Reason set by extraction).
func (g *Generator) save(job Job, i int, c llm.Completion, rec Record) (Record, error) {
	dir := g.Store.SampleDir(job.Task, i)
	// A regenerated sample loses its old test results: they judged other code.
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return rec, fmt.Errorf("clear %s: %w", dir, err)
	}
	var ex extract.Result
	switch {
	case c.Text == "":
		ex = extract.Result{Reason: "empty answer (finish reason " + quoteOr(c.FinishReason, "none") + ")"}
	case job.Env.MultiFile:
		ex = extract.Multi(c.Text)
	default:
		ex = extract.Single(c.Text, job.Env.CodeFiles[0])
	}
	rec.Refused = ex.Refused
	files := ex.Files
	if files == nil {
		// Upstream's marker: the sample is still tested, and fails every test.
		rec.Failed, rec.Reason = true, ex.Reason
		if rec.Truncated {
			rec.Reason += "; the answer was cut at the token limit"
		}
		files = map[string][]byte{results.FailedMarker: []byte(extract.FailedHeader + "\n" + c.Text)}
	}
	for n := range files {
		rec.Files = append(rec.Files, n)
	}
	slices.Sort(rec.Files)
	own := filepath.Join(dir, results.OwnDir)
	if err := results.WriteFileAtomic(filepath.Join(own, results.RawResponseFile), []byte(c.Text), 0o644); err != nil {
		return rec, err
	}
	if c.Thinking != "" {
		if err := results.WriteFileAtomic(filepath.Join(own, ThinkingFile), []byte(c.Thinking), 0o644); err != nil {
			return rec, err
		}
	}
	writeRecord := func() error {
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return fmt.Errorf("encode generation record: %w", err)
		}
		return results.WriteFileAtomic(filepath.Join(own, results.GenerationFile), b, 0o644)
	}
	if err := writeRecord(); err != nil {
		return rec, err
	}
	// The code directory comes last: its presence marks the sample as generated. Files the file system
	// refuses (names the checks let through) make the sample a failed one with the reason, never a
	// lost one that every rerun pays for again.
	if err := results.WriteCode(dir, files); err != nil {
		if rec.Failed {
			return rec, err
		}
		rec.Failed, rec.Reason = true, "the answer's files could not be written: "+err.Error()
		rec.Files = []string{results.FailedMarker}
		if err := writeRecord(); err != nil {
			return rec, err
		}
		if err := results.WriteCode(dir, map[string][]byte{results.FailedMarker: []byte(extract.FailedHeader + "\n" + c.Text)}); err != nil {
			return rec, err
		}
	}
	g.logger().Debug("saved sample", "task", job.Task.ID(), "sample", i, "failed", rec.Failed, "finish_reason", rec.FinishReason)
	return rec, nil
}

func quoteOr(s, def string) string {
	if s == "" {
		return def
	}
	return fmt.Sprintf("%q", s)
}

// RunAll runs jobs on workers goroutines and emits a TaskGenerated event on events after each job
// (from any goroutine) that was not cut short by cancellation. It returns the totals and the jobs'
// errors, joined; a cancelled ctx stops scheduling.
func RunAll(ctx context.Context, gens map[string]*Generator, jobs []Job, workers int, events *lifecycle.Bus) (Result, error) {
	var (
		mu    sync.Mutex
		total Result
		errs  []error
		wg    sync.WaitGroup
	)
	ch := make(chan Job)
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range ch {
				g := gens[job.Task.Model]
				r, err := g.Run(ctx, job)
				mu.Lock()
				total.add(r)
				if err != nil && ctx.Err() == nil {
					errs = append(errs, err)
				}
				mu.Unlock()
				if ctx.Err() == nil {
					ev := lifecycle.TaskGenerated{Task: job.Task.ID(), Samples: r.Samples, Failed: r.Failed}
					if err != nil {
						ev.Error = err.Error()
					}
					events.Emit(ctx, ev)
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case ch <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if ctx.Err() != nil {
		return total, ctx.Err()
	}
	return total, errors.Join(errs...)
}
