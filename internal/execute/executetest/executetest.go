// Package executetest is an in-process container engine for tests of the test stage: each container
// runs an app the test supplies (an http.Handler served on loopback), and the test decides how its
// process behaves: exits at once, never answers, dies during a request, is killed for memory. Only
// tests import it.
package executetest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/sandbox"
)

// App is how one container behaves.
type App struct {
	// Handler serves the app once started. Nil: the process runs but never answers.
	Handler http.Handler
	// ExitAtStart makes the process exit at once with ExitCode.
	ExitAtStart bool
	ExitCode    int
	// Output is what the process printed.
	Output string
	// StartErr is an engine fault on start.
	StartErr error
	// Memory is the memory in use reported while running.
	Memory int64
	// Exec answers commands run in the container; nil: exit code 127.
	Exec func(cmd []string) (sandbox.ExecResult, error)
}

// Engine implements execute.Engine in process.
type Engine struct {
	// NewApp decides the behaviour of each container created.
	NewApp func(c *Container) App
	// CreateErr, when set, fails every Create.
	CreateErr error

	// NetworkErr, when set, fails every Network.
	NetworkErr error
	// BeforeRemove, when set, runs at the start of every container's Remove (it may block, as a slow
	// engine does).
	BeforeRemove func(c *Container)

	mu         sync.Mutex
	containers []*Container
	networks   map[string]bool // name -> still there
}

// Network records a network.
func (e *Engine) Network(_ context.Context, name string, _ map[string]string, _ bool) (string, error) {
	if e.NetworkErr != nil {
		return "", e.NetworkErr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.networks == nil {
		e.networks = map[string]bool{}
	}
	if _, ok := e.networks[name]; ok {
		return "", fmt.Errorf("network %s exists", name)
	}
	e.networks[name] = true
	return name, nil
}

// RemoveNetwork marks a network removed.
func (e *Engine) RemoveNetwork(_ context.Context, id string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.networks[id] {
		return fmt.Errorf("no network %s", id)
	}
	e.networks[id] = false
	return nil
}

// Networks reports every network created so far and whether it is still there.
func (e *Engine) Networks() map[string]bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]bool{}
	for k, v := range e.networks {
		out[k] = v
	}
	return out
}

var _ execute.Engine = (*Engine)(nil)

// Create makes a container; nothing runs until Start.
func (e *Engine) Create(_ context.Context, spec sandbox.ContainerSpec) (execute.Container, error) {
	if e.CreateErr != nil {
		return nil, e.CreateErr
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &Container{id: fmt.Sprintf("fake%012d", len(e.containers)+1), Spec: spec, files: map[string][]byte{}, engine: e}
	c.app = e.NewApp(c)
	e.containers = append(e.containers, c)
	return c, nil
}

// Containers lists every container created so far.
func (e *Engine) Containers() []*Container {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*Container(nil), e.containers...)
}

// Live counts the containers not removed.
func (e *Engine) Live() int {
	n := 0
	for _, c := range e.Containers() {
		c.mu.Lock()
		if !c.removed {
			n++
		}
		c.mu.Unlock()
	}
	return n
}

// Container is one fake app container.
type Container struct {
	id     string
	Spec   sandbox.ContainerSpec
	app    App
	engine *Engine

	mu       sync.Mutex
	running  bool
	exitCode int
	oom      bool
	removed  bool
	output   strings.Builder
	srv      *http.Server
	files    map[string][]byte
	written  int64
}

// Write adds n bytes to what the app wrote to its file system (WritableSize).
func (c *Container) Write(n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.written += n
}

// WritableSize is what the app wrote: Write's bytes and the files put.
func (c *Container) WritableSize(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.written
	for _, b := range c.files {
		n += int64(len(b))
	}
	return n, nil
}

// Kill ends the app's process as SIGKILL does (exit code 137).
func (c *Container) Kill(context.Context) error {
	c.Exit(137, false)
	return nil
}

// ID is the container's id.
func (c *Container) ID() string { return c.id }

// Start runs the app: serves its handler on a loopback port, or exits at once.
func (c *Container) Start(context.Context) (string, error) {
	if c.app.StartErr != nil {
		return "", c.app.StartErr
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.output.WriteString(c.app.Output)
	if c.app.ExitAtStart {
		c.exitCode = c.app.ExitCode
		return "", nil
	}
	c.running = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	if c.app.Handler == nil {
		ln.Close() // the process runs, but nothing listens: every dial is refused
		return addr, nil
	}
	c.srv = &http.Server{Handler: c.app.Handler}
	go c.srv.Serve(ln)
	return addr, nil
}

// Exit ends the app's process: its server stops at once, as a killed process's would.
func (c *Container) Exit(code int, oom bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
	c.exitCode, c.oom = code, oom
}

func (c *Container) stopLocked() {
	c.running = false
	if c.srv != nil {
		go c.srv.Close() // Close from a handler would wait for that handler
		c.srv = nil
	}
}

// Print adds to the app's output.
func (c *Container) Print(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.output.WriteString(s)
}

// State reports the process state.
func (c *Container) State(context.Context) (sandbox.State, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.removed {
		return sandbox.State{}, errors.New("no such container")
	}
	return sandbox.State{Running: c.running, ExitCode: c.exitCode, OOMKilled: c.oom}, nil
}

// Logs returns the output: all of it up to limit, else its head and tail, as the engine's does.
func (c *Container) Logs(_ context.Context, limit int) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.output.String()
	if len(s) > limit {
		s = s[:limit/2] + "\n[... output cut ...]\n" + s[len(s)-(limit-limit/2):]
	}
	return s, nil
}

// Remove stops and removes the container.
func (c *Container) Remove(context.Context) error {
	if c.engine != nil && c.engine.BeforeRemove != nil {
		c.engine.BeforeRemove(c)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopLocked()
	c.removed = true
	return nil
}

// Removed reports whether the container was removed.
func (c *Container) Removed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.removed
}

// Put stores a file.
func (c *Container) Put(_ context.Context, p string, data []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[path.Clean("/"+p)] = append([]byte(nil), data...)
	return nil
}

// Read returns a stored file.
func (c *Container) Read(_ context.Context, p string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.files[path.Clean("/"+p)]
	if !ok {
		return nil, fmt.Errorf("read %s: %w", p, fs.ErrNotExist)
	}
	return append([]byte(nil), b...), nil
}

// Stat describes a stored file.
func (c *Container) Stat(_ context.Context, p string) (sandbox.PathStat, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.files[path.Clean("/"+p)]
	if !ok {
		return sandbox.PathStat{}, fmt.Errorf("stat %s: %w", p, fs.ErrNotExist)
	}
	return sandbox.PathStat{Name: path.Base(p), Size: int64(len(b)), Mode: 0o644}, nil
}

// MemoryUsage is the app's memory while it runs.
func (c *Container) MemoryUsage(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.running {
		return 0, errors.New("stats carry no memory usage (container not running)")
	}
	return c.app.Memory, nil
}

// DiskUsage sums the stored files under p.
func (c *Container) DiskUsage(_ context.Context, p string) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	prefix := strings.TrimSuffix(path.Clean("/"+p), "/") + "/"
	for name, b := range c.files {
		if strings.HasPrefix(name, prefix) {
			n += int64(len(b))
		}
	}
	return n, nil
}

// Exec runs a command through App.Exec.
func (c *Container) Exec(_ context.Context, cmd []string) (sandbox.ExecResult, error) {
	if c.app.Exec == nil {
		return sandbox.ExecResult{Code: 127, Output: []byte(cmd[0] + ": not found")}, nil
	}
	return c.app.Exec(cmd)
}
