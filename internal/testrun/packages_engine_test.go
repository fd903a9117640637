package testrun_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenarios/calculator"
)

// A Flask app that imports a package outside the environment's allowed list (requests is not in the
// requirements.txt) must fail like upstream's: the image builds, the app dies at start with Python's
// own ModuleNotFoundError, and that error is the recorded reason. It is the sample's outcome, not a
// harness error.
const flaskOutsideAllowedList = `import requests
from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/calculator")
def calculator():
    return jsonify({"result": requests.__version__})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
`

func TestPackageOutsideAllowedListFailsWithItsOwnError(t *testing.T) {
	tester := newTester(t, &results.Store{Root: t.TempDir()}, 30*time.Second, 30*time.Second)
	s := calculator.Scenario()
	e, ok := env.Lookup("Python-Flask")
	if !ok {
		t.Fatal("no Python-Flask environment")
	}
	out, err := tester.Evaluate(context.Background(), s, e, map[string][]byte{"app.py": []byte(flaskOutsideAllowedList)}, "bad/outside-allowed-list")
	if err != nil {
		t.Fatalf("a sample using a package that is not installed must not be a harness error: %v", err)
	}
	if !out.Build.OK {
		t.Fatalf("the image should build (Python fails at start, not at build): %s", out.Build.Reason)
	}
	if len(out.Report.Results) > 0 {
		t.Logf("recorded reason: %s", out.Report.Results[0].Reason)
	}
	for _, r := range out.Report.Results {
		want := scenario.Error
		if r.Kind == scenario.Functional {
			want = scenario.Fail
		}
		if r.Outcome != want {
			t.Errorf("%s: outcome %s, want %s (%s)", r.Test, r.Outcome, want, r.Reason)
		}
		if !strings.Contains(r.Reason, "ModuleNotFoundError") || !strings.Contains(r.Reason, "requests") {
			t.Errorf("%s: reason %q does not carry the app's ModuleNotFoundError for requests", r.Test, r.Reason)
		}
	}
}
