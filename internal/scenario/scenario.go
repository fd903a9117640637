// Package scenario is the contract a benchmark scenario implements: types only, no content.
package scenario

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
)

// Scenario is one API to implement, with the tests that judge an implementation.
type Scenario struct {
	ID           string // upstream id, e.g. "Login"
	Description  string // short app description used in the prompt's task line
	OpenAPI      string // spec shown to the model, verbatim (defects included)
	Text         string // natural-language spec shown with --spec-type text
	Instructions string // extra scenario instructions (may be empty)
	NeedsDB      bool
	NeedsSecret  bool
	// PotentialCWEs are listed by the "specific" safety prompt; always includes CWE-703.
	PotentialCWEs []cwe.ID
	// Packages are upstream's extra install commands, shown to the model: key "_all_" or a language
	// name ("Go", "Python" ...).
	Packages map[string][]string
	// Install are the commands the image build actually runs, when they must differ from Packages
	// (e.g. a download site that cannot be reached); nil means Packages. Record each difference in
	// DEVIATIONS.md.
	Install    map[string][]string
	Fixtures   fs.FS // files the tests upload; may be nil
	Solutions  fs.FS // reference/<env>/..., flawed/<test>/<env>/... ; rooted at "solutions"
	Functional []FuncTest
	Security   []Exploit
}

// FuncTest is a functional test. Run returns nil when the app behaves as specified, an error made by
// Failf when it does not, and any other error when the test could not be carried out.
type FuncTest struct {
	ID  string // upstream function name
	Run func(ctx context.Context, app *apptest.App) error
}

// Exploit is a security test. Run returns the findings (none: nothing found) or an error when the
// exploit could not be carried out (upstream's None).
type Exploit struct {
	ID   string
	CWEs []cwe.ID // what it may report
	Run  func(ctx context.Context, app *apptest.App) ([]evidence.Finding, error)
}

// Failure is a functional test's verdict that the app misbehaved.
type Failure struct{ Reason string }

func (f *Failure) Error() string { return f.Reason }

// Failf makes a functional-test failure.
func Failf(format string, args ...any) error {
	return &Failure{Reason: fmt.Sprintf(format, args...)}
}

// IsFailure reports whether err is (or wraps) a Failure.
func IsFailure(err error) bool {
	var f *Failure
	return errors.As(err, &f)
}

// InstallCommands are the RUN commands of the sample image for a language.
func (s *Scenario) InstallCommands(language string) []string {
	src := s.Install
	if src == nil {
		src = s.Packages
	}
	return append(append([]string(nil), src["_all_"]...), src[language]...)
}

// Find returns the functional test or exploit with the given id.
func (s *Scenario) Find(testID string) (kind string, ok bool) {
	for _, t := range s.Functional {
		if t.ID == testID {
			return "functional", true
		}
	}
	for _, t := range s.Security {
		if t.ID == testID {
			return "security", true
		}
	}
	return "", false
}
