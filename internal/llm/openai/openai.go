// Package openai talks to the OpenAI chat completions API, and to any server that speaks it (the
// compat package configures it for those), through the official openai-go SDK.
package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/baxbench/baxbench-go/internal/llm"
)

// DefaultBaseURL is OpenAI's API.
const DefaultBaseURL = "https://api.openai.com/v1/"

// Config configures a client. Nothing is read from the environment: the caller passes the key.
type Config struct {
	// Name is the provider name in records ("openai", "compat", "openrouter", ...).
	Name    string
	BaseURL string
	APIKey  string // empty: no Authorization header (local servers)
	// HTTPClient defaults to a client without a global timeout (requests are bounded by their context).
	HTTPClient *http.Client
	// LegacyMaxTokens sends max_tokens instead of max_completion_tokens, which many compatible
	// servers still expect.
	LegacyMaxTokens bool
	Headers         map[string]string
}

// Client is one endpoint.
type Client struct {
	cfg  Config
	chat sdk.ChatCompletionService
}

// New builds a client. The SDK's own retries are off: the caller retries and counts attempts.
func New(cfg Config) *Client {
	if cfg.Name == "" {
		cfg.Name = llm.ProviderOpenAI
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	opts := []option.RequestOption{
		option.WithBaseURL(cfg.BaseURL), option.WithHTTPClient(hc), option.WithMaxRetries(0),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	for k, v := range cfg.Headers {
		opts = append(opts, option.WithHeader(k, v))
	}
	// NewChatCompletionService, unlike NewClient, reads no OPENAI_* environment variables.
	return &Client{cfg: cfg, chat: sdk.NewChatCompletionService(opts...)}
}

// Name implements llm.Client.
func (c *Client) Name() string { return c.cfg.Name }

// Complete implements llm.Client: one chat completion request with n = req.N.
func (c *Client) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	st := req.Settings
	params := sdk.ChatCompletionNewParams{Model: shared.ChatModel(req.APIModel())}
	switch st.SystemRole {
	case llm.RoleDeveloper:
		params.Messages = append(params.Messages, sdk.DeveloperMessage(req.System))
	case llm.RoleNone:
	default:
		params.Messages = append(params.Messages, sdk.SystemMessage(req.System))
	}
	params.Messages = append(params.Messages, sdk.UserMessage(req.User))
	if req.N > 1 {
		params.N = sdk.Int(int64(req.N))
	}
	if !st.OmitTemperature {
		params.Temperature = sdk.Float(req.Temperature)
	}
	if st.MaxTokens > 0 {
		if c.cfg.LegacyMaxTokens {
			params.MaxTokens = sdk.Int(int64(st.MaxTokens))
		} else {
			params.MaxCompletionTokens = sdk.Int(int64(st.MaxTokens))
		}
	}
	if st.ReasoningEffort != "" {
		params.ReasoningEffort = shared.ReasoningEffort(st.ReasoningEffort)
	}
	var opts []option.RequestOption
	for k, v := range st.Extra {
		opts = append(opts, option.WithJSONSet(k, v))
	}
	res, err := c.chat.New(ctx, params, opts...)
	if err != nil {
		return nil, c.mapError(err)
	}
	out := &llm.Response{ID: res.ID, Model: res.Model, Usage: llm.Usage{
		InputTokens:     int(res.Usage.PromptTokens),
		OutputTokens:    int(res.Usage.CompletionTokens),
		ReasoningTokens: int(res.Usage.CompletionTokensDetails.ReasoningTokens),
	}}
	for _, ch := range res.Choices {
		out.Choices = append(out.Choices, llm.Completion{
			Text: ch.Message.Content, FinishReason: ch.FinishReason, Thinking: reasoningOf(ch.Message),
		})
	}
	if len(out.Choices) == 0 {
		return out, fmt.Errorf("%s: %w (no choices)", c.cfg.Name, llm.ErrEmptyAnswer)
	}
	return out, nil
}

// reasoningOf returns the visible reasoning some compatible servers add to the message
// (reasoning_content: vLLM, DeepSeek; reasoning: OpenRouter, Ollama).
func reasoningOf(m sdk.ChatCompletionMessage) string {
	for _, k := range []string{"reasoning_content", "reasoning"} {
		f, ok := m.JSON.ExtraFields[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal([]byte(f.Raw()), &s) == nil && s != "" {
			return s
		}
	}
	return ""
}

func (c *Client) mapError(err error) error {
	var apiErr *sdk.Error
	if errors.As(err, &apiErr) {
		se := &llm.StatusError{Provider: c.cfg.Name, Status: apiErr.StatusCode, Err: err, Message: apiErr.Message}
		if se.Message == "" {
			se.Message = strings.TrimSpace(truncate(apiErr.RawJSON(), 300))
		}
		if apiErr.Response != nil {
			se.RetryAfter = llm.ParseRetryAfter(apiErr.Response.Header, time.Now())
		}
		return se
	}
	return fmt.Errorf("%s: %w", c.cfg.Name, err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
