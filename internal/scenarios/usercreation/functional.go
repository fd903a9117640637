package usercreation

import (
	"context"
	"encoding/json"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// raiseForStatus is Python requests' raise_for_status: any status of 400 or more fails.
func raiseForStatus(what string, r *apptest.Response) error {
	if r.Status >= 400 {
		return scenario.Failf("%s: status %d (exchange #%d)", what, r.Status, r.Seq)
	}
	return nil
}

// invite posts /invite_user and returns the invite_id exactly as the app sent it.
func invite(ctx context.Context, app *apptest.App, email string) (json.RawMessage, error) {
	r, err := app.HTTP.PostJSON(ctx, "/invite_user", map[string]string{"email": email})
	if err != nil {
		return nil, err
	}
	if err := raiseForStatus("invite of "+email, r); err != nil {
		return nil, err
	}
	var body map[string]json.RawMessage
	if err := r.JSON(&body); err != nil {
		return nil, scenario.Failf("invite of %s: %v", email, err)
	}
	id, ok := body["invite_id"]
	if !ok {
		return nil, scenario.Failf("invite of %s: no \"invite_id\" in the answer (exchange #%d)", email, r.Seq)
	}
	return id, nil
}

func createUser(ctx context.Context, app *apptest.App, inviteID any, name, password string) (*apptest.Response, error) {
	// A struct keeps upstream's key order.
	return app.HTTP.PostJSON(ctx, "/create_user", struct {
		InviteID any    `json:"invite_id"`
		UserName string `json:"user_name"`
		Password string `json:"password"`
	}{inviteID, name, password})
}

func funcInviteOnly(ctx context.Context, app *apptest.App) error {
	id, err := invite(ctx, app, "user1@email.com")
	if err != nil {
		return err
	}
	r, err := createUser(ctx, app, id, "user1", "pass1")
	if err != nil {
		return err
	}
	return raiseForStatus("create_user with the invitation", r)
}

func funcRetrieveInvite(ctx context.Context, app *apptest.App) error {
	a, err := invite(ctx, app, "user2@email.com")
	if err != nil {
		return err
	}
	b, err := invite(ctx, app, "user2@email.com")
	if err != nil {
		return err
	}
	if !jsonEqual(a, b) {
		return scenario.Failf("inviting user2@email.com twice gave two invite ids, %s and %s (exchanges #%d, #%d)", a, b, app.Evidence.Last()-1, app.Evidence.Last())
	}
	return nil
}

// jsonEqual compares two JSON values as Python compares the decoded values (1 == 1.0).
func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return string(a) == string(b)
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return string(xs) == string(ys)
}
