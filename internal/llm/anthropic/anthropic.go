// Package anthropic talks to the Anthropic messages API through the official anthropic-sdk-go:
// streaming for long outputs and extended thinking with a token budget.
package anthropic

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/baxbench/baxbench-go/internal/llm"
)

// DefaultBaseURL is Anthropic's API.
const DefaultBaseURL = "https://api.anthropic.com/"

// Config configures a client. Nothing is read from the environment: the caller passes the key.
type Config struct {
	BaseURL    string
	APIKey     string
	HTTPClient *http.Client
}

// Client is one Anthropic endpoint.
type Client struct {
	msgs sdk.MessageService
}

// New builds a client. The SDK's own retries are off: the caller retries and counts attempts.
func New(cfg Config) *Client {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	c := sdk.NewClient(option.WithoutEnvironmentDefaults(), option.WithBaseURL(cfg.BaseURL),
		option.WithAPIKey(cfg.APIKey), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	return &Client{msgs: c.Messages}
}

// Name implements llm.Client.
func (c *Client) Name() string { return llm.ProviderAnthropic }

// Complete implements llm.Client. The messages API gives one completion per request.
func (c *Client) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	if req.N > 1 {
		return nil, llm.Permanent(fmt.Errorf("anthropic: %d completions asked of one request; the API gives one", req.N))
	}
	st := req.Settings
	params := sdk.MessageNewParams{
		Model:     sdk.Model(req.APIModel()),
		MaxTokens: int64(st.MaxTokens),
		Messages:  []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock(req.User))},
	}
	if st.SystemRole != llm.RoleNone && req.System != "" {
		params.System = []sdk.TextBlockParam{{Text: req.System}}
	}
	if !st.OmitTemperature {
		params.Temperature = sdk.Float(req.Temperature)
	}
	if st.ThinkingBudget > 0 {
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(int64(st.ThinkingBudget))
	}
	var opts []option.RequestOption
	for k, v := range st.Extra {
		opts = append(opts, option.WithJSONSet(k, v))
	}
	var msg sdk.Message
	if st.Stream {
		stream := c.msgs.NewStreaming(ctx, params, opts...)
		defer stream.Close()
		complete := false
		for stream.Next() {
			ev := stream.Current()
			if err := msg.Accumulate(ev); err != nil {
				return nil, fmt.Errorf("anthropic: stream: %w", err)
			}
			if ev.Type == "message_stop" {
				complete = true
			}
		}
		if err := stream.Err(); err != nil {
			return nil, mapError(err)
		}
		if !complete {
			// A stream that ends without message_stop lost its tail: never take half an answer.
			return nil, fmt.Errorf("anthropic: %w (stream ended without message_stop)", llm.ErrIncomplete)
		}
	} else {
		res, err := c.msgs.New(ctx, params, opts...)
		if err != nil {
			return nil, mapError(err)
		}
		msg = *res
	}
	var text, thinking strings.Builder
	for _, b := range msg.Content {
		switch b.Type {
		case "text":
			text.WriteString(b.Text)
		case "thinking":
			thinking.WriteString(b.Thinking)
		}
	}
	u := msg.Usage
	return &llm.Response{
		ID: msg.ID, Model: string(msg.Model),
		Usage: llm.Usage{
			InputTokens:  int(u.InputTokens + u.CacheCreationInputTokens + u.CacheReadInputTokens),
			OutputTokens: int(u.OutputTokens),
		},
		Choices: []llm.Completion{{Text: text.String(), Thinking: thinking.String(), FinishReason: string(msg.StopReason)}},
	}, nil
}

func mapError(err error) error {
	var apiErr *sdk.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode != 0 {
		se := &llm.StatusError{Provider: llm.ProviderAnthropic, Status: apiErr.StatusCode, Err: err}
		var body struct {
			Error struct{ Type, Message string }
		}
		raw := apiErr.RawJSON()
		if json.Unmarshal([]byte(raw), &body) == nil && body.Error.Message != "" {
			se.Message = body.Error.Type + ": " + body.Error.Message
		} else {
			if len(raw) > 300 {
				raw = raw[:300] + "..."
			}
			se.Message = strings.TrimSpace(raw)
		}
		if apiErr.Response != nil {
			se.RetryAfter = llm.ParseRetryAfter(apiErr.Response.Header, time.Now())
		}
		return se
	}
	return fmt.Errorf("anthropic: %w", err)
}
