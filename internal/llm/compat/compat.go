// Package compat serves OpenAI-compatible endpoints (OpenRouter, Together, vLLM, Ollama, DeepSeek, or
// any --base-url) through the openai package, with upstream's per-endpoint request parameters.
package compat

import (
	"net/http"
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/llm/openai"
)

// Preset is a known endpoint.
type Preset struct {
	Name    string
	BaseURL string
	// KeyEnv is the environment variable holding the key; empty: the endpoint needs none.
	KeyEnv string
	// DefaultMaxTokens applies to models missing from the context table.
	DefaultMaxTokens int
	// SamplesPerRequest: whether the endpoint honours n (1: one completion per request).
	SamplesPerRequest int
}

// Presets are the endpoints known by name; "compat" is any --base-url.
var presets = []Preset{
	{Name: llm.ProviderCompat, KeyEnv: "OPENAI_API_KEY", DefaultMaxTokens: 8192, SamplesPerRequest: 1},
	{Name: "openrouter", BaseURL: "https://openrouter.ai/api/v1", KeyEnv: "OPENROUTER_API_KEY", DefaultMaxTokens: 8192, SamplesPerRequest: 1},
	{Name: "together", BaseURL: "https://api.together.xyz/v1", KeyEnv: "TOGETHER_API_KEY", DefaultMaxTokens: 8192},
	{Name: "vllm", BaseURL: "http://localhost:8000/v1", DefaultMaxTokens: 29000, SamplesPerRequest: 1},
	{Name: "ollama", BaseURL: "http://localhost:11434/v1", DefaultMaxTokens: 8192, SamplesPerRequest: 1},
	{Name: "deepseek", BaseURL: "https://api.deepseek.com/v1", KeyEnv: "DEEPSEEK_API_KEY", DefaultMaxTokens: 8192, SamplesPerRequest: 1},
}

// Lookup returns the preset called name.
func Lookup(name string) (Preset, bool) {
	for _, p := range presets {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// Names lists the preset names.
func Names() []string {
	var out []string
	for _, p := range presets {
		out = append(out, p.Name)
	}
	return out
}

// New builds a client for preset p at baseURL (the preset's when empty).
func New(p Preset, baseURL, apiKey string, hc *http.Client) *openai.Client {
	if baseURL == "" {
		baseURL = p.BaseURL
	}
	return openai.New(openai.Config{Name: p.Name, BaseURL: baseURL, APIKey: apiKey, HTTPClient: hc, LegacyMaxTokens: true})
}

// contextLength is upstream's Together/OpenRouter table (harness.md §6.6); requests ask for the
// context length minus 3000 tokens.
var contextLength = map[string]int{
	"mistralai/Mixtral-8x22B-Instruct-v0.1": 65536, "meta-llama/Llama-3.3-70B-Instruct-Turbo": 131072,
	"meta-llama/Llama-3.3-70B-Instruct-Turbo-Free": 8100, "deepseek-ai/DeepSeek-V3": 131072,
	"Qwen/Qwen2.5-Coder-32B-Instruct": 32768, "Qwen/Qwen2.5-72B-Instruct-Turbo": 32768,
	"Qwen/Qwen2.5-7B-Instruct-Turbo": 32768, "gpt-4o": 128000, "chatgpt-4o-latest": 128000,
	"gpt-4.1-2025-04-14": 32000, "gpt-4.1-mini-2025-04-14": 32000, "o1": 200000, "o1-mini": 128000,
	"o3-mini": 200000, "deepseek-ai/DeepSeek-R1": 164000, "google/gemma-2-27b-it": 8192,
	"deepseek-ai/DeepSeek-R1-Distill-Llama-70B": 131072, "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B": 131072,
	"deepseek-ai/DeepSeek-R1-Distill-Qwen-14B": 131072, "Qwen/QwQ-32B": 32768, "qwen/qwq-32b": 128000,
	"meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8": 524288, "meta-llama/Llama-4-Scout-17B-16E-Instruct": 327680,
	"google/gemini-2.5-pro-preview-03-25": 65000, "mistralai/mistral-small-3.1-24b-instruct": 33000,
	"google/gemma-3-27b-it": 32000, "meta-llama/llama-4-scout": 32000, "deepseek/deepseek-chat-v3-0324": 16000,
	"mistral/ministral-8b": 128000, "x-ai/grok-3-beta": 128000, "x-ai/grok-3-mini-beta": 128000,
	"Qwen/Qwen3-235B-A22B-fp8-tput": 40000, "qwen/qwen3-235b-a22b": 40000, "deepseek/deepseek-r1-0528": 32000,
	"x-ai/grok-4": 256000, "qwen/qwen3-coder": 32000,
}

// vllmContextLength is upstream's vLLM table.
var vllmContextLength = map[string]int{
	"sri-blaze/kodcode -v1": 32000, "eth-sri/kodcode-v1-qwq-3-48-1e-5": 32000,
	"agentica-org/DeepCoder-14B-Preview": 32000, "eth-sri/kodcode-v1-multi-clear-qwq-3-48-1e-5": 32000,
	"eth-sri/qwq-cybernative3k_kodcodeV1": 32000, "eth-sri/qwq-cybernative3k_snyk_kodcodeV1": 32000,
	"eth-sri/deepseek-r1-distill-qwen-7b-cybernative-snyk-kodcodeV1": 32000,
	"openai/gpt-oss-120b": 16384, "openai/gpt-oss-20b": 16384,
}

// openRouterName is upstream's OpenRouter remap table.
var openRouterName = map[string]string{
	"meta-llama/Llama-3.3-70B-Instruct-Turbo": "meta-llama/llama-3.3-70b-instruct",
	"deepseek-ai/DeepSeek-V3":                 "deepseek/deepseek-chat",
	"Qwen/Qwen2.5-Coder-32B-Instruct":         "qwen/qwen-2.5-coder-32b-instruct",
	"Qwen/Qwen2.5-7B-Instruct-Turbo":          "qwen/qwen-2.5-7b-instruct",
	"Qwen/Qwen2.5-72B-Instruct-Turbo":         "qwen/qwen-2.5-72b-instruct",
	"Qwen/Qwen3-235B-A22B-fp8-tput":           "qwen/qwen3-235b-a22b",
}

// openRouterIgnore are the OpenRouter upstream providers upstream excludes per model.
var openRouterIgnore = map[string][]string{
	"qwen/qwq-32b":                   {"Groq"},
	"google/gemma-3-27b-it":          {"DeepInfra", "InferenceNet", "Kluster"},
	"meta-llama/llama-4-scout":       {"DeepInfra", "Groq"},
	"deepseek/deepseek-chat-v3-0324": {"DeepSeek"},
}

// Settings are upstream's request parameters for model on preset p (harness.md §6.3).
func Settings(p Preset, model, effort string) llm.Settings {
	s := llm.Settings{SystemRole: llm.RoleSystem, MaxTokens: p.DefaultMaxTokens, SamplesPerRequest: p.SamplesPerRequest}
	table := contextLength
	if p.Name == "vllm" {
		table = vllmContextLength
	}
	if l, ok := table[model]; ok {
		s.MaxTokens = l - 3000
	}
	switch p.Name {
	case "openrouter":
		sent := model
		if n, ok := openRouterName[model]; ok {
			s.APIModel, sent = n, n
		}
		if ign, ok := openRouterIgnore[sent]; ok {
			s.Extra = map[string]any{"provider": map[string]any{"ignore": slices.Clone(ign)}}
		}
		if model == "x-ai/grok-3-mini-beta" {
			s.ReasoningEffort = "high" // fixed upstream, whatever --reasoning-effort says
		}
	case "vllm":
		if model == "openai/gpt-oss-120b" || model == "openai/gpt-oss-20b" {
			s.ReasoningEffort = effort
		}
	case "together", llm.ProviderCompat:
		// Upstream's batch path also sends OpenAI reasoning models' parameters to Together.
		if openai.Reasoning(model) {
			s.OmitTemperature = true
			if model == "o1" || strings.HasPrefix(model, "o3") || strings.HasPrefix(model, "o4") || strings.HasPrefix(model, "gpt-5") {
				s.SystemRole, s.ReasoningEffort = llm.RoleDeveloper, effort
			}
		}
	}
	return s
}
