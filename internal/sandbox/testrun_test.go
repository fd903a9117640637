package sandbox_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
)

// testRun is one engine test's run: the test image, and a run label whose containers and networks
// are removed when the test ends.
type testRun struct {
	t       *testing.T
	d       *sandbox.Docker
	img, id string
	publish bool // apps are reached through ports published on 127.0.0.1
	nets    int
}

func newTestRun(t *testing.T, d *sandbox.Docker) *testRun {
	t.Helper()
	r := &testRun{t: t, d: d, img: buildTestImage(t, d), id: "test-" + uuid.NewString()[:8], publish: sandboxtest.Publish(t, d)}
	t.Cleanup(func() { d.RemoveByLabel(context.Background(), sandbox.LabelRun, r.id) })
	return r
}

// network creates a network of the run: internal (no route out) unless apps are reached through
// published ports.
func (r *testRun) network() string {
	r.t.Helper()
	name := "baxbench-" + r.id + "-" + strconv.Itoa(r.nets)
	r.nets++
	if _, err := r.d.Network(context.Background(), name, map[string]string{sandbox.LabelRun: r.id}, !r.publish); err != nil {
		r.t.Fatal(err)
	}
	return name
}

// start creates and starts an app container of the test image on net and returns it with the
// host:port its port 5000 is reached at.
func (r *testRun) start(net string, mem, pids int64) (*sandbox.Container, string) {
	r.t.Helper()
	ctx := context.Background()
	c, err := r.d.Create(ctx, sandbox.ContainerSpec{Image: r.img, Name: "baxbench-" + uuid.NewString(), Network: net, Publish: r.publish,
		Labels: map[string]string{sandbox.LabelRun: r.id}, Memory: mem, NanoCPUs: 1e9, PidsLimit: pids})
	if err != nil {
		r.t.Fatal(err)
	}
	addr, err := c.Start(ctx)
	if err != nil || addr == "" {
		r.t.Fatalf("start app: address %q, %v", addr, err)
	}
	return c, addr
}

// waitHTTP waits up to 10 s for url to answer.
func waitHTTP(url string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s never answered: %w", url, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
