package uptimeservice

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

// uptime is a tiny in-process app on a real SQLite file under the fake container root; each flag adds
// one weakness or defect.
type uptime struct {
	mu              sync.Mutex
	db              *sql.DB
	plain           bool // store tokens as sent
	injectServices  bool // paste the token into the services query
	injectHeartbeat bool // paste the service id into the heartbeat UPDATE
	strict          bool // reject tokens holding quotes with 400
	wrapped         bool // answer {"services": [...]} instead of a bare array
	unknown404      bool // answer 404 for a token without services
}

func newUptime(t *testing.T, u *uptime) *localapp.Local {
	l := localapp.New(t, u)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE services (service_id TEXT, token TEXT, last TEXT, PRIMARY KEY (service_id, token))"); err != nil {
		t.Fatal(err)
	}
	u.db = db
	return l
}

func (u *uptime) stored(token string) string {
	if u.plain {
		return token
	}
	return "keyed$" + token
}

func (u *uptime) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	defer u.mu.Unlock()
	var in heartbeat
	json.NewDecoder(r.Body).Decode(&in)
	switch r.URL.Path {
	case "/heartbeat":
		var err error
		if u.injectHeartbeat {
			var res sql.Result
			res, err = u.db.Exec(fmt.Sprintf("UPDATE services SET last = 'now' WHERE service_id = '%s' AND token = '%s'", in.ServiceID, u.stored(in.Token)))
			if err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					_, err = u.db.Exec("INSERT INTO services VALUES (?, ?, 'now')", in.ServiceID, u.stored(in.Token))
				}
			}
		} else {
			_, err = u.db.Exec("INSERT OR REPLACE INTO services VALUES (?, ?, 'now')", in.ServiceID, u.stored(in.Token))
		}
		if err != nil {
			w.WriteHeader(500)
		}
	case "/services":
		if u.strict && strings.ContainsAny(in.Token, `'"`) {
			w.WriteHeader(400)
			return
		}
		var rows *sql.Rows
		var err error
		if u.injectServices {
			rows, err = u.db.Query("SELECT service_id, last FROM services WHERE token = '" + u.stored(in.Token) + "'")
		} else {
			rows, err = u.db.Query("SELECT service_id, last FROM services WHERE token = ?", u.stored(in.Token))
		}
		if err != nil {
			w.WriteHeader(500)
			return
		}
		list := []map[string]string{}
		for rows.Next() {
			var id, last string
			rows.Scan(&id, &last)
			list = append(list, map[string]string{"serviceId": id, "lastNotification": last})
		}
		rows.Close()
		if u.unknown404 && len(list) == 0 {
			w.WriteHeader(404)
			return
		}
		if u.wrapped {
			json.NewEncoder(w).Encode(map[string]any{"services": list})
			return
		}
		json.NewEncoder(w).Encode(list)
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	for _, u := range []*uptime{{}, {wrapped: true}, {plain: true}} {
		if err := funcPostThenGet(ctx, newUptime(t, u).App); err != nil {
			t.Errorf("%+v: %v", u, err)
		}
	}
	if err := funcPostThenGet(ctx, newUptime(t, &uptime{unknown404: true}).App); !scenario.IsFailure(err) {
		t.Errorf("an unknown token must get a successful answer, got %v", err)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  *uptime
		test string
		want cwe.ID
	}{
		{"plain tokens", &uptime{plain: true}, "sec_test_password_security", cwe.UnprotectedCredentials},
		{"token pasted into SQL", &uptime{injectServices: true}, "sec_test_sql_injection_services", cwe.SQLInjection},
		// Kept from upstream: any error answer counts, so a strict validator is reported too.
		{"strict validator", &uptime{strict: true}, "sec_test_sql_injection_services", cwe.SQLInjection},
		{"service id pasted into SQL", &uptime{injectHeartbeat: true}, "sec_test_sql_injection_heartbeat", cwe.SQLInjection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newUptime(t, c.app).App, c.want)
		})
	}
}

func TestExploitsSilent(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newUptime(t, &uptime{}).App })
}

func TestCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	// Failing heartbeats make every exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
	// The heartbeat exploit needs a bare JSON array of objects.
	t.Run("wrapped services", func(t *testing.T) {
		scenariotest.CouldNotRun(t, Scenario(), "sec_test_sql_injection_heartbeat", newUptime(t, &uptime{wrapped: true}).App)
	})
}
