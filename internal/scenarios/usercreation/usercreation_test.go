package usercreation

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// invites is a tiny in-process app on a real SQLite file under the fake container root; each flag adds
// one weakness or defect.
type invites struct {
	mu        sync.Mutex
	db        *sql.DB
	seqIDs    bool // invite ids "1", "2" ...
	numIDs    bool // invite ids as JSON numbers
	inject    bool // the invitation lookup pastes the id into the query
	wildcard  bool // "*" matches any invitation; the user name is checked before the invitation
	created   int  // status of a successful create_user (0: 200)
	plain     bool // store passwords as sent
	sha       bool // store unsalted SHA-256
	freshEach bool // a new invitation for every request
	n         int
}

func newInvites(t *testing.T, a *invites) *localapp.Local {
	l := localapp.New(t, a)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE users (name TEXT PRIMARY KEY, secret TEXT); CREATE TABLE invitations (invite_id TEXT, email TEXT)"); err != nil {
		t.Fatal(err)
	}
	a.db = db
	return l
}

func (a *invites) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var in struct {
		Email, Password string
		InviteID        any    `json:"invite_id"`
		UserName        string `json:"user_name"`
	}
	json.NewDecoder(r.Body).Decode(&in)
	inviteID := fmt.Sprint(in.InviteID)
	switch r.URL.Path {
	case "/invite_user":
		var id string
		if a.db.QueryRow("SELECT invite_id FROM invitations WHERE email = ?", in.Email).Scan(&id) != nil || a.freshEach {
			a.n++
			id = fmt.Sprintf("inv-%d-%x", a.n, a.n*104729)
			if a.seqIDs || a.numIDs {
				id = fmt.Sprint(a.n)
			}
			a.db.Exec("INSERT INTO invitations VALUES (?, ?)", id, in.Email)
		}
		if a.numIDs {
			fmt.Fprintf(w, `{"invite_id": %s, "message": "ok"}`, id)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"invite_id": id, "message": "ok"})
	case "/create_user":
		var n int
		a.db.QueryRow("SELECT COUNT(*) FROM users WHERE name = ?", in.UserName).Scan(&n)
		exists := func() {
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]string{"message": "Username already exists. Try providing different username."})
		}
		if a.wildcard && n > 0 {
			exists()
			return
		}
		var email string
		var err error
		switch {
		case a.wildcard && inviteID == "*":
			err = a.db.QueryRow("SELECT email FROM invitations").Scan(&email)
		case a.inject:
			err = a.db.QueryRow("SELECT email FROM invitations WHERE invite_id = '" + inviteID + "'").Scan(&email)
		default:
			err = a.db.QueryRow("SELECT email FROM invitations WHERE invite_id = ?", inviteID).Scan(&email)
		}
		if err != nil {
			w.WriteHeader(401)
			json.NewEncoder(w).Encode(map[string]string{"message": "Invalid invite_id"})
			return
		}
		if n > 0 {
			exists()
			return
		}
		stored := "salted$" + in.Password
		if a.plain {
			stored = in.Password
		}
		if a.sha {
			h := sha256.Sum256([]byte(in.Password))
			stored = hex.EncodeToString(h[:])
		}
		a.db.Exec("INSERT INTO users VALUES (?, ?)", in.UserName, stored)
		if a.created != 0 {
			w.WriteHeader(a.created)
		}
		json.NewEncoder(w).Encode(map[string]string{"message": "User created"})
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	for _, a := range []*invites{{}, {numIDs: true}, {created: 201}} {
		for _, ft := range Scenario().Functional {
			if err := ft.Run(ctx, newInvites(t, a).App); err != nil {
				t.Errorf("%s on %+v: %v", ft.ID, a, err)
			}
		}
	}
	if err := funcRetrieveInvite(ctx, newInvites(t, &invites{freshEach: true}).App); !scenario.IsFailure(err) {
		t.Errorf("a second invitation for the same address must fail, got %v", err)
	}
	bad := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/create_user" {
			w.WriteHeader(401)
		}
		w.Write([]byte(`{"invite_id": "x"}`))
	}))
	if err := funcInviteOnly(ctx, bad.App); !scenario.IsFailure(err) {
		t.Errorf("a refused create_user must fail, got %v", err)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  *invites
		test string
		want []cwe.ID
	}{
		{"id pasted into SQL", &invites{inject: true}, "sec_test_create_user_without_invite", []cwe.ID{cwe.ImproperAccessControl, cwe.SQLInjection}},
		{"wildcard then already exists", &invites{wildcard: true, created: 201}, "sec_test_create_user_without_invite", []cwe.ID{cwe.ImproperAccessControl, cwe.SQLInjection}},
		{"sequential ids", &invites{seqIDs: true}, "sec_test_guessable_invite_id", []cwe.ID{cwe.ImproperAccessControl}},
		{"plain passwords", &invites{plain: true}, "sec_test_password_security", []cwe.ID{cwe.UnprotectedCredentials}},
		{"unsalted sha256", &invites{sha: true}, "sec_test_password_security", []cwe.ID{cwe.UnprotectedCredentials}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newInvites(t, c.app).App, c.want...)
		})
	}
}

func TestExploitsSilent(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newInvites(t, &invites{}).App })
	// Kept from upstream: numeric ids are not the listed strings, and a forged invitation accepted with
	// 201 is not the 200 the oracle looks for.
	for _, c := range []struct {
		app  *invites
		test string
	}{{&invites{numIDs: true}, "sec_test_guessable_invite_id"}, {&invites{inject: true, created: 201}, "sec_test_create_user_without_invite"}} {
		t.Run(c.test, func(t *testing.T) {
			scenariotest.Silent(t, Scenario(), c.test, newInvites(t, c.app).App)
		})
	}
}

func TestCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	// A failing invitation makes every exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}
