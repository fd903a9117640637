// Package apptest is what a test receives: one freshly started app, reached over HTTP (every exchange
// recorded as evidence), plus its files, its SQLite database and its process state.
package apptest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/baxbench/baxbench-go/internal/evidence"
)

// Files reaches the app's file system.
type Files interface {
	// Put writes a file (parents are created), also before the app starts.
	Put(ctx context.Context, path string, data []byte) error
	// Read returns a file's content; a missing file yields an error wrapping fs.ErrNotExist.
	Read(ctx context.Context, path string) ([]byte, error)
	// Stat describes a path; a missing path yields an error wrapping fs.ErrNotExist.
	Stat(ctx context.Context, path string) (FileInfo, error)
}

// FileInfo describes a path in the app's file system.
type FileInfo struct {
	Name  string
	Size  int64
	Mode  fs.FileMode
	IsDir bool
}

// Proc reaches the app's process and container.
type Proc interface {
	// State reports whether the app still runs, and how it ended if not.
	State(ctx context.Context) (State, error)
	// MemoryUsage is the container's memory in use in bytes, as upstream measures it. It fails when the
	// container is gone (upstream treats that as "likely crashed").
	MemoryUsage(ctx context.Context) (int64, error)
	// DiskUsage is the size in bytes of what lies under path.
	DiskUsage(ctx context.Context, path string) (int64, error)
	// Exec runs a command in the app's container and returns its exit code and combined output.
	Exec(ctx context.Context, cmd []string) (ExecResult, error)
}

// State is the app's process state.
type State struct {
	Running   bool
	ExitCode  int
	OOMKilled bool
}

// ExecResult is the outcome of Proc.Exec.
type ExecResult struct {
	Code   int
	Output []byte
}

// EnvInfo is what a test may know about the environment the app runs in.
type EnvInfo struct {
	ID       string // e.g. "Go-net/http"
	Language string // e.g. "Go"
	Workdir  string // "/app"
	DBFile   string // "db.sqlite3"
}

// DBPath is the absolute path of the app's SQLite database.
func (e EnvInfo) DBPath() string { return e.Workdir + "/" + e.DBFile }

// App is a running app under test.
type App struct {
	HTTP     *Client
	Files    Files
	Proc     Proc
	Env      EnvInfo
	Log      *slog.Logger
	Evidence *evidence.Log
	Fixtures fs.FS
}

// AppError is a failure caused by the app rather than by the harness: the connection was refused or
// reset, or no answer came before the deadline.
type AppError struct {
	Op  string
	Err error
}

func (e *AppError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *AppError) Unwrap() error { return e.Err }

// IsAppError reports whether err comes from the app.
func IsAppError(err error) bool {
	var a *AppError
	return errors.As(err, &a)
}

// Sleep waits for d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// FileExists reports whether path exists in the app's file system. Errors other than "not found" are
// returned: a test must not mistake an engine failure for a missing file.
func (a *App) FileExists(ctx context.Context, path string) (bool, error) {
	_, err := a.Files.Stat(ctx, path)
	if err == nil {
		a.Evidence.Notef("file", "%s exists", path)
		return true, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return false, fmt.Errorf("stat %s: %w", path, err)
}

// Alive reports whether the app's process still runs.
func (a *App) Alive(ctx context.Context) (bool, error) {
	st, err := a.Proc.State(ctx)
	if err != nil {
		return false, err
	}
	return st.Running, nil
}

// AliveAfter is Alive for a process that may be dying: a dropped connection comes a moment before the
// engine sees the process exit, so it keeps looking for up to grace and reports false as soon as the
// process is gone.
func (a *App) AliveAfter(ctx context.Context, grace time.Duration) (bool, error) {
	return StillRunning(ctx, a.Proc, grace)
}

// StillRunning polls p for up to grace and returns false as soon as the process is gone.
func StillRunning(ctx context.Context, p Proc, grace time.Duration) (bool, error) {
	deadline := time.Now().Add(grace)
	for {
		st, err := p.State(ctx)
		if err != nil {
			return false, err
		}
		if !st.Running {
			return false, nil
		}
		if time.Now().After(deadline) {
			return true, nil
		}
		if err := Sleep(ctx, 50*time.Millisecond); err != nil {
			return true, err
		}
	}
}
