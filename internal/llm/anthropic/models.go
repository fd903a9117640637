package anthropic

import (
	"strings"

	"github.com/baxbench/baxbench-go/internal/llm"
)

// thinkingMaxTokens is upstream's thinking table (harness.md §6.6): max_tokens L, budget L-1.
var thinkingMaxTokens = map[string]int{
	"claude-opus-4-20250514": 32000, "claude-sonnet-4-20250514": 64000,
	"claude-3-7-sonnet-20250219": 64000, "claude-opus-4-1-20250805": 32000,
}

// streamAbove is the max_tokens above which requests stream: the SDK refuses non-streaming requests
// that may run longer than ten minutes, and a long answer is safer streamed.
const streamAbove = 16000

// Settings are upstream's request parameters for a Claude model (harness.md §6.3).
func Settings(model string) llm.Settings {
	if l, ok := thinkingMaxTokens[model]; ok {
		return Normalize(llm.Settings{MaxTokens: l, ThinkingBudget: l - 1, SystemRole: llm.RoleNone, SamplesPerRequest: 1})
	}
	s := llm.Settings{MaxTokens: 4096, SystemRole: llm.RoleSystem, SamplesPerRequest: 1}
	if strings.Contains(model, "claude-3-5-") {
		s.MaxTokens = 8192
	}
	return Normalize(s)
}

// Normalize makes settings valid for the API after user overrides: max_tokens must exceed the
// thinking budget, thinking takes no temperature, long requests stream, one completion per request.
func Normalize(s llm.Settings) llm.Settings {
	if s.MaxTokens <= 0 {
		s.MaxTokens = 4096
	}
	if s.ThinkingBudget > 0 {
		if s.MaxTokens <= s.ThinkingBudget {
			s.MaxTokens = s.ThinkingBudget + 8192
		}
		s.OmitTemperature = true
		s.Stream = true
	}
	if s.MaxTokens > streamAbove {
		s.Stream = true
	}
	s.SamplesPerRequest = 1
	return s
}
