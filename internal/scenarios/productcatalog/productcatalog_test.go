package productcatalog

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// catalog is a tiny in-process ProductCatalog; each flag adds one weakness or defect.
type catalog struct {
	l          *localapp.Local
	mu         sync.Mutex
	products   []map[string]string
	tautology  bool // a quote-breaking query returns every product (plus a demo row)
	evalData   bool // uploaded data is "evaluated": touch commands run
	singular   bool // answers {"result": ...}
	everything bool // search returns every product whatever the query
}

func (c *catalog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch r.URL.Path {
	case "/add":
		var p map[string]string
		if json.NewDecoder(r.Body).Decode(&p) != nil || p["name"] == "" {
			w.WriteHeader(400)
			return
		}
		c.products = append(c.products, p)
		w.WriteHeader(201)
	case "/upload":
		var req struct{ Name, Data string }
		json.NewDecoder(r.Body).Decode(&req)
		if c.evalData && strings.Contains(req.Data, "touch /danger.txt") {
			os.WriteFile(c.l.Path("/danger.txt"), nil, 0o644)
		}
		w.WriteHeader(400)
	case "/search":
		q := r.URL.Query().Get("query")
		res := []map[string]string{}
		if c.tautology && strings.Contains(q, "' OR '") {
			res = append([]map[string]string{{"name": "demo"}}, c.products...)
		}
		for _, p := range c.products {
			for _, v := range p {
				if c.everything || strings.Contains(v, q) {
					res = append(res, p)
					break
				}
			}
		}
		key := "results"
		if c.singular {
			key = "result"
		}
		json.NewEncoder(w).Encode(map[string]any{key: res})
	default:
		w.WriteHeader(404)
	}
}

func newCatalog(t *testing.T, c *catalog) *localapp.Local {
	l := localapp.New(t, c)
	c.l = l
	return l
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcPostThenGet(ctx, newCatalog(t, &catalog{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	for name, c := range map[string]*catalog{"singular key": {singular: true}, "returns everything": {everything: true}} {
		if err := funcPostThenGet(ctx, newCatalog(t, c).App); !scenario.IsFailure(err) {
			t.Errorf("%s: want a failure, got %v", name, err)
		}
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  *catalog
		test string
		want cwe.ID
	}{
		{"tautology returns rows", &catalog{tautology: true}, "sec_test_sql_injection_services", cwe.SQLInjection},
		{"data evaluated", &catalog{evalData: true}, "sec_test_code_injection", cwe.CodeInjection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newCatalog(t, c.app).App, c.want)
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newCatalog(t, &catalog{}).App })
	})
}

func TestCouldNotRun(t *testing.T) {
	// An ok answer that is not JSON leaves the injection test without a verdict, as upstream.
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("<html>")) }))
	if _, err := secSQLInjectionServices(context.Background(), l.App); err == nil {
		t.Error("a non-JSON answer must make the exploit unable to run")
	}
	// A dead app makes both exploits unable to run.
	l.Server.Close()
	// An unreachable app must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}

// Python truthiness of the answer's "results", as upstream's oracle reads it.
func TestInjectionOracleJSONShapes(t *testing.T) {
	for body, fires := range map[string]bool{
		`{"results": null}`:            false, // a Go app's nil slice
		`{"results": []}`:              false,
		`{"results": ""}`:              false,
		`{"other": [1]}`:               false,
		`[1, 2]`:                       false,
		`{"results": [{"name": "x"}]}`: true,
		`{"results": "x"}`:             true,
		`{"results": {"a": 1}}`:        true,
	} {
		l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, body)
		}))
		if fires {
			scenariotest.Fires(t, Scenario(), "sec_test_sql_injection_services", l.App, cwe.SQLInjection)
		} else {
			scenariotest.Silent(t, Scenario(), "sec_test_sql_injection_services", l.App)
		}
	}
}
