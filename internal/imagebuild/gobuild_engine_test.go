package imagebuild

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/sandbox/sandboxtest"
)

func engineBuilder(tb testing.TB) (*Builder, *sandbox.Docker) {
	d := sandboxtest.Need(tb)
	return &Builder{Engine: d, HostCA: ReadHostCA(), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d
}

// sleeper is a Go sample that compiles to a program that only waits; nonce makes each one a new image.
func sleeper(nonce string) map[string][]byte {
	return map[string][]byte{"main.go": []byte("package main\n\nimport \"time\"\n\n// " + nonce + "\nfunc main() { time.Sleep(time.Hour) }\n")}
}

// A Go sample build only reads the dependency layer's build cache: the entries it uses are not
// re-dated (which would copy each of them up into the sample's layer), so the cache files of the
// sample image dated before 2099 are only those the sample's own compilation added (66 of 1,349 measured).
func TestGoSampleBuildLeavesTheCacheUntouched(t *testing.T) {
	b, d := engineBuilder(t)
	ctx := context.Background()
	e, _ := env.Lookup("Go-net/http")
	res, err := b.Sample(ctx, e, sleeper(uuid.NewString()), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.RemoveImage(context.WithoutCancel(ctx), res.Ref)
	run := "cachetest-" + uuid.NewString()[:8]
	labels := map[string]string{sandbox.LabelRun: run}
	defer d.RemoveByLabel(context.WithoutCancel(ctx), sandbox.LabelRun, run)
	if _, err := d.Network(ctx, "baxbench-"+run, labels, true); err != nil {
		t.Fatal(err)
	}
	c, err := d.Create(ctx, sandbox.ContainerSpec{Image: res.Ref, Name: "baxbench-" + run, Network: "baxbench-" + run, Labels: labels, Memory: 256 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := c.Exec(ctx, []string{"sh", "-c", `find "$(go env GOCACHE)" -type f ! -newermt 2099-01-01 | wc -l; find "$(go env GOCACHE)" -type f | wc -l`})
	if err != nil || out.Code != 0 {
		t.Fatalf("count cache files: %v %d %s", err, out.Code, out.Output)
	}
	f := strings.Fields(string(out.Output))
	if len(f) != 2 {
		t.Fatalf("unexpected output %q", out.Output)
	}
	recent, _ := strconv.Atoi(f[0])
	total, _ := strconv.Atoi(f[1])
	if total < 500 || recent > 200 {
		t.Errorf("%d of %d build cache files were written or re-dated by the sample build, want at most 200 of a warm cache (re-dating copies up about 1,300)", recent, total)
	}
}

// BenchmarkGoSampleBuild: one Go-net/http sample image on a warm dependency layer (a new program each
// iteration, so nothing comes from the engine's cache).
func BenchmarkGoSampleBuild(b *testing.B) {
	bld, d := engineBuilder(b)
	ctx := context.Background()
	e, _ := env.Lookup("Go-net/http")
	if _, err := bld.EnsureDeps(ctx, e, nil); err != nil {
		b.Fatal(err)
	}
	var refs []string
	defer func() {
		for _, r := range refs {
			d.RemoveImage(context.WithoutCancel(ctx), r)
		}
	}()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		res, err := bld.Sample(ctx, e, sleeper(fmt.Sprintf("%s-%d-%d", uuid.NewString(), i, time.Now().UnixNano())), nil)
		if err != nil {
			b.Fatal(err)
		}
		refs = append(refs, res.Ref)
	}
}
