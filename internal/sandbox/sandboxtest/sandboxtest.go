// Package sandboxtest gives tests a container engine, or skips them when there is none. With
// BAXBENCH_REQUIRE_ENGINE=1 (set in CI) a missing engine fails the test instead, so engine coverage
// cannot vanish unnoticed.
package sandboxtest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/sandbox"
)

// Host is the engine address tests use (sandbox.DefaultHost over the process environment).
func Host() string { return sandbox.DefaultHost(os.Getenv) }

// Need returns a connected engine or skips (fails under BAXBENCH_REQUIRE_ENGINE=1).
func Need(t testing.TB) *sandbox.Docker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := sandbox.Connect(ctx, Host())
	if err != nil {
		if os.Getenv("BAXBENCH_REQUIRE_ENGINE") == "1" {
			t.Fatalf("container engine required (BAXBENCH_REQUIRE_ENGINE=1): %v", err)
		}
		t.Skipf("no container engine: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// Publish reports whether apps on this engine must be reached through a published port (Podman: its
// container addresses are not routable from the host).
func Publish(t testing.TB, d *sandbox.Docker) bool {
	t.Helper()
	info, err := d.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.Podman
}
