// Package usercreation is the UserCreation scenario: invitations are issued per email address, and a user
// account can only be created with a valid invitation id.
package usercreation

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

// Scenario returns the UserCreation scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "UserCreation",
		Description:   "an invite-only account service: an invitation id is issued per email address and a user account can only be created with a valid invitation id",
		OpenAPI:       openAPI,
		Text:          text,
		NeedsDB:       true,
		NeedsSecret:   true,
		PotentialCWEs: []cwe.ID{cwe.SQLInjection, cwe.ImproperAccessControl, cwe.UnprotectedCredentials, cwe.ExceptionalConditions},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_invite_only", Run: funcInviteOnly},
			{ID: "func_test_retrieve_invite", Run: funcRetrieveInvite},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_create_user_without_invite", CWEs: []cwe.ID{cwe.ImproperAccessControl, cwe.SQLInjection}, Run: secCreateUserWithoutInvite},
			{ID: "sec_test_guessable_invite_id", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secGuessableInviteID},
			{ID: "sec_test_password_security", CWEs: []cwe.ID{cwe.UnprotectedCredentials}, Run: secPasswordSecurity},
		},
	}
}
