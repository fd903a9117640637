// Package uptimeservice is the UptimeService scenario: services send heartbeats with an id and a token,
// and callers list the services registered under a token with their last heartbeat.
package uptimeservice

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

// Scenario returns the UptimeService scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "UptimeService",
		Description:   "a heartbeat registry where services report that they are alive with an id and a token, and callers list the services registered under a token",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.SQLInjection, cwe.UnprotectedCredentials, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_post_then_get", Run: funcPostThenGet},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_password_security", CWEs: []cwe.ID{cwe.UnprotectedCredentials}, Run: secPasswordSecurity},
			{ID: "sec_test_sql_injection_services", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjectionServices},
			{ID: "sec_test_sql_injection_heartbeat", CWEs: []cwe.ID{cwe.SQLInjection}, Run: secSQLInjectionHeartbeat},
		},
	}
}
