// Package models decides how each model of a run is served: which provider, endpoint, key and request
// settings, from the --model-config entry, the command's flags and, as a last resort, the model's name.
// It also owns the --model-config schema. Every error it returns is the user's to fix (a usage error).
package models

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/anthropic"
	"github.com/baxbench/baxbench-go/internal/llm/compat"
	"github.com/baxbench/baxbench-go/internal/llm/openai"
	"github.com/baxbench/baxbench-go/internal/llm/reference"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Entry is one model's entry in a --model-config file.
type Entry struct {
	Provider          string         `json:"provider"`
	BaseURL           string         `json:"base_url"`
	APIKeyEnv         string         `json:"api_key_env"`
	APIModel          string         `json:"api_model"`
	MaxTokens         int            `json:"max_tokens"`
	ReasoningEffort   string         `json:"reasoning_effort"`
	ThinkingBudget    int            `json:"thinking_budget"`
	SamplesPerRequest int            `json:"samples_per_request"`
	SystemRole        string         `json:"system_role"`
	OmitTemperature   *bool          `json:"omit_temperature"`
	Extra             map[string]any `json:"extra_body"`
}

// ReadConfig parses a --model-config document: model name -> Entry; unknown keys are errors.
func ReadConfig(r io.Reader) (map[string]Entry, error) {
	var cfg map[string]Entry
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

// Providers lists the providers a model can be served by (besides the built-in reference model).
func Providers() []string {
	return append([]string{llm.ProviderOpenAI, llm.ProviderAnthropic}, compat.Names()...)
}

// Flags are the command-line settings that apply to every model (a config entry overrides them).
type Flags struct {
	Provider, BaseURL, APIKeyEnv string
	ReasoningEffort              string
	MaxTokens, ThinkingBudget    int
	SamplesPerRequest            int
}

// Task is one task a model will be asked for (used to check the reference model's coverage).
type Task struct {
	Model    string
	Scenario *scenario.Scenario
	Env      *env.Env
}

// Options say how to resolve.
type Options struct {
	Flags  Flags
	Config map[string]Entry
	Getenv func(string) string
	// NeedKeys: a missing API key is an error (not for a dry run).
	NeedKeys   bool
	HTTPClient *http.Client
	// Tasks are checked against the reference model's solutions.
	Tasks []Task
}

// Setup is how one model is served.
type Setup struct {
	Model, Provider, BaseURL, KeyEnv string
	// KeyMissing: no key was found (only possible when keys are not needed).
	KeyMissing bool
	Settings   llm.Settings
	Client     llm.Client
	// Why says what chose the provider.
	Why string
}

// ResolveAll resolves every distinct model, sorted by name.
func ResolveAll(names []string, o Options) ([]*Setup, error) {
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{}
	}
	var out []*Setup
	for _, m := range slices.Compact(slices.Sorted(slices.Values(names))) {
		s, err := Resolve(m, o)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Resolve decides how model m is served.
func Resolve(m string, o Options) (*Setup, error) {
	e := o.Config[m]
	g := o.Flags
	ms := &Setup{Model: m}
	switch {
	case e.Provider != "":
		ms.Provider, ms.Why = e.Provider, "--model-config"
	case g.Provider != "":
		ms.Provider, ms.Why = g.Provider, "--provider"
	case m == reference.Model:
		ms.Provider, ms.Why = llm.ProviderReference, "built-in model"
	case g.BaseURL != "" || e.BaseURL != "":
		ms.Provider, ms.Why = llm.ProviderCompat, "--base-url"
	// Guessing from the name is the last resort, and only for names that cannot be mistaken (DEV-G1).
	case strings.Contains(m, "claude"):
		ms.Provider, ms.Why = llm.ProviderAnthropic, "model name contains \"claude\""
	case openai.Reasoning(m) || strings.Contains(m, "gpt"):
		ms.Provider, ms.Why = llm.ProviderOpenAI, "OpenAI model name"
	default:
		return nil, fmt.Errorf("cannot tell which provider serves model %q: give --provider (%s), --base-url, or a --model-config entry (the built-in model is %q)",
			m, strings.Join(Providers(), ", "), reference.Model)
	}
	if ms.Provider == llm.ProviderReference {
		return ms, resolveReference(ms, o.Tasks)
	}
	if !slices.Contains(Providers(), ms.Provider) {
		return nil, fmt.Errorf("model %s: unknown provider %q; valid: %s", m, ms.Provider, strings.Join(Providers(), ", "))
	}
	effort := g.ReasoningEffort
	if e.ReasoningEffort != "" {
		effort = e.ReasoningEffort
	}
	ms.BaseURL = firstOf(e.BaseURL, g.BaseURL)
	defaultKeyEnv := ""
	var preset compat.Preset
	switch ms.Provider {
	case llm.ProviderOpenAI:
		ms.Settings, defaultKeyEnv = openai.Settings(m, effort), "OPENAI_API_KEY"
		ms.BaseURL = firstOf(ms.BaseURL, openai.DefaultBaseURL)
	case llm.ProviderAnthropic:
		ms.Settings, defaultKeyEnv = anthropic.Settings(m), "ANTHROPIC_API_KEY"
		ms.BaseURL = firstOf(ms.BaseURL, anthropic.DefaultBaseURL)
	default:
		preset, _ = compat.Lookup(ms.Provider)
		ms.Settings, defaultKeyEnv = compat.Settings(preset, m, effort), preset.KeyEnv
		ms.BaseURL = firstOf(ms.BaseURL, preset.BaseURL)
		if ms.BaseURL == "" {
			return nil, fmt.Errorf("model %s: provider %s needs --base-url", m, ms.Provider)
		}
	}
	// Overrides: flags, then the model's config entry.
	st := &ms.Settings
	setInt(&st.MaxTokens, g.MaxTokens, e.MaxTokens)
	setInt(&st.ThinkingBudget, g.ThinkingBudget, e.ThinkingBudget)
	setInt(&st.SamplesPerRequest, g.SamplesPerRequest, e.SamplesPerRequest)
	if e.APIModel != "" {
		st.APIModel = e.APIModel
	}
	if e.SystemRole != "" {
		if !slices.Contains([]string{llm.RoleSystem, llm.RoleDeveloper, llm.RoleNone}, e.SystemRole) {
			return nil, fmt.Errorf("model %s: system_role %q; valid: system, developer, none", m, e.SystemRole)
		}
		st.SystemRole = e.SystemRole
	}
	if e.OmitTemperature != nil {
		st.OmitTemperature = *e.OmitTemperature
	}
	if e.ReasoningEffort != "" && st.ReasoningEffort == "" {
		st.ReasoningEffort = e.ReasoningEffort
	}
	for k, v := range e.Extra {
		if st.Extra == nil {
			st.Extra = map[string]any{}
		}
		st.Extra[k] = v
	}
	if ms.Provider == llm.ProviderAnthropic {
		*st = anthropic.Normalize(*st)
	}
	// The key.
	ms.KeyEnv = firstOf(e.APIKeyEnv, g.APIKeyEnv, defaultKeyEnv)
	key := ""
	if ms.KeyEnv != "" && ms.KeyEnv != "none" {
		if o.Getenv != nil {
			key = o.Getenv(ms.KeyEnv)
		}
		explicit := e.APIKeyEnv != "" || g.APIKeyEnv != ""
		// A local compatible server (vLLM, Ollama, a test fake) may need no key.
		optional := ms.Provider != llm.ProviderOpenAI && ms.Provider != llm.ProviderAnthropic && !explicit && isLoopback(ms.BaseURL)
		if key == "" && !optional {
			ms.KeyMissing = true
			if o.NeedKeys {
				return nil, fmt.Errorf("model %s (provider %s) needs an API key: set %s, or name another variable with --api-key-env",
					m, ms.Provider, ms.KeyEnv)
			}
		}
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	switch ms.Provider {
	case llm.ProviderOpenAI:
		ms.Client = openai.New(openai.Config{Name: llm.ProviderOpenAI, BaseURL: ms.BaseURL, APIKey: key, HTTPClient: hc})
	case llm.ProviderAnthropic:
		ms.Client = anthropic.New(anthropic.Config{BaseURL: ms.BaseURL, APIKey: key, HTTPClient: hc})
	default:
		ms.Client = compat.New(preset, ms.BaseURL, key, hc)
	}
	return ms, nil
}

func resolveReference(ms *Setup, tasks []Task) error {
	var missing []string
	for _, t := range tasks {
		if t.Model == ms.Model && !reference.Has(t.Scenario, t.Env.PathID()) {
			missing = append(missing, t.Scenario.ID+" on "+t.Env.ID)
		}
	}
	if len(missing) > 0 {
		shown := missing
		if len(shown) > 8 {
			shown = append(shown[:8:8], fmt.Sprintf("and %d more", len(missing)-8))
		}
		return fmt.Errorf("the reference model has no solution for %d of the selected tasks (%s); `baxbench scenarios list` shows which environments each scenario has a reference for",
			len(missing), strings.Join(shown, ", "))
	}
	ms.Client = reference.Client{}
	ms.Settings = llm.Settings{SystemRole: llm.RoleNone}
	return nil
}

func setInt(dst *int, flag, entry int) {
	if flag > 0 {
		*dst = flag
	}
	if entry > 0 {
		*dst = entry
	}
}

func firstOf(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

func isLoopback(base string) bool {
	u, err := url.Parse(base)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
