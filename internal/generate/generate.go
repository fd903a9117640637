// Package generate is the generation stage: task and sample -> prompt -> model -> extracted files in the
// store, with the raw answer and a generation record beside them.
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
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/extract"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/prompt"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Record is sample<i>/baxbench/generation.json.
type Record struct {
	SchemaVersion int       `json:"schema_version"`
	Model         string    `json:"model"`
	Provider      string    `json:"provider"`
	PromptHash    string    `json:"prompt_hash"`
	SpecType      string    `json:"spec_type"`
	Safety        string    `json:"safety_prompt"`
	Temperature   float64   `json:"temperature"`
	FinishReason  string    `json:"finish_reason"`
	Truncated     bool      `json:"truncated"`
	Usage         llm.Usage `json:"usage"`
	LatencyMS     int64     `json:"latency_ms"`
	Files         []string  `json:"files,omitempty"`
	Failed        bool      `json:"failed"`
	Reason        string    `json:"reason,omitempty"`
	Refused       []string  `json:"refused,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// Job is one task to generate samples for.
type Job struct {
	Task     results.Task
	Scenario *scenario.Scenario
	Env      *env.Env
	N        int
}

// Generator runs the stage.
type Generator struct {
	Store  *results.Store
	Client llm.Client
	Log    *slog.Logger
	// Force regenerates every sample; SkipFailed treats samples whose answer could not be parsed as done.
	Force, SkipFailed bool
}

// Missing lists the sample indices of job that still need generating.
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

// Run generates the missing samples of job and returns how many were written.
func (g *Generator) Run(ctx context.Context, job Job) (int, error) {
	missing := g.Missing(job)
	if len(missing) == 0 {
		return 0, nil
	}
	user, err := prompt.Build(job.Scenario, job.Env, prompt.Options{SpecType: job.Task.SpecType, Safety: job.Task.Safety})
	if err != nil {
		return 0, err
	}
	hash := prompt.Hash(prompt.System, user)
	start := time.Now()
	comps, err := g.Client.Complete(ctx, llm.Request{
		Model: job.Task.Model, System: prompt.System, User: user,
		Temperature: job.Task.Temperature, N: len(missing),
		Scenario: job.Scenario, Env: job.Env,
	})
	if err != nil {
		return 0, fmt.Errorf("generate %s: %w", job.Task.ID(), err)
	}
	latency := time.Since(start)
	written := 0
	for i, c := range comps {
		if i >= len(missing) {
			break
		}
		if err := g.save(job, missing[i], c, hash, latency); err != nil {
			return written, err
		}
		written++
	}
	g.Log.Info("generated", "task", job.Task.ID(), "samples", written, "duration_ms", latency.Milliseconds())
	return written, nil
}

func (g *Generator) save(job Job, i int, c llm.Completion, hash string, latency time.Duration) error {
	dir := g.Store.SampleDir(job.Task, i)
	// A regenerated sample loses its old test results: they judged other code.
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("clear %s: %w", dir, err)
	}
	var ex extract.Result
	if job.Env.MultiFile {
		ex = extract.Multi(c.Text)
	} else {
		ex = extract.Single(c.Text, job.Env.CodeFiles[0])
	}
	rec := Record{
		SchemaVersion: results.SchemaVersion, Model: job.Task.Model, Provider: g.Client.Name(), PromptHash: hash,
		SpecType: job.Task.SpecType, Safety: job.Task.Safety, Temperature: job.Task.Temperature,
		FinishReason: c.FinishReason, Truncated: c.FinishReason == "length" || c.FinishReason == "max_tokens",
		Usage: c.Usage, LatencyMS: latency.Milliseconds(), Refused: ex.Refused, CreatedAt: time.Now().UTC(),
	}
	files := ex.Files
	if files == nil {
		// Upstream's marker: the sample is still tested, and fails every test.
		rec.Failed, rec.Reason = true, ex.Reason
		files = map[string][]byte{results.FailedMarker: []byte(extract.FailedHeader + "\n" + c.Text)}
	}
	for n := range files {
		rec.Files = append(rec.Files, n)
	}
	own := filepath.Join(dir, results.OwnDir)
	if err := results.WriteFileAtomic(filepath.Join(own, results.RawResponseFile), []byte(c.Text), 0o644); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(rec, "", "  ")
	if err := results.WriteFileAtomic(filepath.Join(own, results.GenerationFile), b, 0o644); err != nil {
		return err
	}
	// The code directory comes last: its presence marks the sample as generated.
	return results.WriteCode(dir, files)
}
