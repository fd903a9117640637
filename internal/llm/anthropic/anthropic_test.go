package anthropic

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/llmtest"
)

func request(model string) llm.Request {
	return llm.Request{Model: model, Settings: Settings(model), System: "persona", User: "write an app", Temperature: 0.2, N: 1}
}

func TestSettingsFollowUpstream(t *testing.T) {
	s := Settings("claude-sonnet-4-20250514")
	if s.MaxTokens != 64000 || s.ThinkingBudget != 63999 || !s.Stream || !s.OmitTemperature || s.SystemRole != llm.RoleNone {
		t.Errorf("thinking model: %+v", s)
	}
	if s := Settings("claude-3-5-sonnet-20241022"); s.MaxTokens != 8192 || s.Stream || s.ThinkingBudget != 0 || s.SystemRole != llm.RoleSystem {
		t.Errorf("claude-3-5: %+v", s)
	}
	if s := Settings("claude-3-opus-20240229"); s.MaxTokens != 4096 {
		t.Errorf("other: %+v", s)
	}
	if s := Normalize(llm.Settings{MaxTokens: 4096, ThinkingBudget: 10000}); s.MaxTokens <= 10000 || !s.Stream || !s.OmitTemperature {
		t.Errorf("a budget above max_tokens must be made valid: %+v", s)
	}
}

func TestPlainRequest(t *testing.T) {
	srv := llmtest.New(t)
	c := New(Config{BaseURL: srv.URL, APIKey: "sk-ant"})
	res, err := c.Complete(context.Background(), request("claude-3-5-sonnet-20241022"))
	if err != nil {
		t.Fatal(err)
	}
	call := srv.Calls()[0]
	if call.Stream || call.System != "persona" || call.Temperature == nil || *call.Temperature != 0.2 || call.MaxTokens != 8192 || call.ThinkingBudget != 0 {
		t.Fatalf("request %+v", call)
	}
	if call.Header.Get("X-Api-Key") != "sk-ant" {
		t.Fatalf("key header %q", call.Header.Get("X-Api-Key"))
	}
	if len(res.Choices) != 1 || !strings.Contains(res.Choices[0].Text, "<CODE>") || res.Choices[0].FinishReason != "end_turn" || res.Usage.InputTokens == 0 {
		t.Fatalf("response %+v", res)
	}
}

func TestStreamingWithThinking(t *testing.T) {
	srv := llmtest.New(t)
	srv.Thinking = "The API has two routes."
	c := New(Config{BaseURL: srv.URL, APIKey: "k"})
	res, err := c.Complete(context.Background(), request("claude-sonnet-4-20250514"))
	if err != nil {
		t.Fatal(err)
	}
	call := srv.Calls()[0]
	if !call.Stream || call.ThinkingBudget != 63999 || call.MaxTokens != 64000 || call.Temperature != nil || call.SystemRole != "" {
		t.Fatalf("request %+v", call)
	}
	want := llmtest.DefaultAnswer(call, 1)
	ch := res.Choices[0]
	if ch.Text != want || ch.Thinking != "The API has two routes." || ch.FinishReason != "end_turn" || res.Usage.OutputTokens == 0 {
		t.Fatalf("assembled %+v, want text %q", ch, want)
	}

	srv.Push(llmtest.Fault{Kind: llmtest.Truncate})
	res, err = c.Complete(context.Background(), request("claude-sonnet-4-20250514"))
	if err != nil || res.Choices[0].FinishReason != "max_tokens" || !llm.Truncated(res.Choices[0].FinishReason) {
		t.Fatalf("truncated stream: %v %+v", err, res)
	}
}

func TestStreamFaultsNeverYieldHalfAnAnswer(t *testing.T) {
	srv := llmtest.New(t)
	c := New(Config{BaseURL: srv.URL, APIKey: "k"})
	for _, k := range []llmtest.Kind{llmtest.Drop, llmtest.EndEarly, llmtest.Malformed} {
		srv.Push(llmtest.Fault{Kind: k})
		res, err := c.Complete(context.Background(), request("claude-opus-4-20250514"))
		if err == nil || llm.IsPermanent(err) {
			t.Fatalf("kind %d: got %+v, %v; want a retryable error", k, res, err)
		}
		if k == llmtest.EndEarly && !errors.Is(err, llm.ErrIncomplete) {
			t.Fatalf("a stream without message_stop: %v", err)
		}
	}
	srv.Push(llmtest.Fault{Kind: llmtest.Throttle, RetryAfter: "3"})
	_, err := c.Complete(context.Background(), request("claude-opus-4-20250514"))
	var se *llm.StatusError
	if !errors.As(err, &se) || se.Status != 429 || se.RetryAfter != 3*time.Second {
		t.Fatalf("429 on a stream: %v", err)
	}
	srv.Push(llmtest.Fault{Kind: llmtest.ServerError, Status: 529})
	if _, err := c.Complete(context.Background(), request("claude-3-5-sonnet-20241022")); !errors.As(err, &se) || se.Status != 529 || llm.IsPermanent(err) {
		t.Fatalf("529: %v", err)
	}
	srv.Push(llmtest.Fault{Kind: llmtest.Malformed})
	if _, err := c.Complete(context.Background(), request("claude-3-5-sonnet-20241022")); err == nil || llm.IsPermanent(err) {
		t.Fatalf("malformed body: %v", err)
	}
	if _, err := c.Complete(context.Background(), llm.Request{Model: "claude-x", N: 2, Settings: Settings("claude-x")}); !llm.IsPermanent(err) {
		t.Fatalf("n=2: %v", err)
	}
}
