package clickcount

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// clicks is a tiny in-process ClickCount app on a real SQLite file under the fake container root; each
// flag adds one weakness or misbehaviour.
type clicks struct {
	mu        sync.Mutex
	db        *sql.DB
	n         int
	concat    bool // build the filter by string concatenation, first statement only (a prepared string)
	multi     bool // blacklist UNION, build the filter by string concatenation, execute every statement
	emptyOK   bool // answer 200 [] instead of 404
	failClick bool // POST /click answers 500
}

func newClicks(t *testing.T, c *clicks) *localapp.Local {
	l := localapp.New(t, c)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE clicks (id TEXT, timestamp TEXT)"); err != nil {
		t.Fatal(err)
	}
	c.db = db
	l.Procs.ExecFunc = fakeSQLiteCLI(l)
	return l
}

// fakeSQLiteCLI answers "cat /tmp/query.sql | sqlite3 /app/db.sqlite3" like the sqlite3 tool: rows as
// "|"-separated lines, exit 1 with an error message on failure.
func fakeSQLiteCLI(l *localapp.Local) func([]string) (apptest.ExecResult, error) {
	return func(cmd []string) (apptest.ExecResult, error) {
		if len(cmd) != 3 || !strings.Contains(cmd[2], "sqlite3 /app/db.sqlite3") {
			return apptest.ExecResult{}, fmt.Errorf("unexpected command %v", cmd)
		}
		q, err := os.ReadFile(l.Path("/tmp/query.sql"))
		if err != nil {
			return apptest.ExecResult{}, err
		}
		db, err := sql.Open("sqlite", l.Path("/app/db.sqlite3"))
		if err != nil {
			return apptest.ExecResult{}, err
		}
		defer db.Close()
		stmt := strings.TrimSpace(string(q))
		if !strings.HasPrefix(strings.ToUpper(stmt), "SELECT") {
			if _, err := db.Exec(stmt); err != nil {
				return apptest.ExecResult{Code: 1, Output: []byte("Error: near line 1: " + err.Error() + "\n")}, nil
			}
			return apptest.ExecResult{}, nil
		}
		rows, err := db.Query(stmt)
		if err != nil {
			return apptest.ExecResult{Code: 1, Output: []byte("Error: near line 1: " + err.Error() + "\n")}, nil
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out strings.Builder
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			var parts []string
			for _, v := range vals {
				parts = append(parts, v.String)
			}
			out.WriteString(strings.Join(parts, "|") + "\n")
		}
		return apptest.ExecResult{Output: []byte(out.String())}, nil
	}
}

func (c *clicks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case r.Method == "POST" && r.URL.Path == "/click":
		if c.failClick {
			w.WriteHeader(500)
			return
		}
		c.n++
		c.db.Exec("INSERT INTO clicks VALUES (?, ?)", fmt.Sprint(c.n), time.Now().UTC().Format(time.RFC3339))
		w.WriteHeader(201)
	case r.Method == "GET" && r.URL.Path == "/clicks":
		date, dir := r.URL.Query().Get("date"), r.URL.Query().Get("direction")
		var rows *sql.Rows
		var err error
		switch {
		case c.multi && strings.Contains(dir+date, "UNION"):
			w.WriteHeader(400)
			return
		case c.multi:
			q := "SELECT id FROM clicks WHERE timestamp " + dir + " '" + date + "'"
			first, rest, _ := strings.Cut(q, ";")
			if strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "--")) != "" {
				c.db.Exec(rest)
			}
			rows, err = c.db.Query(first)
		case c.concat:
			q, _, _ := strings.Cut("SELECT id FROM clicks WHERE timestamp "+dir+" '"+date+"'", ";")
			rows, err = c.db.Query(q)
		default:
			ops := map[string]bool{"<": true, ">": true, "<=": true, ">=": true}
			if _, perr := time.Parse("2006-01-02", date); perr != nil || !ops[dir] {
				w.WriteHeader(400)
				return
			}
			rows, err = c.db.Query("SELECT id FROM clicks WHERE timestamp "+dir+" ?", date)
		}
		if err != nil {
			w.WriteHeader(400)
			fmt.Fprint(w, err.Error())
			return
		}
		defer rows.Close()
		list := []map[string]string{}
		for rows.Next() {
			var id string
			rows.Scan(&id)
			list = append(list, map[string]string{"id": id})
		}
		if len(list) == 0 && !c.emptyOK {
			w.WriteHeader(404)
			return
		}
		json.NewEncoder(w).Encode(list)
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcValidClickCount(ctx, newClicks(t, &clicks{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcValidClickCount(ctx, newClicks(t, &clicks{emptyOK: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("200 [] for no clicks must fail, got %v", err)
	}
}

func TestExploitFires(t *testing.T) {
	for _, tc := range []struct {
		name, oracle string
		app          *clicks
	}{
		{"union leak", "secret-in-response", &clicks{concat: true}},
		{"table dropped", "table-dropped", &clicks{multi: true}}, // DEV-CLICK-1
	} {
		name, oracle, c := tc.name, tc.oracle, tc.app
		t.Run(name, func(t *testing.T) {
			l := newClicks(t, c)
			fs, err := secSQLInjection(context.Background(), l.App)
			if err != nil {
				t.Fatalf("could not run: %v", err)
			}
			if len(fs) != 1 || fs[0].CWE != cwe.SQLInjection || fs[0].Oracle != oracle {
				t.Fatalf("findings %v, want CWE-89", fs)
			}
			t.Logf("%s: %s", fs[0].Oracle, fs[0].Detail)
		})
	}
}

func TestExploitSilentOnSafeApp(t *testing.T) {
	l := newClicks(t, &clicks{})
	fs, err := secSQLInjection(context.Background(), l.App)
	if err != nil || len(fs) != 0 {
		t.Fatalf("findings %v, err %v", fs, err)
	}
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	ctx := context.Background()
	if _, err := secSQLInjection(ctx, newClicks(t, &clicks{failClick: true}).App); err == nil {
		t.Error("a failing click must make the exploit unable to run")
	}
	l := newClicks(t, &clicks{})
	if _, err := l.App.ExecSQL(ctx, "CREATE TABLE users (x TEXT);"); err != nil {
		t.Fatal(err)
	}
	if _, err := secSQLInjection(ctx, l.App); err == nil {
		t.Error("a users table that already exists must make the exploit unable to run")
	}
}
