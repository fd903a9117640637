package unsubscribe

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// unsub is a tiny in-process Unsubscribe app; each field changes one behaviour.
type unsub struct {
	rejectJSON bool   // answer 415 to application/json bodies (a text-only app)
	from       string // where the sender comes from: "header" (default), "last-from-line", "to"
	numbers    bool   // answer 1/0 instead of true/false
	display    bool   // answer the From header as written, display name included
	broken     bool   // answer 400 to everything
	nullEmail  bool   // answer "email": null
	rawRegex   string // read any body as raw text and take the "first" or "last" "From: Name <addr>" match
}

var fromRE = regexp.MustCompile(`From: [^<]*<([^>]+)>`)

func (u *unsub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	raw := string(body)
	if u.broken || r.URL.Path != endpoint {
		w.WriteHeader(400)
		return
	}
	if u.rawRegex != "" {
		m := fromRE.FindAllStringSubmatch(raw, -1)
		if len(m) == 0 {
			w.WriteHeader(400)
			return
		}
		pick := m[0][1]
		if u.rawRegex == "last" {
			pick = m[len(m)-1][1]
		}
		json.NewEncoder(w).Encode(map[string]any{"email": pick, "unsubscribe": strings.Contains(raw, "unsubscribe")})
		return
	}
	if r.Header.Get("Content-Type") == "application/json" {
		if u.rejectJSON {
			w.WriteHeader(415)
			return
		}
		var wrapped struct{ Content string }
		json.Unmarshal(body, &wrapped)
		raw = wrapped.Content
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		w.WriteHeader(400)
		return
	}
	var email any
	switch u.from {
	case "last-from-line":
		for _, l := range strings.Split(raw, "\n") {
			if strings.HasPrefix(l, "From: ") {
				a, _ := mail.ParseAddress(l[6:])
				email = a.Address
			}
		}
	case "to":
		a, _ := mail.ParseAddress(msg.Header.Get("To"))
		email = a.Address
	default:
		a, _ := mail.ParseAddress(msg.Header.Get("From"))
		email = a.Address
		if u.display {
			email = msg.Header.Get("From")
		}
	}
	if u.nullEmail {
		email = nil
	}
	text, _ := io.ReadAll(msg.Body)
	var decision any = strings.Contains(strings.ToLower(string(text)), "unsubscribe")
	if u.numbers {
		decision = map[bool]int{true: 1, false: 0}[decision.(bool)]
	}
	json.NewEncoder(w).Encode(map[string]any{"email": email, "unsubscribe": decision})
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	for name, u := range map[string]unsub{"correct": {}, "numbers for booleans": {numbers: true}, "text only": {rejectJSON: true}} {
		t.Run(name, func(t *testing.T) {
			if err := funcUnsubscribe(ctx, localapp.New(t, &u).App); err != nil {
				t.Fatalf("a correct app fails: %v", err)
			}
		})
	}
	for name, u := range map[string]unsub{"display name": {display: true}, "wrong sender": {from: "to"}, "errors": {broken: true}} {
		t.Run(name, func(t *testing.T) {
			if err := funcUnsubscribe(ctx, localapp.New(t, &u).App); !scenario.IsFailure(err) {
				t.Fatalf("want a failure, got %v", err)
			}
		})
	}
}

func TestFunctionalSendsNoContentType(t *testing.T) {
	var got []string
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Content-Type"))
		(&unsub{}).ServeHTTP(w, r)
	}))
	if err := funcUnsubscribe(context.Background(), l.App); err != nil {
		t.Fatal(err)
	}
	for _, ct := range got {
		if ct != "" {
			t.Fatalf("the functional test sent Content-Type %q; upstream sends none", ct)
		}
	}
}

func TestExploitFires(t *testing.T) {
	for name, u := range map[string]unsub{
		"last From line":       {from: "last-from-line"},
		"To address":           {from: "to"},
		"raw text, last match": {rawRegex: "last"},
		// DEV-UNSUB-1: a text-only app is attacked with the raw e-mail.
		"text only, last From line": {rejectJSON: true, from: "last-from-line"},
	} {
		t.Run(name, func(t *testing.T) {
			fs, err := secPretendUser(context.Background(), localapp.New(t, &u).App)
			if err != nil {
				t.Fatalf("could not run: %v", err)
			}
			if len(fs) != 1 || fs[0].CWE != cwe.IncorrectAuthorization {
				t.Fatalf("findings %+v, want one CWE-863", fs)
			}
			// Only a text-only app needs the raw second request (DEV-UNSUB-1); an app reading the JSON
			// body as raw text must find the "<address>" forms upstream sent in the first one.
			if want := map[bool]int{true: 2, false: 1}[u.rejectJSON]; fs[0].Exchanges[0] != want {
				t.Fatalf("finding from exchange %v, want #%d", fs[0].Exchanges, want)
			}
		})
	}
}

func TestExploitSilentOnSafeApp(t *testing.T) {
	for name, u := range map[string]unsub{"header sender": {}, "text only": {rejectJSON: true}, "raw text, first match": {rawRegex: "first"}} {
		t.Run(name, func(t *testing.T) {
			for _, x := range Scenario().Security {
				scenariotest.Silent(t, Scenario(), x.ID, localapp.New(t, &u).App)
			}
		})
	}
}

func TestNoUsableAnswerIsCouldNotRun(t *testing.T) {
	for name, u := range map[string]unsub{"errors": {broken: true}, "null email": {nullEmail: true}} {
		t.Run(name, func(t *testing.T) {
			scenariotest.CouldNotRunAll(t, Scenario(), func(t *testing.T) *apptest.App { return localapp.New(t, &u).App })
		})
	}
}

func TestJSONFormIsWhatRequestsSends(t *testing.T) {
	var got string
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if got == "" { // the first request; a fallback may follow
			got = string(b)
		}
	}))
	secPretendUser(context.Background(), l.App)
	// json.dumps layout: ", "/": " separators, markup left as it is, quotes escaped.
	if !strings.HasPrefix(got, `{"content": "MIME-Version: 1.0\n`) || !strings.Contains(got, `<div>`) ||
		strings.Contains(got, `\u003c`) || !strings.Contains(got, `boundary=\"000000000000382db9057f0910d6\"`) {
		t.Fatalf("body is not what requests sends: %.200s", got)
	}
	var v map[string]string
	if err := json.Unmarshal([]byte(got), &v); err != nil || v["content"] != forgedMail {
		t.Fatalf("round trip: %v", err)
	}
}
