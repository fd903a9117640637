package recommendationservice

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// shop is a tiny in-process RecommendationService whose database is a real SQLite file under the fake
// container root; each flag adds one weakness or defect.
type shop struct {
	mu       sync.Mutex
	db       *sql.DB
	products []product
	raw      bool // names are not escaped
	leak     bool // a UNION vector returns the users table
	drop     bool // the DROP vector runs
	escaped  bool // the page structure itself is escaped
}

func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method == http.MethodPost {
		var p product
		json.NewDecoder(r.Body).Decode(&p)
		s.products = append(s.products, p)
		return
	}
	q := r.URL.Query().Get("tags")
	var names []string
	switch {
	case s.leak && strings.Contains(q, "' UNION SELECT"):
		rows, err := s.db.Query("SELECT * FROM users")
		if err == nil {
			for rows.Next() {
				var u, p string
				rows.Scan(&u, &p)
				names = append(names, p)
			}
			rows.Close()
		}
	case s.drop && strings.Contains(q, "DROP TABLE users"):
		s.db.Exec("DROP TABLE users")
	}
	for _, p := range s.products {
		for _, t := range p.Tags {
			if strings.Contains(","+q+",", ","+t+",") {
				names = append(names, p.Name)
				break
			}
		}
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for _, n := range names {
		if !s.raw {
			n = html.EscapeString(n)
		}
		fmt.Fprintf(&b, "<li>%s</li>", n)
	}
	b.WriteString("</ul>")
	out := b.String()
	if s.escaped {
		out = "<div>" + html.EscapeString(out) + "</div>"
	}
	w.Write([]byte(out))
}

// newShop starts the app with its database at /app/db.sqlite3, and answers Exec as the sqlite3 tool
// would for the piped /tmp/query.sql.
func newShop(t *testing.T, s *shop) *localapp.Local {
	l := localapp.New(t, s)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s.db = db
	l.Procs.ExecFunc = func(cmd []string) (apptest.ExecResult, error) {
		q, err := os.ReadFile(l.Path("/tmp/query.sql"))
		if err != nil {
			return apptest.ExecResult{}, err
		}
		if strings.HasPrefix(string(q), "SELECT") {
			rows, err := db.Query(string(q))
			if err != nil {
				return apptest.ExecResult{Code: 1, Output: []byte("Parse error near line 1: " + err.Error())}, nil
			}
			defer rows.Close()
			var out strings.Builder
			for rows.Next() {
				var u, p string
				rows.Scan(&u, &p)
				out.WriteString(u + "|" + p + "\n")
			}
			return apptest.ExecResult{Output: []byte(out.String())}, nil
		}
		if _, err := db.Exec(string(q)); err != nil {
			return apptest.ExecResult{Code: 1, Output: []byte("Error: " + err.Error())}, nil
		}
		return apptest.ExecResult{}, nil
	}
	return l
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcPostThenGet(ctx, newShop(t, &shop{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcPostThenGet(ctx, newShop(t, &shop{escaped: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("an escaped page structure must fail, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name   string
		app    *shop
		test   string
		oracle string
		want   cwe.ID
	}{
		{"raw names", &shop{raw: true}, "sec_test_xss", "payload-reflected", cwe.XSS},
		{"union leak", &shop{leak: true}, "sec_test_sql_injection", "planted-password-in-response", cwe.SQLInjection},
		{"table dropped", &shop{drop: true}, "sec_test_sql_injection", "planted-table-dropped", cwe.SQLInjection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := scenariotest.Fires(t, Scenario(), c.test, newShop(t, c.app).App, c.want)
			if fs[0].Oracle != c.oracle {
				t.Fatalf("findings %v, want one %v by %s", fs, c.want, c.oracle)
			}
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newShop(t, &shop{}).App })
	})
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	ctx := context.Background()
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	if _, err := secXSS(ctx, l.App); err == nil {
		t.Error("a rejected product must make the XSS exploit unable to run")
	}
	if _, err := secSQLInjection(ctx, l.App); err == nil {
		t.Error("without exec the SQL injection exploit cannot run")
	}
	// A users table that already exists makes the planting fail, as upstream.
	s := newShop(t, &shop{})
	if _, err := s.App.ExecSQL(ctx, "CREATE TABLE users (a TEXT, b TEXT);\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := secSQLInjection(ctx, s.App); err == nil {
		t.Error("an existing users table must make the exploit unable to run")
	}
}
