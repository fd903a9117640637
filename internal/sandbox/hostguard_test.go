package sandbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTables puts iptables and ip6tables on PATH that exit with code for "-C" of the guard's rule.
func fakeTables(t *testing.T, code string) {
	dir := t.TempDir()
	for _, tool := range []string{"iptables", "ip6tables"} {
		script := "#!/bin/sh\n[ \"$1\" = -C ] && [ \"$*\" = \"-C " + strings.Join(HostGuardRule, " ") + "\" ] || exit 9\nexit " + code + "\n"
		if err := os.WriteFile(filepath.Join(dir, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PATH", dir)
}

func TestHostGuard(t *testing.T) {
	ctx := context.Background()
	if g := HostGuard(ctx, "tcp://10.0.0.5:2375"); g.Known || !strings.Contains(g.Detail, "not on this host") {
		t.Errorf("remote engine: %+v", g)
	}
	if os.Geteuid() != 0 {
		if g := HostGuard(ctx, ""); g.Known || !strings.Contains(g.Detail, "root") {
			t.Errorf("not root: %+v", g)
		}
		t.Skip("the iptables checks need root")
	}
	fakeTables(t, "0")
	if g := HostGuard(ctx, "unix:///run/docker.sock"); !g.Known || !g.Installed {
		t.Errorf("rule present: %+v", g)
	}
	fakeTables(t, "1")
	if g := HostGuard(ctx, ""); !g.Known || g.Installed || !strings.Contains(g.Detail, "iptables/ip6tables -I INPUT -i bxb+") {
		t.Errorf("rule missing: %+v", g)
	}
	fakeTables(t, "4")
	if g := HostGuard(ctx, ""); g.Known {
		t.Errorf("iptables failing: %+v", g)
	}
	t.Setenv("PATH", t.TempDir())
	if g := HostGuard(ctx, ""); g.Known || !strings.Contains(g.Detail, "installed") {
		t.Errorf("no iptables: %+v", g)
	}
}
