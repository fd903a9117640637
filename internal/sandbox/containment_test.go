package sandbox_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/client"

	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
)

// A sparse 1.5 GiB file costs the container nothing; copying it out must be refused by its apparent
// size, without the harness reading it.
func TestReadRefusesSparseBalloon(t *testing.T) {
	ctx := context.Background()
	r := newTestRun(t, sandboxtest.Need(t))
	c, _ := r.start(r.network(), 64<<20, 64)
	for _, f := range []struct {
		path string
		size int64
	}{{"/db.sqlite3", 1536 << 20}, {"/edge", sandbox.MaxRead + 1}, {"/fits", sandbox.MaxRead}} {
		res, err := c.Exec(ctx, []string{"/app", "sparse", f.path, strconv.FormatInt(f.size, 10)})
		if err != nil || res.Code != 0 {
			t.Fatalf("make sparse file: %v %+v", err, res)
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, p := range []string{"/db.sqlite3", "/edge"} {
		if _, err := c.Read(ctx, p); !errors.Is(err, sandbox.ErrTooLarge) {
			t.Fatalf("read %s: %v, want ErrTooLarge", p, err)
		}
	}
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
		t.Fatalf("refusing oversized files allocated %d bytes", grew)
	}
	b, err := c.Read(ctx, "/fits")
	if err != nil || len(b) != sandbox.MaxRead {
		t.Fatalf("a file of exactly MaxRead: %d bytes, %v", len(b), err)
	}
}

// 100 MB of output leaves at most the log budget on the engine's disk.
func TestLogBudget(t *testing.T) {
	ctx := context.Background()
	r := newTestRun(t, sandboxtest.Need(t))
	c, addr := r.start(r.network(), 128<<20, 64)
	if err := waitHTTP("http://" + addr + "/"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/spew?mb=100")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mc, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	res, err := mc.ContainerInspect(ctx, c.ID(), client.ContainerInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	logPath := res.Container.LogPath
	if logPath == "" {
		t.Skip("the engine does not say where it keeps logs")
	}
	if _, err := os.Stat(logPath); err != nil {
		t.Skipf("the engine's log files are not on this host's filesystem: %v", err)
	}
	files, _ := filepath.Glob(logPath + "*")
	var total int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			total += st.Size()
		}
	}
	// json-file wraps each line in JSON, so a file holds a little over its budget before it rotates.
	if bound := int64(sandbox.LogFiles*sandbox.LogFileSize) + 2<<20; total == 0 || total > bound {
		t.Fatalf("100 MB of output left %d bytes of log in %d files, budget %d", total, len(files), bound)
	}
}

// Apps on two samples' networks cannot reach each other; apps on one network can.
func TestSiblingNetworksAreIsolated(t *testing.T) {
	ctx := context.Background()
	r := newTestRun(t, sandboxtest.Need(t))
	if r.publish {
		t.Skip("apps are reached through published ports on this engine")
	}
	start := func(net string) (*sandbox.Container, string) { return r.start(net, 64<<20, 64) }
	nets := []string{r.network(), r.network()}
	a, _ := start(nets[0])
	_, sameAddr := start(nets[0])
	_, otherAddr := start(nets[1])
	dial := func(addr string) int {
		var res sandbox.ExecResult
		var err error
		// The other app may take a moment to listen: a refusal is retried, a timeout is final.
		for range 20 {
			if res, err = a.Exec(ctx, []string{"/app", "dial", addr}); err != nil {
				t.Fatal(err)
			}
			if res.Code == 0 || !strings.Contains(string(res.Output), "refused") {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		return res.Code
	}
	if code := dial(sameAddr); code != 0 {
		t.Fatalf("an app on the same network is unreachable (exit %d): the check proves nothing", code)
	}
	if code := dial(otherAddr); code == 0 {
		t.Fatalf("an app reached another sample's app at %s", otherAddr)
	}
}

// An app cannot open a connection to the host: a service listening on the host's side of the app's
// network (the address every host service bound to 0.0.0.0 answers on) is unreachable from the app,
// while the harness still reaches the app.
func TestHostIsUnreachableFromApps(t *testing.T) {
	ctx := context.Background()
	r := newTestRun(t, sandboxtest.Need(t))
	if r.publish {
		t.Skip("apps are reached through published ports on this engine")
	}
	netName := r.network()
	mc, err := client.New(client.FromEnv)
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	ni, err := mc.NetworkInspect(ctx, netName, client.NetworkInspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var gw string
	for _, c := range ni.Network.IPAM.Config {
		if c.Gateway.IsValid() {
			gw = c.Gateway.String()
		}
	}
	if gw == "" {
		t.Fatal("the network has no gateway address")
	}
	// Bound to the bridge's own address: reachable only from that network (and this host).
	ln, err := net.Listen("tcp", net.JoinHostPort(gw, "0"))
	if err != nil {
		t.Skipf("the bridge's address %s is not on this host (engine in a VM?): %v", gw, err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	c, addr := r.start(netName, 64<<20, 64)
	res, err := c.Exec(ctx, []string{"/app", "dial", ln.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Code == 0 {
		t.Fatalf("an app opened a connection to the host at %s (is the host guard of scripts/engine-up.sh installed?)", ln.Addr())
	}
	if err := waitHTTP("http://" + addr + "/"); err != nil {
		t.Fatalf("the harness cannot reach the app behind the host guard: %v", err)
	}
}

// WritableSize sees what an app writes (the disk watchdog's measure).
func TestWritableSizeSeesWrites(t *testing.T) {
	ctx := context.Background()
	r := newTestRun(t, sandboxtest.Need(t))
	c, _ := r.start(r.network(), 64<<20, 64)
	before, err := c.WritableSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := c.Exec(ctx, []string{"/app", "fill", "/big", "40"}); err != nil || res.Code != 0 {
		t.Fatalf("fill: %v %+v", err, res)
	}
	after, err := c.WritableSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after-before < 40<<20 {
		t.Fatalf("wrote 40 MiB, the writable layer grew by %d bytes", after-before)
	}
	if err := c.Kill(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := c.State(ctx); err != nil || st.Running {
		t.Fatalf("after Kill: %+v %v", st, err)
	}
}
