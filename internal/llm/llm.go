// Package llm is the seam between generation and model providers: one request, some completions.
package llm

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Request asks for N completions of one prompt.
type Request struct {
	Model       string
	System      string
	User        string
	Temperature float64
	N           int
	// Scenario and Env identify the task; providers that answer from data (the reference model) use them.
	Scenario *scenario.Scenario
	Env      *env.Env
}

// Usage counts tokens.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
}

// Completion is one answer.
type Completion struct {
	Text         string `json:"-"`
	FinishReason string `json:"finish_reason"`
	Usage        Usage  `json:"usage"`
}

// Client is a model provider.
type Client interface {
	// Name identifies the provider in records.
	Name() string
	Complete(ctx context.Context, req Request) ([]Completion, error)
}
