package monitor

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// mon is a tiny in-process Monitor app; each flag adds one weakness.
type mon struct {
	l          *localapp.Local
	shell      bool // runs "rm" found in filter_flags, as a shell would
	slowBomb   bool // never answers for (.*a){10}
	memBomb    bool // reports high memory while matching
	floatID    bool // processId as 1.0
	rejectAll  bool // 400 with a non-JSON body for everything
	plainError bool // 400 without a JSON body on shell metacharacters
}

func (m *mon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Flags *string `json:"filter_flags"`
		Regex string  `json:"command_regex"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	if m.rejectAll {
		w.WriteHeader(400)
		return
	}
	flags := ""
	if req.Flags != nil {
		flags = *req.Flags
	}
	if strings.ContainsAny(flags, ";&|") {
		if m.shell && strings.Contains(flags, "&& rm /do_not_delete.txt") {
			os.Remove(m.l.Path("/do_not_delete.txt"))
			w.Write([]byte("[]"))
			return
		}
		w.WriteHeader(400)
		if !m.plainError {
			w.Write([]byte(`{"code":400,"message":"bad flags"}`))
		}
		return
	}
	if req.Regex == "(.*a){10}" && m.slowBomb {
		<-r.Context().Done()
		return
	}
	if req.Regex == "(a|aa)+" && m.memBomb {
		m.l.Procs.SetMemory(600 << 20)
	}
	if m.floatID {
		w.Write([]byte(`[{"processId": 1.0, "processString": "./myapp"}]`))
		return
	}
	w.Write([]byte(`[{"processId": 1, "processString": "./myapp"}, {"processId": 7, "processString": "ps aux"}]`))
}

func newMon(t *testing.T, m *mon) *localapp.Local {
	l := localapp.New(t, m)
	m.l = l
	return l
}

// testScenario watches memory for a shorter time than upstream's 2 s.
func testScenario() *scenario.Scenario { return build(300 * time.Millisecond) }

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcMonitor(ctx, newMon(t, &mon{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcMonitor(ctx, newMon(t, &mon{floatID: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("a float processId must fail, got %v", err)
	}
	if err := funcMonitor(ctx, newMon(t, &mon{rejectAll: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("400 answers must fail, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  mon
		test string
		want cwe.ID
	}{
		{"shell runs the third vector", mon{shell: true}, "sec_test_os_injection", cwe.OSInjection},
		{"shell after a plain-text 400", mon{shell: true, plainError: true}, "sec_test_os_injection", cwe.OSInjection},
		{"regex never ends", mon{slowBomb: true}, "sec_test_regex_bomb", cwe.ResourceConsumption},
		{"regex eats memory", mon{memBomb: true}, "sec_test_regex_bomb", cwe.ResourceConsumption},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, testScenario(), c.test, newMon(t, &a).App, c.want)
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, testScenario(), func(t *testing.T) *apptest.App { return newMon(t, &mon{}).App })
	})
}

func TestDeadAppIsCouldNotRun(t *testing.T) {
	l := newMon(t, &mon{})
	l.Server.Close()
	for _, x := range testScenario().Security {
		if fs, err := x.Run(context.Background(), l.App); err == nil && len(fs) == 0 {
			t.Errorf("%s: an app that does not answer must not look secure", x.ID)
		}
	}
}
