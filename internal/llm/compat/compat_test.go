package compat

import (
	"context"
	"testing"

	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/llmtest"
)

func TestSettingsFollowUpstream(t *testing.T) {
	or, _ := Lookup("openrouter")
	s := Settings(or, "meta-llama/Llama-3.3-70B-Instruct-Turbo", "low")
	if s.APIModel != "meta-llama/llama-3.3-70b-instruct" || s.MaxTokens != 131072-3000 || s.SamplesPerRequest != 1 {
		t.Errorf("openrouter remap: %+v", s)
	}
	s = Settings(or, "qwen/qwq-32b", "low")
	if ign := s.Extra["provider"].(map[string]any)["ignore"].([]string); len(ign) != 1 || ign[0] != "Groq" {
		t.Errorf("openrouter exclusions: %+v", s.Extra)
	}
	if s := Settings(or, "x-ai/grok-3-mini-beta", "low"); s.ReasoningEffort != "high" {
		t.Errorf("grok-3-mini-beta effort %q", s.ReasoningEffort)
	}
	tg, _ := Lookup("together")
	if s := Settings(tg, "unlisted/model", "low"); s.MaxTokens != 8192 || s.SamplesPerRequest != 0 {
		t.Errorf("together default: %+v", s)
	}
	vl, _ := Lookup("vllm")
	if s := Settings(vl, "openai/gpt-oss-20b", "low"); s.MaxTokens != 16384-3000 || s.ReasoningEffort != "low" {
		t.Errorf("vllm gpt-oss: %+v", s)
	}
	if s := Settings(vl, "my/model", "low"); s.MaxTokens != 29000 || s.ReasoningEffort != "" {
		t.Errorf("vllm default: %+v", s)
	}
}

func TestClientSpeaksToBaseURL(t *testing.T) {
	srv := llmtest.New(t)
	p, _ := Lookup(llm.ProviderCompat)
	c := New(p, srv.BaseURL(), "", nil)
	st := Settings(p, "local-model", "high")
	res, err := c.Complete(context.Background(), llm.Request{Model: "local-model", Settings: st, System: "s", User: "u", N: 1})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "compat" || len(res.Choices) != 1 {
		t.Fatalf("name %q, %d choices", c.Name(), len(res.Choices))
	}
	call := srv.Calls()[0]
	if call.Model != "local-model" || call.MaxTokensField != "max_tokens" || call.MaxTokens != 8192 || call.SystemRole != "system" {
		t.Fatalf("request %+v", call)
	}
}
