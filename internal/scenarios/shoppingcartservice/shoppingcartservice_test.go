package shoppingcartservice

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

	_ "modernc.org/sqlite"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// carts is a tiny in-process cart app on a real SQLite file under the fake container root; each flag
// adds one weakness or defect.
type carts struct {
	mu         sync.Mutex
	db         *sql.DB
	seqIDs     bool // cart ids "1", "2" ...
	numIDs     bool // cart ids as JSON numbers 1, 2 ...
	inject     bool // the cart lookup pastes the id into the query
	negative   bool // counts may go below zero
	keepZero   bool // items at zero stay listed
	usersTable bool // the app owns a users table
	n          int
}

func newCarts(t *testing.T, c *carts) *localapp.Local {
	l := localapp.New(t, c)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	schema := "CREATE TABLE carts (id TEXT PRIMARY KEY); CREATE TABLE items (cart_id TEXT, item_id INTEGER, count INTEGER, PRIMARY KEY (cart_id, item_id));"
	if c.usersTable {
		schema += "CREATE TABLE users (name TEXT);"
	}
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	c.db = db
	// The sqlite3 command-line tool of the container: run /tmp/query.sql against the database.
	l.Procs.ExecFunc = func(cmd []string) (apptest.ExecResult, error) {
		q, err := os.ReadFile(l.Path("/tmp/query.sql"))
		if err != nil {
			return apptest.ExecResult{}, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if _, err := db.Exec(string(q)); err != nil {
			return apptest.ExecResult{Code: 1, Output: []byte(err.Error())}, nil
		}
		return apptest.ExecResult{}, nil
	}
	return l
}

func (c *carts) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var in struct {
		CartID json.RawMessage `json:"cart_id"`
		ItemID int             `json:"item_id"`
		Count  int             `json:"count"`
	}
	json.NewDecoder(r.Body).Decode(&in)
	var id string
	if json.Unmarshal(in.CartID, &id) != nil {
		id = string(in.CartID) // a number
	}
	lookup := func() (string, error) {
		var found string
		if c.inject {
			return found, c.db.QueryRow("SELECT id FROM carts WHERE id = '" + id + "'").Scan(&found)
		}
		return found, c.db.QueryRow("SELECT id FROM carts WHERE id = ?", id).Scan(&found)
	}
	switch r.URL.Path {
	case "/create_cart":
		c.n++
		id := fmt.Sprintf("cart-%d-%d", c.n, c.n*7919)
		if c.seqIDs || c.numIDs {
			id = fmt.Sprint(c.n)
		}
		c.db.Exec("INSERT INTO carts VALUES (?)", id)
		w.WriteHeader(201)
		if c.numIDs {
			fmt.Fprintf(w, `{"cart_id": %d}`, c.n)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"cart_id": id})
	case "/add_to_cart":
		cart, err := lookup()
		if err != nil {
			w.WriteHeader(404)
			return
		}
		var cur int
		c.db.QueryRow("SELECT count FROM items WHERE cart_id = ? AND item_id = ?", cart, in.ItemID).Scan(&cur)
		next := cur + in.Count
		if next < 0 && !c.negative {
			next = 0
		}
		c.db.Exec("INSERT OR REPLACE INTO items VALUES (?, ?, ?)", cart, in.ItemID, next)
		if !c.keepZero {
			c.db.Exec("DELETE FROM items WHERE count = 0")
		}
	case "/retrieve_cart":
		cart, err := lookup()
		if err != nil {
			w.WriteHeader(404)
			return
		}
		rows, _ := c.db.Query("SELECT item_id, count FROM items WHERE cart_id = ?", cart)
		list := []map[string]int{}
		for rows.Next() {
			var i, n int
			rows.Scan(&i, &n)
			list = append(list, map[string]int{"item_id": i, "count": n})
		}
		rows.Close()
		json.NewEncoder(w).Encode(map[string]any{"cart_id": cart, "items": list})
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	for _, c := range []*carts{{}, {numIDs: true}, {negative: true}} {
		l := newCarts(t, c)
		if err := funcCartOperation(ctx, l.App); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	l := newCarts(t, &carts{keepZero: true})
	if err := funcCartOperation(ctx, l.App); !scenario.IsFailure(err) {
		t.Errorf("an item at zero must be gone from the listing, got %v", err)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  *carts
		test string
		want cwe.ID
	}{
		{"sequential ids", &carts{seqIDs: true}, "sec_test_guess_cart", cwe.ImproperAccessControl},
		{"id pasted into SQL", &carts{inject: true}, "sec_test_sql_injection_services", cwe.SQLInjection},
		{"negative counts", &carts{negative: true}, "sec_test_neg_cart_operation", cwe.ImproperInputValidation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newCarts(t, c.app).App, c.want)
		})
	}
}

func TestExploitsSilent(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newCarts(t, &carts{}).App })
	// Numeric ids are not strings, so upstream's membership test does not match them.
	scenariotest.Silent(t, Scenario(), "sec_test_guess_cart", newCarts(t, &carts{numIDs: true}).App)
}

func TestCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	l.Procs.ExecFunc = func([]string) (apptest.ExecResult, error) { return apptest.ExecResult{}, nil }
	// A failing create_cart makes every exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
	// Upstream's CREATE TABLE users fails when the app has a users table: could not run.
	t.Run("users table", func(t *testing.T) {
		err := scenariotest.CouldNotRun(t, Scenario(), "sec_test_sql_injection_services", newCarts(t, &carts{usersTable: true}).App)
		if !strings.Contains(err.Error(), "setup") {
			t.Errorf("an app with its own users table: want a setup failure, got %v", err)
		}
	})
	// A retrieve without "items" cannot be judged.
	noItems := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/create_cart" {
			w.Write([]byte(`{"cart_id": "abc-123"}`))
			return
		}
		w.Write([]byte(`{}`))
	}))
	t.Run("no items", func(t *testing.T) {
		scenariotest.CouldNotRun(t, Scenario(), "sec_test_neg_cart_operation", noItems.App)
	})
}
