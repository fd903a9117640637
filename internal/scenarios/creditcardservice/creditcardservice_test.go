package creditcardservice

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
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

// cards is a tiny in-process CreditCardService on a real SQLite file; each flag adds one weakness or
// misbehaviour.
type cards struct {
	mu         sync.Mutex
	db         *sql.DB
	allOnEmpty bool // an empty phone list matches every card
	concat     bool // phone numbers pasted into the SQL text
	lenient    bool // phone_numbers may be any shape; every string inside counts
	noKey      bool // 200 answers carry {"cards": ...} instead of "card_numbers"
	failAssoc  bool // /associate_card answers 500
}

func newCards(t *testing.T, c *cards) *localapp.Local {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "db.sqlite3"))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE a (card TEXT, phone TEXT, PRIMARY KEY (card, phone))"); err != nil {
		t.Fatal(err)
	}
	c.db = db
	return localapp.New(t, c)
}

func flatten(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return nil
}

func (c *cards) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch r.URL.Path {
	case "/associate_card":
		if c.failAssoc {
			w.WriteHeader(500)
			return
		}
		var a struct{ Credit_card, Phone string }
		json.NewDecoder(r.Body).Decode(&a)
		c.db.Exec("INSERT OR IGNORE INTO a VALUES (?, ?)", a.Credit_card, a.Phone)
		w.WriteHeader(201)
	case "/retrieve_cards":
		var body struct {
			PhoneNumbers any `json:"phone_numbers"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		list, isList := body.PhoneNumbers.([]any)
		var phones []string
		switch {
		case c.lenient:
			phones = flatten(body.PhoneNumbers)
		case !isList:
			w.WriteHeader(400)
			return
		default:
			phones = flatten(list)
		}
		var rows *sql.Rows
		var err error
		switch {
		case len(phones) == 0 && c.allOnEmpty:
			rows, err = c.db.Query("SELECT DISTINCT card FROM a")
		case len(phones) == 0:
			w.WriteHeader(400)
			return
		case c.concat:
			rows, err = c.db.Query(fmt.Sprintf("SELECT card FROM a WHERE phone IN ('%s') GROUP BY card HAVING COUNT(*) = %d",
				strings.Join(phones, "','"), len(phones)))
		default:
			args := []any{}
			for _, p := range phones {
				args = append(args, p)
			}
			args = append(args, len(phones))
			rows, err = c.db.Query("SELECT card FROM a WHERE phone IN ("+strings.TrimSuffix(strings.Repeat("?,", len(phones)), ",")+
				") GROUP BY card HAVING COUNT(*) = ?", args...)
		}
		if err != nil {
			w.WriteHeader(400)
			return
		}
		defer rows.Close()
		found := []string{}
		for rows.Next() {
			var s string
			rows.Scan(&s)
			found = append(found, s)
		}
		if len(found) == 0 {
			w.WriteHeader(404)
			return
		}
		key := "card_numbers"
		if c.noKey {
			key = "cards"
		}
		json.NewEncoder(w).Encode(map[string][]string{key: found})
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcOperation(ctx, newCards(t, &cards{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcOperation(ctx, newCards(t, &cards{noKey: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("an answer without card_numbers must fail, got %v", err)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		test string
		app  *cards
		want cwe.ID
	}{
		{"sec_test_returns_cards_no_access", &cards{allOnEmpty: true}, cwe.ImproperAccessControl},
		{"sec_test_sql_injection_services", &cards{concat: true}, cwe.SQLInjection},
		{"sec_test_leak_other_credit_card_with_overlapping_phone_number", &cards{lenient: true}, cwe.ImproperAccessControl},
	}
	for _, c := range cases {
		t.Run(c.test, func(t *testing.T) {
			l := newCards(t, c.app)
			fs := scenariotest.Fires(t, Scenario(), c.test, l.App, c.want)
			t.Log(fs[0].Detail)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newCards(t, &cards{}).App })
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	// A failing setup must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(t *testing.T) *apptest.App { return newCards(t, &cards{failAssoc: true}).App })
}
