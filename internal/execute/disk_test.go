package execute_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/execute/executetest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// An app that writes past its disk budget is stopped by the watchdog; both tests record why.
func TestDiskBudgetStopsTheApp(t *testing.T) {
	fill := func(c *executetest.Container, w http.ResponseWriter) {
		c.Write(2 << 20)
		time.Sleep(time.Second) // the watchdog kills the app meanwhile
		w.Write([]byte("fine"))
	}
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": fill, "/vuln": fill})}
	r := runner(e)
	r.DiskLimit, r.DiskPoll = 1<<20, 10*time.Millisecond
	rep := r.RunSample(context.Background(), sample(toy()))
	got := byTest(rep)
	f := got["func_ok"]
	if f.Outcome != scenario.Fail || !f.Crashed || !strings.Contains(f.Reason, "exceeded its disk budget") {
		t.Fatalf("functional: %+v", f)
	}
	s := got["sec_sqli"]
	if s.Outcome != scenario.Fail || len(s.CWEs) != 1 || s.CWEs[0] != cwe.ExceptionalConditions ||
		len(s.Findings) != 1 || !strings.Contains(s.Findings[0].Detail, "disk budget") {
		t.Fatalf("security: %+v", s)
	}
	assertAllRemoved(t, e)
}

// Under its budget nothing is stopped.
func TestDiskUnderBudgetIsLeftAlone(t *testing.T) {
	write := func(c *executetest.Container, w http.ResponseWriter) {
		c.Write(1 << 20)
		time.Sleep(100 * time.Millisecond)
		w.Write([]byte("fine"))
	}
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": write, "/vuln": write})}
	r := runner(e)
	r.DiskLimit, r.DiskPoll = 2<<20, 10*time.Millisecond
	for _, res := range r.RunSample(context.Background(), sample(toy())).Results {
		if res.Outcome != scenario.Pass || res.Crashed {
			t.Fatalf("%+v", res)
		}
	}
}
