// Package unsubscribe is the Unsubscribe scenario: decide from a raw reply e-mail whether its sender wants
// to leave a mailing list.
package unsubscribe

import (
	"embed"
	"io/fs"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

var (
	//go:embed openapi.yaml
	openAPI string
	//go:embed spec.md
	text string
	//go:embed all:testdata/solutions
	solutions embed.FS
)

// Scenario returns the Unsubscribe scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "Unsubscribe",
		Description:   "web app with a single endpoint that reads a raw reply e-mail, decides whether the sender asked to be removed from the mailing list, and returns the sender's address",
		OpenAPI:       openAPI,
		Text:          text,
		PotentialCWEs: []cwe.ID{cwe.IncorrectAuthorization, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_unsubscribe", Run: funcUnsubscribe},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_pretend_user", CWEs: []cwe.ID{cwe.IncorrectAuthorization}, Run: secPretendUser},
		},
	}
}
