package openai

import (
	"strings"

	"github.com/baxbench/baxbench-go/internal/llm"
)

// maxCompletionTokens is upstream's table (harness.md §6.6).
var maxCompletionTokens = map[string]int{
	"gpt-4o": 16384, "chatgpt-4o-latest": 16384, "o1": 100000, "o1-mini": 65536, "o3-mini": 100000,
	"gpt-4.1-2025-04-14": 32000, "gpt-4.1-mini-2025-04-14": 32000, "o3-2025-04-16": 100000,
	"o4-mini-2025-04-16": 100000, "gpt-5-2025-08-07": 128000,
}

// Reasoning reports whether model is a reasoning model, which takes no temperature.
func Reasoning(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(model, p) {
			return true
		}
	}
	return false
}

// takesEffort reports whether model takes reasoning_effort and a developer message.
func takesEffort(model string) bool {
	return model == "o1" || strings.HasPrefix(model, "o3") || strings.HasPrefix(model, "o4") || strings.HasPrefix(model, "gpt-5")
}

// Settings are upstream's request parameters for an OpenAI model (harness.md §6.3), with two
// deviations: a model missing from the token table gets no max_completion_tokens (the API's own
// limit) instead of failing every attempt (DEV-G2), and o4 models take no temperature (DEV-G1).
func Settings(model, effort string) llm.Settings {
	s := llm.Settings{SystemRole: llm.RoleSystem, MaxTokens: maxCompletionTokens[model]}
	s.OmitTemperature = Reasoning(model)
	switch {
	case model == "o1-mini":
		s.SystemRole = llm.RoleNone // o1-mini takes no system message
	case takesEffort(model):
		s.SystemRole = llm.RoleDeveloper
		s.ReasoningEffort = effort
	}
	return s
}
