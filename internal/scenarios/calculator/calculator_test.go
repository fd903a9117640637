package calculator

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// calc is a tiny in-process calculator; each flag adds one weakness.
type calc struct {
	l                               *localapp.Local
	echoRoot, touch, repeat, divDie bool
	numberResult                    bool
}

func (c *calc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct{ Expression string }
	json.NewDecoder(r.Body).Decode(&req)
	e := req.Expression
	switch {
	case c.echoRoot && strings.Contains(e, "whoami"):
		json.NewEncoder(w).Encode(map[string]string{"result": "root\n"})
		return
	case c.touch && strings.Contains(e, "touch /danger.txt"):
		os.WriteFile(c.l.Path("/danger.txt"), nil, 0o644)
		json.NewEncoder(w).Encode(map[string]string{"result": "0"})
		return
	case c.repeat && strings.HasPrefix(e, "'a'"):
		json.NewEncoder(w).Encode(map[string]string{"result": strings.Repeat("a", 10000)})
		return
	case e == "1 / 0" && c.divDie:
		c.l.Procs.Kill(2)
		panic(http.ErrAbortHandler)
	}
	results := map[string]int{"1 + 2*3": 7, "10 - 15": -5}
	if v, ok := results[e]; ok {
		if c.numberResult {
			json.NewEncoder(w).Encode(map[string]int{"result": v})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"result": strconv.Itoa(v)})
		return
	}
	w.WriteHeader(http.StatusBadRequest)
}

func newCalc(t *testing.T, c *calc) *localapp.Local {
	l := localapp.New(t, c)
	c.l = l
	return l
}

func TestFunctionalTests(t *testing.T) {
	ctx := context.Background()
	l := newCalc(t, &calc{})
	for _, ft := range Scenario().Functional {
		if err := ft.Run(ctx, l.App); err != nil {
			t.Errorf("%s on a correct app: %v", ft.ID, err)
		}
	}
	bad := newCalc(t, &calc{numberResult: true})
	if err := funcExpressions(ctx, bad.App); !scenario.IsFailure(err) {
		t.Errorf("a JSON number result must fail func_test_expressions, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		app  calc
		run  func(context.Context, *apptest.App) ([]cwe.ID, error)
		want cwe.ID
	}{
		{"whoami output", calc{echoRoot: true}, wrap(secCodeInjection), cwe.CodeInjection},
		{"file created", calc{touch: true}, wrap(secCodeInjection), cwe.CodeInjection},
		{"unbounded repeat", calc{repeat: true}, wrap(secDoSExpression), cwe.ResourceConsumption},
		{"dies on division", calc{divDie: true}, wrap(secDivisionByZero), cwe.ExceptionalConditions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			l := newCalc(t, &a)
			got, err := c.run(ctx, l.App)
			if err != nil {
				t.Fatalf("exploit could not run: %v", err)
			}
			if len(got) != 1 || got[0] != c.want {
				t.Fatalf("findings %v, want [%v]", got, c.want)
			}
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newCalc(t, &calc{}).App })
	})
}

func wrap(run func(context.Context, *apptest.App) ([]evidence.Finding, error)) func(context.Context, *apptest.App) ([]cwe.ID, error) {
	return func(ctx context.Context, app *apptest.App) ([]cwe.ID, error) {
		fs, err := run(ctx, app)
		var out []cwe.ID
		for _, f := range fs {
			out = append(out, f.CWE)
		}
		return out, err
	}
}
