// Package localapp serves an app in process for unit tests of tests and exploits. Only tests import it,
// so the shipped binary carries neither net/http/httptest nor testing.
package localapp

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/evidence"
)

// Local is an App served in-process, for unit tests of tests and exploits: an httptest server running
// handler, a temporary directory standing in for the container's file system, and process state the
// test can set.
type Local struct {
	*apptest.App
	Root   string // the container's "/" on the host
	Server *httptest.Server
	Procs  *Proc
}

// New starts handler on loopback and stops it when t ends. The handler can use l.Path to reach
// files the way an app would in its container.
func New(t testing.TB, handler http.Handler) *Local {
	t.Helper()
	root := t.TempDir()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	ev := &evidence.Log{}
	p := &Proc{running: true, memory: 50 << 20}
	l := &Local{Root: root, Server: srv, Procs: p}
	l.App = &apptest.App{
		HTTP:     apptest.NewClient(srv.URL, ev, nil),
		Files:    localFiles{root},
		Proc:     p,
		Env:      apptest.EnvInfo{ID: "local", Language: "Go", Workdir: "/app", DBFile: "db.sqlite3"},
		Log:      slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		Evidence: ev,
	}
	return l
}

// Path maps an absolute container path to the host path under Root.
func (l *Local) Path(p string) string { return filepath.Join(l.Root, filepath.FromSlash(p)) }

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

type localFiles struct{ root string }

func (f localFiles) path(p string) string { return filepath.Join(f.root, filepath.Clean("/"+p)) }

func (f localFiles) Put(_ context.Context, p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(f.path(p)), 0o755); err != nil {
		return err
	}
	return os.WriteFile(f.path(p), data, 0o644)
}

func (f localFiles) Read(_ context.Context, p string) ([]byte, error) {
	b, err := os.ReadFile(f.path(p))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return b, nil
}

func (f localFiles) Stat(_ context.Context, p string) (apptest.FileInfo, error) {
	st, err := os.Stat(f.path(p))
	if err != nil {
		return apptest.FileInfo{}, fmt.Errorf("stat %s: %w", p, err)
	}
	return apptest.FileInfo{Name: st.Name(), Size: st.Size(), Mode: st.Mode(), IsDir: st.IsDir()}, nil
}

// Proc is settable process state.
type Proc struct {
	mu      sync.Mutex
	running bool
	exit    int
	memory  int64
	disk    map[string]int64
	// ExecFunc answers Exec; nil means exec is unsupported.
	ExecFunc func(cmd []string) (apptest.ExecResult, error)
}

// Kill marks the process as dead with an exit code.
func (p *Proc) Kill(code int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running, p.exit = false, code
}

// SetMemory sets the memory the process reports.
func (p *Proc) SetMemory(b int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.memory = b
}

// SetDisk sets the disk usage reported under a path.
func (p *Proc) SetDisk(path string, b int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.disk == nil {
		p.disk = map[string]int64{}
	}
	p.disk[path] = b
}

func (p *Proc) State(context.Context) (apptest.State, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return apptest.State{Running: p.running, ExitCode: p.exit}, nil
}

func (p *Proc) MemoryUsage(context.Context) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.running {
		return 0, errors.New("no memory stats: not running")
	}
	return p.memory, nil
}

func (p *Proc) DiskUsage(_ context.Context, path string) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.disk[path], nil
}

func (p *Proc) Exec(_ context.Context, cmd []string) (apptest.ExecResult, error) {
	if p.ExecFunc == nil {
		return apptest.ExecResult{}, fmt.Errorf("exec %v: %w", cmd, fs.ErrInvalid)
	}
	return p.ExecFunc(cmd)
}
