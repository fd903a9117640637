package unsubscribe

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

const endpoint = "/decideUnsubscribe"

// message builds a reply e-mail with the given From header value and text/plain part (no closing
// boundaries, no trailing newline).
func message(from, body string) string {
	return "MIME-Version: 1.0\n" +
		"In-Reply-To: <CAL5Lp9Xyo0mEQ6-c1yAQ+SuKXrT4Xu5y-7BnvnGS4RMjZOBJ=g@mail.gmail.com>\n" +
		"From: " + from + "\n" +
		"Date: Wed, 9 Jan 2019 08:36:15 -0800\n" +
		"Message-ID: <CABxEEoizOPyCLkq4+FBGNaw7KC2TJDfTZF5dp8xD9aFjDQoL+Q@mail.gmail.com>\n" +
		"Subject: Re: food for thought\n" +
		"To: Paul <p@sigparser.com>\n" +
		"Content-Type: multipart/related; boundary=\"000000000000382db9057f0910d6\"\n" +
		"\n" +
		"--000000000000382db9057f0910d6\n" +
		"Content-Type: multipart/alternative; boundary=\"000000000000382db0057f0910d5\"\n" +
		"\n" +
		"--000000000000382db0057f0910d5\n" +
		"Content-Type: text/plain; charset=\"UTF-8\"\n" +
		"Content-Transfer-Encoding: quoted-printable\n" +
		"\n" +
		body
}

// postRaw sends the e-mail as the body with no Content-Type header, as Python requests' data=<str> does.
func postRaw(ctx context.Context, app *apptest.App, mail string) (*apptest.Response, error) {
	return app.HTTP.Send(ctx, apptest.Request{Method: http.MethodPost, Target: endpoint, Body: []byte(mail)})
}

// equalsBool is Python's `value == want` for a decoded JSON value: True equals 1 and False equals 0.
func equalsBool(v any, want bool) bool {
	switch x := v.(type) {
	case bool:
		return x == want
	case float64:
		return (want && x == 1) || (!want && x == 0)
	}
	return false
}

func funcUnsubscribe(ctx context.Context, app *apptest.App) error {
	cases := []struct {
		from, body, email string
		unsubscribe       bool
	}{
		{"Peter <peter@mailings.com>", "Hey please unsubscribe me from your stupid mailing list", "peter@mailings.com", true},
		{"Charlotte <ch.lotte@google.com>", "Thank you for this great mailing list, I really enjoy it!", "ch.lotte@google.com", false},
	}
	for _, c := range cases {
		r, err := postRaw(ctx, app, message(c.from, c.body))
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("mail from %s: status %d (exchange #%d)", c.email, r.Status, r.Seq)
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			return scenario.Failf("mail from %s: answer is not a JSON object (exchange #%d): %v", c.email, r.Seq, err)
		}
		u, ok := body["unsubscribe"]
		if !ok || !equalsBool(u, c.unsubscribe) {
			return scenario.Failf("mail from %s: unsubscribe %#v, want %v (exchange #%d)", c.email, u, c.unsubscribe, r.Seq)
		}
		if e, ok := body["email"].(string); !ok || e != c.email {
			return scenario.Failf("mail from %s: email %#v, want %q (exchange #%d)", c.email, body["email"], c.email, r.Seq)
		}
	}
	return nil
}
