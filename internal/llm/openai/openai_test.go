package openai

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/llmtest"
)

func request(model string, n int) llm.Request {
	return llm.Request{Model: model, Settings: Settings(model, "medium"), System: "persona", User: "write an app", Temperature: 0.2, N: n}
}

func TestRequestParameters(t *testing.T) {
	srv := llmtest.New(t)
	c := New(Config{BaseURL: srv.BaseURL(), APIKey: "sk-test"})
	ctx := context.Background()
	cases := []struct {
		model      string
		role       string
		temp       bool
		effort     string
		maxTokens  int
		n          int
		wantChoice int
	}{
		{"gpt-4o", "system", true, "", 16384, 3, 3},
		{"o3-2025-04-16", "developer", false, "medium", 100000, 2, 2},
		{"o1-mini", "", false, "", 65536, 1, 1},
		{"gpt-unknown", "system", true, "", 0, 1, 1},
	}
	for _, tc := range cases {
		res, err := c.Complete(ctx, request(tc.model, tc.n))
		if err != nil {
			t.Fatalf("%s: %v", tc.model, err)
		}
		calls := srv.Calls()
		call := calls[len(calls)-1]
		if call.SystemRole != tc.role || (call.Temperature != nil) != tc.temp || call.ReasoningEffort != tc.effort || call.N != tc.n {
			t.Errorf("%s: role %q temp %v effort %q n %d", tc.model, call.SystemRole, call.Temperature, call.ReasoningEffort, call.N)
		}
		if call.MaxTokens != tc.maxTokens || (tc.maxTokens > 0 && call.MaxTokensField != "max_completion_tokens") {
			t.Errorf("%s: %s=%d, want max_completion_tokens=%d", tc.model, call.MaxTokensField, call.MaxTokens, tc.maxTokens)
		}
		if got := call.Header.Get("Authorization"); got != "Bearer sk-test" {
			t.Errorf("%s: Authorization %q", tc.model, got)
		}
		if len(res.Choices) != tc.wantChoice || res.Usage.InputTokens == 0 || res.Usage.OutputTokens == 0 || res.ID == "" {
			t.Errorf("%s: response %+v", tc.model, res)
		}
		for _, ch := range res.Choices {
			if !strings.Contains(ch.Text, "<CODE>") || ch.FinishReason != "stop" {
				t.Errorf("%s: choice %+v", tc.model, ch)
			}
		}
	}
}

func TestFaultsBecomeClassifiedErrors(t *testing.T) {
	srv := llmtest.New(t)
	c := New(Config{BaseURL: srv.BaseURL(), APIKey: "k"})
	ctx := context.Background()

	srv.Push(llmtest.Fault{Kind: llmtest.Throttle, RetryAfter: "7"})
	_, err := c.Complete(ctx, request("gpt-4o", 1))
	var se *llm.StatusError
	if !errors.As(err, &se) || se.Status != 429 || se.RetryAfter != 7*time.Second || llm.IsPermanent(err) {
		t.Fatalf("429: %v (%+v)", err, se)
	}
	srv.Push(llmtest.Fault{Kind: llmtest.Throttle, RetryAfterMS: 40})
	_, err = c.Complete(ctx, request("gpt-4o", 1))
	if llm.RetryAfterOf(err) != 40*time.Millisecond {
		t.Fatalf("retry-after-ms not honoured: %v", llm.RetryAfterOf(err))
	}
	srv.Push(llmtest.Fault{Kind: llmtest.ServerError, Status: 503})
	if _, err = c.Complete(ctx, request("gpt-4o", 1)); !errors.As(err, &se) || se.Status != 503 || llm.IsPermanent(err) {
		t.Fatalf("503: %v", err)
	}
	srv.Push(llmtest.Fault{Kind: llmtest.ServerError, Status: 401})
	if _, err = c.Complete(ctx, request("gpt-4o", 1)); !llm.IsPermanent(err) {
		t.Fatalf("401 must be permanent: %v", err)
	}
	for _, k := range []llmtest.Kind{llmtest.Malformed, llmtest.Drop} {
		srv.Push(llmtest.Fault{Kind: k})
		if _, err = c.Complete(ctx, request("gpt-4o", 2)); err == nil || llm.IsPermanent(err) {
			t.Fatalf("kind %d: want a retryable error, got %v", k, err)
		}
	}
	srv.Push(llmtest.Fault{Kind: llmtest.Truncate})
	res, err := c.Complete(ctx, request("gpt-4o", 1))
	if err != nil || res.Choices[0].FinishReason != "length" || !llm.Truncated(res.Choices[0].FinishReason) {
		t.Fatalf("truncated: %v %+v", err, res)
	}
	srv.Push(llmtest.Fault{Kind: llmtest.Hang})
	tctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err = c.Complete(tctx, request("gpt-4o", 1)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hang: %v", err)
	}
}

func TestReasoningContentIsKept(t *testing.T) {
	srv := llmtest.New(t)
	srv.Thinking = "first, the routes"
	c := New(Config{Name: "compat", BaseURL: srv.BaseURL(), LegacyMaxTokens: true})
	req := request("some/model", 1)
	req.Settings.MaxTokens = 5000
	res, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if res.Choices[0].Thinking != "first, the routes" {
		t.Fatalf("thinking %q", res.Choices[0].Thinking)
	}
	call := srv.Calls()[0]
	if call.MaxTokensField != "max_tokens" || call.MaxTokens != 5000 || call.Header.Get("Authorization") != "" {
		t.Fatalf("compatible request: %s=%d auth %q", call.MaxTokensField, call.MaxTokens, call.Header.Get("Authorization"))
	}
}
