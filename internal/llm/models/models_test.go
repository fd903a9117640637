package models

import (
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/scenarios/login"
)

func TestProviderChoice(t *testing.T) {
	env := map[string]string{"OPENAI_API_KEY": "k", "ANTHROPIC_API_KEY": "k", "OPENROUTER_API_KEY": "k"}
	cases := []struct {
		model    string
		o        Options
		provider string
		why      string
		err      string
	}{
		{"reference", Options{}, llm.ProviderReference, "built-in model", ""},
		{"claude-sonnet-4-20250514", Options{}, llm.ProviderAnthropic, "model name contains \"claude\"", ""},
		{"gpt-4o", Options{}, llm.ProviderOpenAI, "OpenAI model name", ""},
		{"o3-mini", Options{}, llm.ProviderOpenAI, "OpenAI model name", ""},
		{"qwen", Options{Flags: Flags{BaseURL: "http://127.0.0.1:8000/v1"}}, llm.ProviderCompat, "--base-url", ""},
		{"qwen", Options{Flags: Flags{Provider: "openrouter"}}, "openrouter", "--provider", ""},
		{"qwen", Options{Config: map[string]Entry{"qwen": {Provider: "ollama"}}}, "ollama", "--model-config", ""},
		{"qwen", Options{}, "", "", "cannot tell which provider"},
		{"qwen", Options{Flags: Flags{Provider: "nosuch"}}, "", "", "unknown provider"},
		{"gpt-4o", Options{NeedKeys: true, Flags: Flags{APIKeyEnv: "MY_KEY"}}, "", "", "needs an API key: set MY_KEY"},
	}
	for _, c := range cases {
		c.o.Getenv = func(k string) string { return env[k] }
		s, err := Resolve(c.model, c.o)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("%s %+v: want error %q, got %v", c.model, c.o.Flags, c.err, err)
			}
			continue
		}
		if err != nil || s.Provider != c.provider || s.Why != c.why || s.Client == nil {
			t.Fatalf("%s: %+v %v", c.model, s, err)
		}
	}
}

func TestSettingsOverrides(t *testing.T) {
	no := false
	s, err := Resolve("gpt-4o", Options{
		Getenv: func(string) string { return "k" },
		Flags:  Flags{MaxTokens: 100},
		Config: map[string]Entry{"gpt-4o": {MaxTokens: 200, APIModel: "gpt-4o-2024", SystemRole: "developer", OmitTemperature: &no, Extra: map[string]any{"seed": 1}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	st := s.Settings
	if st.MaxTokens != 200 || st.APIModel != "gpt-4o-2024" || st.SystemRole != "developer" || st.Extra["seed"] != 1 {
		t.Fatalf("%+v", st)
	}
	if _, err := Resolve("gpt-4o", Options{Config: map[string]Entry{"gpt-4o": {SystemRole: "boss"}}}); err == nil {
		t.Fatal("bad system_role accepted")
	}
	// A local compatible endpoint needs no key; a remote one does.
	if s, err := Resolve("m", Options{NeedKeys: true, Getenv: func(string) string { return "" }, Flags: Flags{BaseURL: "http://localhost:11434/v1"}}); err != nil || s.KeyMissing {
		t.Fatalf("local: %+v %v", s, err)
	}
	if _, err := Resolve("m", Options{NeedKeys: true, Getenv: func(string) string { return "" }, Flags: Flags{BaseURL: "https://api.example.com/v1"}}); err == nil {
		t.Fatal("remote endpoint without key accepted")
	}
}

func TestReferenceCoverage(t *testing.T) {
	e, _ := env.Lookup("Go-net/http")
	if _, err := Resolve("reference", Options{Tasks: []Task{{Model: "reference", Scenario: login.Scenario(), Env: e}}}); err != nil {
		t.Fatal(err)
	}
	bare := login.Scenario()
	bare.Solutions = nil
	if _, err := Resolve("reference", Options{Tasks: []Task{{Model: "reference", Scenario: bare, Env: e}}}); err == nil || !strings.Contains(err.Error(), "no solution for 1") {
		t.Fatalf("want a coverage error, got %v", err)
	}
}

func TestReadConfig(t *testing.T) {
	cfg, err := ReadConfig(strings.NewReader(`{"m": {"provider": "compat", "base_url": "http://x/v1", "max_tokens": 5}}`))
	if err != nil || cfg["m"].MaxTokens != 5 {
		t.Fatalf("%+v %v", cfg, err)
	}
	if _, err := ReadConfig(strings.NewReader(`{"m": {"max_token": 5}}`)); err == nil {
		t.Fatal("unknown key accepted")
	}
}
