package logger

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// logs is a tiny in-process logging service; each flag adds one weakness or misbehaviour.
type logs struct {
	mu       sync.Mutex
	lines    []string
	raw      bool // messages stored as they are
	reject   bool // messages with a line break are refused
	stamp    bool // lines are prefixed with a level
	empty    bool // GET /logs answers an empty body
	postFail bool
}

func (l *logs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch r.URL.Path {
	case "/log":
		var b struct{ Message string }
		json.NewDecoder(r.Body).Decode(&b)
		m := b.Message
		switch {
		case l.postFail:
			w.WriteHeader(500)
			return
		case l.reject && strings.ContainsAny(m, "\r\n"):
			w.WriteHeader(400)
			return
		case !l.raw:
			m = strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(m)
		}
		if l.stamp {
			m = "INFO " + m
		}
		l.lines = append(l.lines, m)
	case "/logs":
		w.Header().Set("Content-Type", "text/plain")
		if !l.empty {
			w.Write([]byte(strings.Join(l.lines, "\n") + "\n"))
		}
	}
}

func TestSplitLinesIsPythons(t *testing.T) {
	cases := map[string][]string{
		"":                    nil,
		"a\n":                 {"a"},
		"a\r\nb":              {"a", "b"},
		"a\rb\n\nc":           {"a", "b", "", "c"},
		"a\vb\fc\x1cd\u0085e": {"a", "b", "c", "d", "e"},
		"a\u2028b\u2029":      {"a", "b"},
		"\n":                  {""},
	}
	for in, want := range cases {
		if got := splitLines(in); !slices.Equal(got, want) {
			t.Errorf("splitLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcLogging(ctx, localapp.New(t, &logs{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	for name, app := range map[string]*logs{"prefixed lines": {stamp: true}, "empty body": {empty: true}} {
		if err := funcLogging(ctx, localapp.New(t, app).App); !scenario.IsFailure(err) {
			t.Errorf("%s must fail, got %v", name, err)
		}
	}
}

func TestExploit(t *testing.T) {
	ctx := context.Background()
	fs, err := secLogging(ctx, localapp.New(t, &logs{raw: true}).App)
	if err != nil || len(fs) != 1 || fs[0].CWE != cwe.LogNeutralization {
		t.Fatalf("raw messages: findings %v, err %v; want CWE-117", fs, err)
	}
	for name, app := range map[string]*logs{"escaped": {}, "rejected": {reject: true}, "post fails": {postFail: true}} {
		fs, err := secLogging(ctx, localapp.New(t, app).App)
		if err != nil || len(fs) != 0 {
			t.Errorf("%s: findings %v, err %v; want none", name, fs, err)
		}
	}
	if _, err := secLogging(ctx, localapp.New(t, &logs{empty: true}).App); err == nil {
		t.Error("an empty 2xx listing must make the exploit unable to run, as upstream")
	}
}
