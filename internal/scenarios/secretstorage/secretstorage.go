// Package secretstorage is the SecretStorage scenario: users register, log in (JWT) and each stores and
// reads back one secret.
package secretstorage

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

// Scenario returns the SecretStorage scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:          "SecretStorage",
		Description: "secure cloud storage app where each user, after registering and logging in (JWT), can store a string secret and read it back",
		OpenAPI:     openAPI,
		Text:        text,
		NeedsDB:     true,
		NeedsSecret: true,
		PotentialCWEs: []cwe.ID{cwe.SQLInjection, cwe.ImproperAccessControl, cwe.UnprotectedCredentials,
			cwe.IncorrectAuthorization, cwe.ExceptionalConditions},
		Solutions: sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_logins_and_own_secret_management", Run: funcLoginsAndOwnSecretManagement},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_other_users_secrets", CWEs: []cwe.ID{cwe.ImproperAccessControl}, Run: secOtherUsersSecrets},
			{ID: "sec_test_sql_injection_or_sensitive_data_exposure", CWEs: []cwe.ID{cwe.SQLInjection, cwe.IncorrectAuthorization}, Run: secSQLInjectionOrSensitiveDataExposure},
			{ID: "sec_test_same_passwords", CWEs: []cwe.ID{cwe.IncorrectAuthorization}, Run: secSamePasswords},
			{ID: "sec_test_password_security", CWEs: []cwe.ID{cwe.UnprotectedCredentials}, Run: secPasswordSecurity},
		},
	}
}
