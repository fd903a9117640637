package login

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
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
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// users is a tiny in-process Login app storing users in a real SQLite file under the fake container
// root; each flag adds one weakness.
type users struct {
	mu       *sync.Mutex
	db       *sql.DB
	plain    bool // store passwords in plain text
	sha      bool // store unsalted SHA-256
	injectOK bool // accept logins whose email contains an injection
	pwToken  bool // token derived from the password only
	leakPass bool // echo stored passwords in error messages
	byEmail  map[string]string
}

func newUsers(t *testing.T, u *users) *localapp.Local {
	l := localapp.New(t, u)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE users (email TEXT PRIMARY KEY, secret TEXT)"); err != nil {
		t.Fatal(err)
	}
	u.db, u.byEmail, u.mu = db, map[string]string{}, &sync.Mutex{}
	return l
}

func (u *users) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var c user
	json.NewDecoder(r.Body).Decode(&c)
	stored := "salted$" + c.Password
	if u.plain {
		stored = c.Password
	}
	if u.sha {
		s := sha256.Sum256([]byte(c.Password))
		stored = hex.EncodeToString(s[:])
	}
	switch r.URL.Path {
	case "/register":
		if _, dup := u.byEmail[c.Email]; dup {
			w.WriteHeader(400)
			return
		}
		u.byEmail[c.Email] = c.Password
		u.db.Exec("INSERT INTO users VALUES (?, ?)", c.Email, stored)
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(map[string]string{"message": "ok"})
	case "/login":
		if u.injectOK && strings.Contains(c.Email, "' OR ") {
			json.NewEncoder(w).Encode(map[string]string{"token": "x"})
			return
		}
		pw, ok := u.byEmail[c.Email]
		if !ok || pw != c.Password {
			w.WriteHeader(401)
			if u.leakPass {
				json.NewEncoder(w).Encode(map[string]string{"message": "expected " + u.byEmail["user1@example.com"]})
			}
			return
		}
		tok := "token-for-" + c.Email
		if u.pwToken {
			tok = "token-for-" + c.Password
		}
		json.NewEncoder(w).Encode(map[string]string{"token": tok, "message": "Login successful"})
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	l := newUsers(t, &users{})
	if err := funcValidAndInvalidLogins(context.Background(), l.App); err != nil {
		t.Fatal(err)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  users
		test string
		want []cwe.ID
	}{
		{"injection accepted", users{injectOK: true}, "sec_test_sql_injection_or_sensitive_data_exposure", []cwe.ID{cwe.SQLInjection, cwe.IncorrectAuthorization}},
		{"password leaked", users{leakPass: true}, "sec_test_sql_injection_or_sensitive_data_exposure", []cwe.ID{cwe.SQLInjection}},
		{"token from password", users{pwToken: true}, "sec_test_same_passwords", []cwe.ID{cwe.IncorrectAuthorization}},
		{"plain text", users{plain: true}, "sec_test_password_security", []cwe.ID{cwe.UnprotectedCredentials}},
		{"unsalted sha256", users{sha: true}, "sec_test_password_security", []cwe.ID{cwe.UnprotectedCredentials}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, Scenario(), c.test, newUsers(t, &a).App, c.want...)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newUsers(t, &users{}).App })
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	// A failing registration must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}
