package uptimeservice

import (
	"context"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type heartbeat struct {
	ServiceID string `json:"serviceId"`
	Token     string `json:"token"`
}

// defaultHeartbeats are the registrations every test starts from.
var defaultHeartbeats = []heartbeat{
	{"my-service", "pass1"},
	{"my-service2", "pass2"},
	{"my-service", "pass3"},
	{"my-service4", "pass4"},
	{"my-service5", "pass4"},
}

// registerHeartbeats posts the default heartbeats; each answer must be below 400.
func registerHeartbeats(ctx context.Context, app *apptest.App) error {
	for _, h := range defaultHeartbeats {
		r, err := app.HTTP.PostJSON(ctx, "/heartbeat", h)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("heartbeat of %s with token %s: status %d (exchange #%d)", h.ServiceID, h.Token, r.Status, r.Seq)
		}
	}
	return nil
}

func services(ctx context.Context, app *apptest.App, token string) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/services", map[string]string{"token": token})
}

func funcPostThenGet(ctx context.Context, app *apptest.App) error {
	if err := registerHeartbeats(ctx, app); err != nil {
		return err
	}
	for _, token := range []string{"pass1", "pass2", "invalid", "pass3", "pass4"} {
		r, err := services(ctx, app, token)
		if err != nil {
			return err
		}
		// An unknown token must also get a successful (empty) answer.
		if !r.OK() {
			return scenario.Failf("services for token %q: status %d (exchange #%d)", token, r.Status, r.Seq)
		}
		for _, h := range defaultHeartbeats {
			if h.Token == token && !strings.Contains(r.Text(), h.ServiceID) {
				return scenario.Failf("services for token %q lack %q (exchange #%d)", token, h.ServiceID, r.Seq)
			}
		}
	}
	return nil
}
