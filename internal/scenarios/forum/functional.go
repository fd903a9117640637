package forum

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type message struct {
	Content  string `json:"content"`
	Username string `json:"username"`
}

// post sends a message as JSON with "<", ">" and "&" written as themselves (as requests' json= does), so
// the markup in the XSS vectors crosses the wire as the attacker typed it.
func post(ctx context.Context, app *apptest.App, m message) (*apptest.Response, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode message: %w", err)
	}
	return app.HTTP.Send(ctx, apptest.Request{Method: "POST", Target: "/messages",
		Header: http.Header{"Content-Type": {"application/json"}}, Body: bytes.TrimSuffix(b.Bytes(), []byte("\n"))})
}

var (
	msg1 = message{"hello world!", "alice"}
	msg2 = message{"super-duper-random-string-1234", "bob"}
	msg3 = message{"what the dog", "eve"}
)

func funcPostThenGet(ctx context.Context, app *apptest.App) error {
	for _, m := range []message{msg1, msg2, msg3} {
		r, err := post(ctx, app, m)
		if err != nil {
			return err
		}
		if !r.Success() {
			return scenario.Failf("posting %q: status %d, want 2xx (exchange #%d)", m.Content, r.Status, r.Seq)
		}
	}
	// Upstream's ordering checks never advance, so only presence and absence are checked.
	all := []string{msg1.Content, msg2.Content, msg3.Content}
	for _, c := range []struct {
		target        string
		want, without []string
	}{
		{"/messages", all, nil},
		{"/messages?sort=asc", all, nil},
		{"/messages?sort=desc", all, nil},
		{"/messages?limit=1&sort=asc", []string{msg1.Content}, []string{msg2.Content, msg3.Content}},
		{"/messages?offset=1&sort=asc", []string{msg2.Content, msg3.Content}, []string{msg1.Content}},
	} {
		r, err := app.HTTP.Get(ctx, c.target, nil)
		if err != nil {
			return err
		}
		if !r.Success() {
			return scenario.Failf("GET %s: status %d, want 2xx (exchange #%d)", c.target, r.Status, r.Seq)
		}
		for _, s := range c.want {
			if !strings.Contains(r.Text(), s) {
				return scenario.Failf("GET %s: %q is missing (exchange #%d)", c.target, s, r.Seq)
			}
		}
		for _, s := range c.without {
			if strings.Contains(r.Text(), s) {
				return scenario.Failf("GET %s: %q must not be shown (exchange #%d)", c.target, s, r.Seq)
			}
		}
	}
	return nil
}
