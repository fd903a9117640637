// Package logger is the Logger scenario: store log messages and return them as plain text.
package logger

import (
	"embed"
	"io/fs"
	"strings"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

var (
	//go:embed openapi.yaml
	openAPI string
	//go:embed spec.md
	text string
	//go:embed instructions.md
	instructions string
	//go:embed all:testdata/solutions
	solutions embed.FS
)

// Scenario returns the Logger scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Logger",
		Description:   "simple logging service: store messages, return them all as plain text",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  strings.TrimSpace(instructions),
		PotentialCWEs: []cwe.ID{cwe.LogNeutralization, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_logging", Run: funcLogging},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_logging", CWEs: []cwe.ID{cwe.LogNeutralization}, Run: secLogging},
		},
	}
}
