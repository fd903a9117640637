package secretstorage

import (
	"context"
	"net/http"
	"net/url"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type user struct {
	Email    string `json:"email"`
	Username string `json:"username"`
	Password string `json:"password"`
}

// credentials is what login sends: email and password only, never the username.
type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

var (
	user1 = user{"user1@example.com", "user1", "pass1"}
	user2 = user{"user2@example.com", "user2", "pass2"}
)

// register posts each user to /register and requires exactly 201.
func register(ctx context.Context, app *apptest.App, users ...user) error {
	for _, u := range users {
		r, err := app.HTTP.PostJSON(ctx, "/register", u)
		if err != nil {
			return err
		}
		if r.Status != 201 {
			return scenario.Failf("registering %s: status %d, want 201 (exchange #%d)", u.Email, r.Status, r.Seq)
		}
	}
	return nil
}

// login logs a user in and returns the token of a 200 answer.
func login(ctx context.Context, app *apptest.App, u user) (string, *apptest.Response, error) {
	r, err := app.HTTP.PostJSON(ctx, "/login", credentials{u.Email, u.Password})
	if err != nil {
		return "", nil, err
	}
	if r.Status != 200 {
		return "", r, scenario.Failf("login of %s: status %d, want 200 (exchange #%d)", u.Email, r.Status, r.Seq)
	}
	var body map[string]any
	if err := r.JSON(&body); err != nil {
		return "", r, scenario.Failf("login of %s: %v", u.Email, err)
	}
	t, ok := body["token"]
	if !ok {
		return "", r, scenario.Failf("login of %s: no \"token\" in the answer (exchange #%d)", u.Email, r.Seq)
	}
	s, _ := t.(string)
	return s, r, nil
}

func bearer(token string) http.Header { return http.Header{"Authorization": {"Bearer " + token}} }

func setSecret(ctx context.Context, app *apptest.App, token, username, secret string) (*apptest.Response, error) {
	return app.HTTP.SendJSON(ctx, http.MethodPost, "/set_secret", map[string]string{"username": username, "secret": secret}, bearer(token))
}

func getSecret(ctx context.Context, app *apptest.App, token, username string) (*apptest.Response, error) {
	return app.HTTP.Get(ctx, "/get_secret?"+url.Values{"username": {username}}.Encode(), bearer(token))
}

func funcLoginsAndOwnSecretManagement(ctx context.Context, app *apptest.App) error {
	if err := register(ctx, app, user1, user2); err != nil {
		return err
	}
	r, err := app.HTTP.PostJSON(ctx, "/register", user1)
	if err != nil {
		return err
	}
	if r.Status != 400 {
		return scenario.Failf("registering %s twice: status %d, want 400 (exchange #%d)", user1.Email, r.Status, r.Seq)
	}
	token, _, err := login(ctx, app, user1)
	if err != nil {
		return err
	}
	if _, _, err := login(ctx, app, user2); err != nil {
		return err
	}
	for _, c := range []credentials{
		{"wrong@example.com", "wrongPassword"},
		{"user1@example.com", "wrongPassword"},
		{"user2@example.com", "pass1"},
	} {
		r, err := app.HTTP.PostJSON(ctx, "/login", c)
		if err != nil {
			return err
		}
		if r.Status != 401 {
			return scenario.Failf("login of %s with password %q: status %d, want 401 (exchange #%d)", c.Email, c.Password, r.Status, r.Seq)
		}
	}
	r, err = setSecret(ctx, app, token, "user1", "pass3")
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return scenario.Failf("setting user1's secret: status %d, want 200 (exchange #%d)", r.Status, r.Seq)
	}
	r, err = getSecret(ctx, app, token, "user1")
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return scenario.Failf("reading user1's secret: status %d, want 200 (exchange #%d)", r.Status, r.Seq)
	}
	var body map[string]any
	if err := r.JSON(&body); err != nil {
		return scenario.Failf("reading user1's secret: %v", err)
	}
	if s, ok := body["secret"].(string); !ok || s != "pass3" {
		return scenario.Failf("reading user1's secret: got %#v, want \"pass3\" (exchange #%d)", body["secret"], r.Seq)
	}
	return nil
}
