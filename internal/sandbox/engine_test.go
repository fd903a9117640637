package sandbox_test

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
)

// buildTestImage compiles testdata/app statically and builds it FROM scratch: no registry needed.
func buildTestImage(t *testing.T, d *sandbox.Docker) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "app")
	cmd := exec.Command("go", "build", "-o", bin, "./testdata/app")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build test app: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	add := func(name string, b []byte, mode int64) {
		tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(b)), Mode: mode})
		tw.Write(b)
	}
	add("Dockerfile", []byte("FROM scratch\nCOPY app /app\nENTRYPOINT [\"/app\"]\n"), 0o644)
	add("app", data, 0o755)
	tw.Close()
	ref := "baxbench-sandbox-test:latest"
	id, err := d.Build(context.Background(), ref, &buf, map[string]string{sandbox.LabelRole: "test"}, false, io.Discard)
	if err != nil {
		t.Fatalf("build image: %v", err)
	}
	return id
}

func TestEngineContainerLifecycle(t *testing.T) {
	d := sandboxtest.Need(t)
	ctx := context.Background()
	r := newTestRun(t, d)
	net := r.network()
	start := func(mem int64) (*sandbox.Container, string) {
		c, addr := r.start(net, mem, 64)
		url := "http://" + addr
		if err := waitHTTP(url + "/"); err != nil {
			t.Fatal(err)
		}
		return c, url
	}

	c, url := start(256 << 20)
	// Files: put, read, stat, and a missing file is fs.ErrNotExist.
	if err := c.Put(ctx, "/tmp/sub/secret.txt", []byte("s3cret")); err != nil {
		t.Fatal(err)
	}
	if b, err := c.Read(ctx, "/tmp/sub/secret.txt"); err != nil || string(b) != "s3cret" {
		t.Fatalf("read back %q, %v", b, err)
	}
	if st, err := c.Stat(ctx, "/tmp/sub/secret.txt"); err != nil || st.Size != 6 {
		t.Fatalf("stat %+v, %v", st, err)
	}
	if _, err := c.Read(ctx, "/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if _, err := c.Stat(ctx, "/nope"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing stat: %v", err)
	}
	// Exec returns exit code and output.
	res, err := c.Exec(ctx, []string{"/app", "echo", "hello"})
	if err != nil || res.Code != 7 || strings.TrimSpace(string(res.Output)) != "hello" {
		t.Fatalf("exec: %+v %v", res, err)
	}
	// Memory in use is measurable while running.
	if m, err := c.MemoryUsage(ctx); err != nil || m <= 0 {
		t.Fatalf("memory %d %v", m, err)
	}
	// A crash is seen as a stopped process with its exit code.
	http.Get(url + "/crash")
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := c.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Running {
			if st.ExitCode != 3 {
				t.Fatalf("exit code %d, want 3", st.ExitCode)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("crash not seen")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := c.MemoryUsage(ctx); err == nil {
		t.Fatal("a stopped container must have no memory usage")
	}

	// Memory limit: allocating past it kills the app (OOM flag, or 137 where the engine does not set it).
	c2, url2 := start(64 << 20)
	http.Get(url2 + "/alloc?mb=200")
	deadline = time.Now().Add(10 * time.Second)
	for {
		st, _ := c2.State(ctx)
		if !st.Running {
			if !st.OOMKilled && st.ExitCode != 137 {
				t.Fatalf("state %+v, want an OOM kill", st)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("app over its memory limit was not killed")
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Cleanup by label removes every container of the run.
	n, err := d.RemoveByLabel(ctx, sandbox.LabelRun, r.id)
	if err != nil || n != 2 {
		t.Fatalf("removed %d, %v", n, err)
	}
	if _, err := c.State(ctx); err == nil {
		t.Fatal("container still there after cleanup")
	}
}

// TestReconcileRemovesOnlyOrphans: what a dead baxbench process left is removed; what a live one (this
// test) owns is kept.
func TestReconcileRemovesOnlyOrphans(t *testing.T) {
	d := sandboxtest.Need(t)
	ctx := context.Background()
	img := buildTestImage(t, d)
	host, _ := os.Hostname()
	dead := host + "/999999/1" // no such process
	mine, orphan := "live-"+uuid.NewString()[:8], "dead-"+uuid.NewString()[:8]
	t.Cleanup(func() {
		d.RemoveByLabel(ctx, sandbox.LabelRun, mine)
		d.RemoveByLabel(ctx, sandbox.LabelRun, orphan)
	})
	for _, c := range []struct {
		run    string
		labels map[string]string
	}{
		{mine, map[string]string{sandbox.LabelRun: mine}},
		{orphan, map[string]string{sandbox.LabelRun: orphan, sandbox.LabelOwner: dead}},
	} {
		if _, err := d.Network(ctx, "baxbench-"+c.run, c.labels, true); err != nil {
			t.Fatal(err)
		}
		ct, err := d.Create(ctx, sandbox.ContainerSpec{Image: img, Name: "baxbench-" + uuid.NewString(), Network: "baxbench-" + c.run, Labels: c.labels, Memory: 64 << 20})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ct.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !sandbox.OwnerAlive(sandbox.Owner()) || sandbox.OwnerAlive(dead) || !sandbox.OwnerAlive("otherhost/1/1") {
		t.Fatal("owner liveness is wrong")
	}
	o, err := d.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(o.Runs, orphan) || slices.Contains(o.Runs, mine) || o.Containers < 1 || o.Networks < 1 {
		t.Fatalf("reconcile removed %+v", o)
	}
	if n, _ := d.RemoveByLabel(ctx, sandbox.LabelRun, orphan); n != 0 {
		t.Fatalf("%d orphaned containers still there", n)
	}
	if n, _ := d.RemoveByLabel(ctx, sandbox.LabelRun, mine); n != 1 {
		t.Fatalf("the live run's container was removed (%d left)", n)
	}
}

// appCapEff is CapEff for exactly sandbox.AppCapabilities: CHOWN (0), DAC_OVERRIDE (1), FOWNER (3),
// KILL (5), SETGID (6), SETUID (7). Written out, not computed, so a change to the set must change it.
const appCapEff = 1<<0 | 1<<1 | 1<<3 | 1<<5 | 1<<6 | 1<<7

// statusField returns a field of a /proc/<pid>/status text.
func statusField(t *testing.T, status, key string) string {
	t.Helper()
	for line := range strings.Lines(status) {
		if k, v, ok := strings.Cut(line, ":"); ok && k == key {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("no %s in status:\n%s", key, status)
	return ""
}

// startApp starts the test image as an app container with the given process limit and returns it
// with its URL once it answers.
func startApp(t *testing.T, d *sandbox.Docker, pids int64) (*sandbox.Container, string) {
	t.Helper()
	r := newTestRun(t, d)
	c, addr := r.start(r.network(), 256<<20, pids)
	url := "http://" + addr
	if err := waitHTTP(url + "/"); err != nil {
		t.Fatal(err)
	}
	return c, url
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEngineAppPrivileges: the app process and what the harness execs beside it hold exactly
// sandbox.AppCapabilities (no NET_RAW: a raw socket cannot be opened) and run with no-new-privileges.
func TestEngineAppPrivileges(t *testing.T) {
	d := sandboxtest.Need(t)
	c, url := startApp(t, d, 64)
	if got := get(t, url+"/rawsock"); !strings.HasPrefix(got, "denied:") {
		t.Errorf("the app opened a raw socket: %s", got)
	}
	res, err := c.Exec(context.Background(), []string{"/app", "status"})
	if err != nil || res.Code != 0 {
		t.Fatalf("exec status: %+v %v", res, err)
	}
	for who, status := range map[string]string{"app": get(t, url+"/status"), "exec": string(res.Output)} {
		for _, key := range []string{"CapEff", "CapPrm", "CapBnd"} {
			v, err := strconv.ParseUint(statusField(t, status, key), 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			if v != appCapEff {
				t.Errorf("%s: %s %#x, want %#x (%v)", who, key, v, appCapEff, sandbox.AppCapabilities)
			}
			if v&(1<<13) != 0 {
				t.Errorf("%s: %s has NET_RAW", who, key)
			}
		}
		if v := statusField(t, status, "NoNewPrivs"); v != "1" {
			t.Errorf("%s: NoNewPrivs %s, want 1", who, v)
		}
	}
}

// TestEngineForkBomb: a process that starts copies of itself until it cannot stays within its
// container's PidsLimit (threads count too). It tries four times the limit, so without a limit it
// would run past it and fail the test.
func TestEngineForkBomb(t *testing.T) {
	d := sandboxtest.Need(t)
	const limit = 64
	_, url := startApp(t, d, limit)
	got := strings.Fields(get(t, url+"/bomb?max="+strconv.Itoa(4*limit)))
	t.Logf("bomb: %v", got)
	if len(got) != 6 || got[0] != "started" || got[2] != "pids" {
		t.Fatalf("bomb answered %v", got)
	}
	started, _ := strconv.Atoi(got[1])
	if started >= 4*limit || got[5] == "none" {
		t.Fatalf("the bomb started all %d processes: no limit stopped it", started)
	}
	if started >= limit {
		t.Errorf("started %d processes, over the limit %d", started, limit)
	}
	if pids, err := strconv.Atoi(got[3]); err == nil && pids > limit {
		t.Errorf("%d pids in the container, over the limit %d", pids, limit)
	}
}

// ImagesSize counts each layer once: an image with a 6 MiB layer of its own adds about 6 MiB, and
// removing it frees that again (what `baxbench clean` reports as freed).
func TestImagesSizeCountsLayersOnce(t *testing.T) {
	d := sandboxtest.Need(t)
	ctx := context.Background()
	// Other builds on a shared engine change the total meanwhile: an attempt counts only when both
	// differences are right, and a few attempts are allowed.
	var last string
	for range 5 {
		grew, freed, err := imageSizeDelta(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if grew >= 6<<20 && grew < 16<<20 && freed >= 6<<20 && freed < 16<<20 {
			return
		}
		last = fmt.Sprintf("adding a 6 MiB layer changed the images' size by %d bytes, removing it by %d", grew, freed)
	}
	t.Error(last)
}

// imageSizeDelta builds an image with a 6 MiB layer of its own, removes it, and returns how much the
// engine's image size grew and then shrank.
func imageSizeDelta(ctx context.Context, d *sandbox.Docker) (grew, freed int64, err error) {
	blob := make([]byte, 6<<20)
	rand.Read(blob) // incompressible, and unique to this image
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, b := range map[string][]byte{"Dockerfile": []byte("FROM scratch\nCOPY blob /blob\n"), "blob": blob} {
		tw.WriteHeader(&tar.Header{Name: name, Size: int64(len(b)), Mode: 0o644})
		tw.Write(b)
	}
	tw.Close()
	before, err := d.ImagesSize(ctx)
	if err != nil {
		return 0, 0, err
	}
	id, err := d.Build(ctx, "baxbench-size-test:"+uuid.NewString()[:8], &buf, map[string]string{sandbox.LabelRole: "test"}, false, io.Discard)
	if err != nil {
		return 0, 0, err
	}
	with, err := d.ImagesSize(ctx)
	if err != nil {
		return 0, 0, err
	}
	if err := d.RemoveImage(ctx, id); err != nil {
		return 0, 0, err
	}
	after, err := d.ImagesSize(ctx)
	return with - before, with - after, err
}
