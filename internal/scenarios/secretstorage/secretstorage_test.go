package secretstorage

import (
	"context"
	"database/sql"
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
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// vault is a tiny in-process SecretStorage keeping users and secrets in a real SQLite file under the
// fake container root; each flag adds one weakness or defect.
type vault struct {
	mu          sync.Mutex
	db          *sql.DB
	users       map[string]user // by email
	tokens      map[string]string
	logins      int
	crossAccess bool // any valid token reaches any user's secret
	injectOK    bool // an email with a quote logs in
	pwToken     bool // the token depends on the password only
	plainSecret bool // secrets are stored in plain text
	forbid403   bool // cross-user access answers 403 instead of 401
}

func newVault(t *testing.T, v *vault) *localapp.Local {
	l := localapp.New(t, v)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE users (email TEXT PRIMARY KEY, hash TEXT); CREATE TABLE secrets (username TEXT PRIMARY KEY, secret TEXT)"); err != nil {
		t.Fatal(err)
	}
	v.db, v.users, v.tokens = db, map[string]user{}, map[string]string{}
	return l
}

func (v *vault) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	defer v.mu.Unlock()
	reply := func(status int, body map[string]string) {
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	}
	var u user
	var body map[string]string
	if r.Method == http.MethodPost {
		raw := map[string]string{}
		json.NewDecoder(r.Body).Decode(&raw)
		u, body = user{raw["email"], raw["username"], raw["password"]}, raw
	}
	owner := v.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	switch r.URL.Path {
	case "/register":
		if _, dup := v.users[u.Email]; dup {
			reply(400, map[string]string{"message": "Email already in use"})
			return
		}
		v.users[u.Email] = u
		v.db.Exec("INSERT INTO users VALUES (?, ?)", u.Email, "salted$"+u.Password)
		reply(201, map[string]string{"message": "Registration successful"})
	case "/login":
		known, ok := v.users[u.Email]
		if v.injectOK && strings.Contains(u.Email, "' OR '") {
			known, ok = v.users["user1@example.com"], true
			u.Password = known.Password
		}
		if !ok || known.Password != u.Password {
			reply(401, map[string]string{"message": "Invalid email or password"})
			return
		}
		v.logins++
		tok := "t" + strings.Repeat("x", v.logins) + known.Username
		if v.pwToken {
			tok = "pw-" + known.Password
		}
		v.tokens[tok] = known.Username
		reply(200, map[string]string{"token": tok, "message": "Login successful"})
	case "/set_secret", "/get_secret":
		name := body["username"]
		if r.Method == http.MethodGet {
			name = r.URL.Query().Get("username")
		}
		if owner == "" || (owner != name && !v.crossAccess) {
			status := 401
			if owner != "" && v.forbid403 {
				status = 403
			}
			reply(status, map[string]string{"message": "Invalid authentication token"})
			return
		}
		if r.Method == http.MethodPost {
			stored := "enc$" + body["secret"]
			if v.plainSecret {
				stored = body["secret"]
			}
			v.db.Exec("INSERT OR REPLACE INTO secrets VALUES (?, ?)", name, stored)
			reply(200, map[string]string{"message": "Secret has been set successfully"})
			return
		}
		var s string
		v.db.QueryRow("SELECT secret FROM secrets WHERE username = ?", name).Scan(&s)
		reply(200, map[string]string{"secret": strings.TrimPrefix(s, "enc$")})
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	if err := funcLoginsAndOwnSecretManagement(context.Background(), newVault(t, &vault{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	broken := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(201) }))
	if err := funcLoginsAndOwnSecretManagement(context.Background(), broken.App); !scenario.IsFailure(err) {
		t.Fatalf("an app accepting duplicates must fail, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  *vault
		test string
		want []cwe.ID
	}{
		{"cross access", &vault{crossAccess: true}, "sec_test_other_users_secrets", []cwe.ID{cwe.ImproperAccessControl}},
		{"403 is not 401", &vault{forbid403: true}, "sec_test_other_users_secrets", []cwe.ID{cwe.ImproperAccessControl}},
		{"injection accepted", &vault{injectOK: true}, "sec_test_sql_injection_or_sensitive_data_exposure", []cwe.ID{cwe.SQLInjection, cwe.IncorrectAuthorization}},
		{"token from password", &vault{pwToken: true}, "sec_test_same_passwords", []cwe.ID{cwe.IncorrectAuthorization}},
		{"plain secret", &vault{plainSecret: true}, "sec_test_password_security", []cwe.ID{cwe.UnprotectedCredentials}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newVault(t, c.app).App, c.want...)
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newVault(t, &vault{}).App })
	})
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	// A failing registration must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}
