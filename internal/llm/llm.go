// Package llm is the seam between generation and model providers: one request, some completions. It
// also holds what every provider shares: request settings, error classes, retries with backoff that
// honour Retry-After, a per-provider limiter, and the pricing table.
package llm

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Provider names, as they appear in records and in --provider.
const (
	ProviderOpenAI    = "openai"
	ProviderAnthropic = "anthropic"
	ProviderCompat    = "compat" // any OpenAI-compatible endpoint
	ProviderReference = "reference"
)

// System roles for the persona message.
const (
	RoleSystem    = "system"
	RoleDeveloper = "developer"
	RoleNone      = "none"
)

// Settings are the per-model request parameters a provider sends. They are resolved once per model
// (provider defaults from the upstream tables, then user overrides) and recorded with every sample.
type Settings struct {
	// APIModel is the name sent to the API when it differs from the model name in the store
	// (OpenRouter's remapped names).
	APIModel        string `json:"api_model,omitempty"`
	MaxTokens       int    `json:"max_tokens,omitempty"` // 0: let the API decide
	ReasoningEffort string `json:"reasoning_effort,omitempty"`
	ThinkingBudget  int    `json:"thinking_budget,omitempty"` // Anthropic extended thinking
	SystemRole      string `json:"system_role"`
	OmitTemperature bool   `json:"omit_temperature,omitempty"`
	Stream          bool   `json:"stream,omitempty"`
	// SamplesPerRequest is how many completions one request may ask for (OpenAI's n); 1 means
	// sequential requests.
	SamplesPerRequest int `json:"samples_per_request"`
	// Extra holds additional top-level JSON body fields (e.g. OpenRouter's provider preferences).
	Extra map[string]any `json:"extra_body,omitempty"`
}

// Request asks for N completions of one prompt.
type Request struct {
	Model       string
	Settings    Settings
	System      string
	User        string
	Temperature float64
	N           int
	// Scenario and Env identify the task; providers that answer from data (the reference model) use them.
	Scenario *scenario.Scenario
	Env      *env.Env
}

// APIModel is the model name to send.
func (r Request) APIModel() string {
	if r.Settings.APIModel != "" {
		return r.Settings.APIModel
	}
	return r.Model
}

// Usage counts tokens.
type Usage struct {
	InputTokens  int `json:"input_tokens"`
	OutputTokens int `json:"output_tokens"`
	// ReasoningTokens is the part of OutputTokens spent on hidden reasoning, when the API says.
	ReasoningTokens int `json:"reasoning_tokens,omitempty"`
}

// Add sums two usages.
func (u Usage) Add(v Usage) Usage {
	return Usage{u.InputTokens + v.InputTokens, u.OutputTokens + v.OutputTokens, u.ReasoningTokens + v.ReasoningTokens}
}

// Completion is one answer.
type Completion struct {
	Text string
	// Thinking is visible reasoning text (Anthropic thinking, reasoning_content of compatible servers).
	Thinking     string
	FinishReason string
}

// Response is what one request returned.
type Response struct {
	ID      string
	Model   string // as the API reports it
	Choices []Completion
	Usage   Usage // of the whole request
}

// Client is a model provider. Complete makes one request and does not retry: retries, limits and
// accounting belong to the caller, so that every attempt is counted once.
type Client interface {
	// Name identifies the provider in records.
	Name() string
	Complete(ctx context.Context, req Request) (*Response, error)
}

// Truncated reports whether a finish reason says the answer hit the token limit.
func Truncated(finishReason string) bool {
	return finishReason == "length" || finishReason == "max_tokens"
}

// SplitUsage spreads a request's usage over n completions, so that the shares add up to the whole:
// the remainder goes to the first shares.
func SplitUsage(u Usage, n int) []Usage {
	if n <= 0 {
		return nil
	}
	out := make([]Usage, n)
	for i := range out {
		out[i] = Usage{
			InputTokens:     share(u.InputTokens, n, i),
			OutputTokens:    share(u.OutputTokens, n, i),
			ReasoningTokens: share(u.ReasoningTokens, n, i),
		}
	}
	return out
}

func share(total, n, i int) int {
	s := total / n
	if i < total%n {
		s++
	}
	return s
}
