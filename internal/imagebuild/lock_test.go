package imagebuild

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
)

// slowEngine is a fakeEngine whose builds take a while, so that concurrent builders overlap.
type slowEngine struct{ *fakeEngine }

func (s slowEngine) Build(ctx context.Context, ref string, r io.Reader, l map[string]string, nc bool, w io.Writer) (string, error) {
	time.Sleep(300 * time.Millisecond)
	return s.fakeEngine.Build(ctx, ref, r, l, nc, w)
}

// Two builders with their own in-process state, as two baxbench processes on one engine have, build a
// shared dependency layer once: one builds, the other waits and reuses it.
func TestBuildersInTwoProcessesBuildASharedLayerOnce(t *testing.T) {
	f := &fakeEngine{images: map[string]string{BaseRef: "sha256:base"}}
	dir := t.TempDir()
	e, _ := env.Lookup("Go-net/http")
	var wg sync.WaitGroup
	refs := make([]string, 2)
	for i := range 2 {
		b := &Builder{Engine: slowEngine{f}, HostCA: []byte("ca"), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), LockDir: dir}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ref, err := b.EnsureDeps(context.Background(), e, nil)
			if err != nil {
				t.Error(err)
			}
			refs[i] = ref
		}()
	}
	wg.Wait()
	if len(f.builds) != 1 || refs[0] != refs[1] {
		t.Fatalf("two processes made %d builds (%v), refs %v", len(f.builds), f.builds, refs)
	}
}

// Without a lock directory each builder builds for itself (what the lock prevents).
func TestWithoutLockDirBuildersRace(t *testing.T) {
	f := &fakeEngine{images: map[string]string{BaseRef: "sha256:base"}}
	e, _ := env.Lookup("Go-net/http")
	var wg sync.WaitGroup
	for range 2 {
		b := &Builder{Engine: slowEngine{f}, HostCA: []byte("ca"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		wg.Add(1)
		go func() {
			defer wg.Done()
			b.EnsureDeps(context.Background(), e, nil)
		}()
	}
	wg.Wait()
	if len(f.builds) != 2 {
		t.Fatalf("unlocked builders made %d builds; the locked test proves nothing", len(f.builds))
	}
}

func TestLockWaitEndsWithContext(t *testing.T) {
	dir := t.TempDir()
	b := &Builder{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), LockDir: dir}
	unlock, err := b.lock(context.Background(), "k")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, err := b.lock(ctx, "k"); err == nil {
		t.Fatal("a second holder got the lock")
	}
}
