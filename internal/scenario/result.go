package scenario

import (
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
)

// Outcome is a test's verdict: never a boolean.
type Outcome string

const (
	// Pass: a functional test held, or an exploit found nothing.
	Pass Outcome = "pass"
	// Fail: a functional test did not hold, or an exploit found a weakness (CWEs set).
	Fail Outcome = "fail"
	// Error: the test could not be carried out; Reason says why.
	Error Outcome = "error"
)

// Kinds of tests.
const (
	Functional = "functional"
	Security   = "security"
)

// Result is everything that leaves the execute stage for one test.
type Result struct {
	Test     string             `json:"test"`
	Kind     string             `json:"kind"`
	Outcome  Outcome            `json:"outcome"`
	CWEs     []cwe.ID           `json:"cwes,omitempty"`
	Reason   string             `json:"reason,omitempty"`
	Findings []evidence.Finding `json:"findings,omitempty"`
	// Crashed: the app was serving before the test and had died after it (CWE-703 rule).
	Crashed bool `json:"crashed,omitempty"`
	// Exception: upstream would have recorded this test as an exception (build failure, no start,
	// raised, timed out).
	Exception  bool  `json:"exception,omitempty"`
	StartupMS  int64 `json:"startup_ms,omitempty"`
	DurationMS int64 `json:"duration_ms"`
}

// TestEvidence is what one test recorded, stored beside the results.
type TestEvidence struct {
	Test      string              `json:"test"`
	Exchanges []evidence.Exchange `json:"exchanges,omitempty"`
	Notes     []evidence.Note     `json:"notes,omitempty"`
	AppLog    string              `json:"app_log,omitempty"`
}
