package execute_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/execute/executetest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Each sample's containers share a network of their own, which is gone when its tests end.
func TestEachSampleHasItsOwnNetwork(t *testing.T) {
	e := &executetest.Engine{NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine"), "/vuln": ok("no")})}
	r := runner(e)
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.RunSample(context.Background(), sample(toy()))
		}()
	}
	wg.Wait()
	nets := e.Networks()
	if len(nets) != 3 {
		t.Fatalf("3 samples made %d networks: %v", len(nets), nets)
	}
	for name, there := range nets {
		if there {
			t.Errorf("network %s left behind", name)
		}
		if !strings.HasPrefix(name, "baxbench-run1-") {
			t.Errorf("network %s does not carry the run", name)
		}
	}
	perNet := map[string]int{}
	for _, c := range e.Containers() {
		if _, ok := nets[c.Spec.Network]; !ok {
			t.Fatalf("container on network %q, not one of the samples'", c.Spec.Network)
		}
		perNet[c.Spec.Network]++
	}
	for name, n := range perNet {
		if n != 2 { // the toy scenario has two tests
			t.Errorf("network %s holds %d containers, want the 2 of one sample", name, n)
		}
	}
	assertAllRemoved(t, e)
}

func TestNetworkFailureIsEngineFailure(t *testing.T) {
	e := &executetest.Engine{NetworkErr: errors.New("address pools exhausted"),
		NewApp: mux(map[string]func(*executetest.Container, http.ResponseWriter){"/ok": ok("fine")})}
	rep := runner(e).RunSample(context.Background(), sample(toy()))
	if len(rep.Results) != 2 || len(e.Containers()) != 0 {
		t.Fatalf("results %+v, %d containers", rep.Results, len(e.Containers()))
	}
	for i, res := range rep.Results {
		if res.Outcome != scenario.Error || !strings.Contains(res.Reason, "address pools exhausted") || rep.Evidence[i].Test != res.Test {
			t.Fatalf("%+v (evidence %q)", res, rep.Evidence[i].Test)
		}
	}
}
