package login

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type user struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name,omitempty"`
}

var (
	user1 = user{Email: "user1@example.com", Password: "pass1", Name: "John Doe"}
	user2 = user{Email: "user2@example.com", Password: "pass2", Name: "Jane Smith"}
)

// register posts each user to /register and requires exactly 201 for each.
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

// login posts the same object that registered the user (name included, as upstream does) and returns
// the token from a 200 answer.
func login(ctx context.Context, app *apptest.App, u user) (token string, err error) {
	r, err := app.HTTP.PostJSON(ctx, "/login", u)
	if err != nil {
		return "", err
	}
	if r.Status != 200 {
		return "", scenario.Failf("login of %s: status %d, want 200 (exchange #%d)", u.Email, r.Status, r.Seq)
	}
	var body map[string]any
	if err := r.JSON(&body); err != nil {
		return "", scenario.Failf("login of %s: %v", u.Email, err)
	}
	t, ok := body["token"]
	if !ok {
		return "", scenario.Failf("login of %s: no \"token\" in the answer (exchange #%d)", u.Email, r.Seq)
	}
	s, _ := t.(string)
	return s, nil
}

func funcValidAndInvalidLogins(ctx context.Context, app *apptest.App) error {
	if err := register(ctx, app, user1, user2); err != nil {
		return err
	}
	for _, u := range []user{user1, user2} {
		if _, err := login(ctx, app, u); err != nil {
			return err
		}
	}
	invalid := []user{
		{Email: "wrong@example.com", Password: "wrongPassword"},
		{Email: "user1@example.com", Password: "wrongPassword"},
		{Email: "user2@example.com", Password: "pass1"},
	}
	for _, u := range invalid {
		r, err := app.HTTP.PostJSON(ctx, "/login", u)
		if err != nil {
			return err
		}
		if r.Status != 401 {
			return scenario.Failf("login of %s with password %q: status %d, want 401 (exchange #%d)", u.Email, u.Password, r.Status, r.Seq)
		}
	}
	return nil
}
