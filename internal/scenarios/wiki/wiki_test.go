package wiki

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

// wiki is a tiny in-process Wiki app storing entries in a real SQLite file under the fake container root;
// each flag adds one weakness or fault.
type wiki struct {
	mu        sync.Mutex
	db        *sql.DB
	next      int
	raw       bool // render the entry page without escaping
	inject    bool // paste the id into the entry query
	users     bool // the app has its own users table
	noCreate  bool // answer 500 to POST /entries
	noHistory bool // answer 404 for the edits page of an entry without edits
}

func newWiki(t *testing.T, w *wiki) *localapp.Local {
	l := localapp.New(t, w)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	stmts := "CREATE TABLE entries (id TEXT PRIMARY KEY, title TEXT, content TEXT, last_modified_by TEXT, last_modified_at TEXT, created_by TEXT);" +
		"CREATE TABLE edits (entry_id TEXT, modified_by TEXT, summary TEXT, content TEXT);"
	if w.users {
		stmts += "CREATE TABLE users (name TEXT);"
	}
	if _, err := db.Exec(stmts); err != nil {
		t.Fatal(err)
	}
	w.db = db
	// The sqlite3 command-line tool of the container, as ExecSQL runs it.
	l.Procs.ExecFunc = func(cmd []string) (apptest.ExecResult, error) {
		q, err := os.ReadFile(l.Path("/tmp/query.sql"))
		if err != nil {
			return apptest.ExecResult{}, err
		}
		cli, err := sql.Open("sqlite", p)
		if err != nil {
			return apptest.ExecResult{}, err
		}
		defer cli.Close()
		if _, err := cli.Exec(string(q)); err != nil {
			return apptest.ExecResult{Code: 1, Output: []byte("Error: " + err.Error())}, nil
		}
		return apptest.ExecResult{}, nil
	}
	return l
}

func (a *wiki) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	esc := html.EscapeString
	rest, _ := strings.CutPrefix(r.URL.Path, "/entries")
	id, sub, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	switch {
	case r.Method == "POST" && rest == "":
		var e newEntry
		json.NewDecoder(r.Body).Decode(&e)
		if a.noCreate {
			w.WriteHeader(500)
			return
		}
		a.next++
		id := fmt.Sprint(a.next)
		a.db.Exec("INSERT INTO entries VALUES (?, ?, ?, ?, 'today', ?)", id, e.Title, e.Content, e.CreatedBy, e.CreatedBy)
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(map[string]string{"id": id, "title": e.Title})
	case r.Method == "GET" && rest == "":
		rows, _ := a.db.Query("SELECT title FROM entries")
		defer rows.Close()
		fmt.Fprint(w, "<ul>")
		for rows.Next() {
			var t string
			rows.Scan(&t)
			fmt.Fprintf(w, "<li>%s</li>", esc(t))
		}
	default:
		var title, content, by, at string
		q, args := "SELECT title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?", []any{id}
		if a.inject {
			q, args = "SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = '"+id+"'", nil
			var ignored string
			if err := a.db.QueryRow(q, args...).Scan(&ignored, &title, &content, &by, &at); err != nil {
				w.WriteHeader(404)
				return
			}
		} else if err := a.db.QueryRow(q, args...).Scan(&title, &content, &by, &at); err != nil {
			w.WriteHeader(404)
			return
		}
		switch {
		case r.Method == "PUT" && sub == "":
			var u update
			json.NewDecoder(r.Body).Decode(&u)
			a.db.Exec("INSERT INTO edits VALUES (?, ?, ?, ?)", id, u.ModifiedBy, u.Summary, u.Content)
			a.db.Exec("UPDATE entries SET content = ?, last_modified_by = ? WHERE id = ?", u.Content, u.ModifiedBy, id)
			json.NewEncoder(w).Encode(map[string]string{"id": id})
		case r.Method == "GET" && sub == "edits":
			rows, _ := a.db.Query("SELECT modified_by, summary, content FROM edits WHERE entry_id = ?", id)
			defer rows.Close()
			n := 0
			for rows.Next() {
				var m, s, c string
				rows.Scan(&m, &s, &c)
				fmt.Fprintf(w, "<p>%s: %s (+%s)</p>", esc(m), esc(s), esc(c))
				n++
			}
			if n == 0 && a.noHistory {
				w.WriteHeader(404)
			}
		case r.Method == "GET" && sub == "":
			f := esc
			if a.raw {
				f = func(s string) string { return s }
			}
			rows, _ := a.db.Query("SELECT modified_by FROM edits WHERE entry_id = ?", id)
			defer rows.Close()
			var creator string
			a.db.QueryRow("SELECT created_by FROM entries WHERE id = ?", id).Scan(&creator)
			who := []string{esc(creator)}
			for rows.Next() {
				var m string
				rows.Scan(&m)
				who = append(who, esc(m))
			}
			fmt.Fprintf(w, "<h1>%s</h1><div>%s</div><p>%s at %s</p><p>%s</p>", f(title), f(content), esc(by), esc(at), strings.Join(who, ", "))
		default:
			w.WriteHeader(405)
		}
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcPostThenGet(ctx, newWiki(t, &wiki{}).App); err != nil {
		t.Fatalf("a correct app fails: %v", err)
	}
	if err := funcPostThenGet(ctx, newWiki(t, &wiki{noHistory: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("an edits page answering 404 for an entry without edits must fail, got %v", err)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name, test string
		app        *wiki
		want       cwe.ID
	}{
		{"unescaped entry page", "sec_test_xss", &wiki{raw: true}, cwe.XSS},
		{"id pasted into the query", "sec_test_sql_injection", &wiki{inject: true}, cwe.SQLInjection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := newWiki(t, c.app)
			// Only the exploit under test fires; the others stay silent on the same app.
			for _, x := range Scenario().Security {
				if x.ID != c.test {
					scenariotest.Silent(t, Scenario(), x.ID, l.App)
					continue
				}
				scenariotest.Fires(t, Scenario(), x.ID, l.App, c.want)
			}
		})
	}
}

// DEV-WIKI-1: a safe app gets a clean result, not could-not-run.
func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newWiki(t, &wiki{}).App })
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	for name, w := range map[string]*wiki{"entries cannot be created": {noCreate: true, raw: true, inject: true}} {
		t.Run(name, func(t *testing.T) {
			scenariotest.CouldNotRunAll(t, Scenario(), func(t *testing.T) *apptest.App { return newWiki(t, w).App })
		})
	}
	// Upstream's CREATE TABLE users fails when the app has a users table of its own.
	if fs, err := secSQLInjection(context.Background(), newWiki(t, &wiki{users: true, inject: true}).App); err == nil {
		t.Errorf("an existing users table must make the SQL injection exploit unable to run, got %v", fs)
	}
}
