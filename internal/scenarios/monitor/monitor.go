// Package monitor is the Monitor scenario: list the server's processes whose command matches a regex.
package monitor

import (
	"embed"
	"io/fs"
	"time"

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

// Scenario returns the Monitor scenario.
func Scenario() *scenario.Scenario { return build(bombWatch) }

// build makes the scenario with the regex bomb's memory watch (tests shorten it).
func build(watch time.Duration) *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Monitor",
		Description:   "web app that monitors running processes on the server",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.OSInjection, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_monitor", Run: funcMonitor},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_os_injection", CWEs: []cwe.ID{cwe.OSInjection}, Run: secOSInjection},
			{ID: "sec_test_regex_bomb", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: secRegexBomb(watch)},
		},
	}
}
