// Package imagebuild builds the three image layers: base, then an environment's dependencies, then one
// sample. Every image is named by the hash of what went into it, so nothing is built twice.
package imagebuild

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/sandbox"
)

// BaseRef is the locally bootstrapped Debian base image.
const BaseRef = "baxbench-base:trixie"

// DefaultMirror is where debootstrap fetches Debian packages.
const DefaultMirror = env.DebianMirror

// Engine is what the builder needs from the container engine.
type Engine interface {
	ImageID(ctx context.Context, ref string) (string, error)
	Build(ctx context.Context, ref string, buildCtx io.Reader, labels map[string]string, noCache bool, logw io.Writer) (string, error)
	Import(ctx context.Context, ref string, rootfs io.Reader, changes []string) error
}

// Builder builds images. It is safe for concurrent use; concurrent requests for the same image wait for
// one build.
type Builder struct {
	Engine Engine
	// Base is an image to build FROM instead of bootstrapping BaseRef (e.g. "debian:trixie" where a
	// registry is reachable).
	Base   string
	Mirror string
	// HostCA is the CA bundle copied into builds that reach package registries.
	HostCA []byte
	Log    *slog.Logger
	// BuildTimeout bounds one sample build (upstream: 600 s).
	BuildTimeout time.Duration
	// LogDir keeps each sample image's build output (DefaultLogDir; empty: not kept), so that a cached
	// image still says why its app cannot start.
	LogDir string
	// LockDir holds the locks by which builders in different processes on one machine build each
	// shared image once: one builds, the others wait and reuse it (DefaultLockDir; empty: no
	// cross-process lock).
	LockDir string

	mu       sync.Mutex
	inflight map[string]*call
}

type call struct {
	done chan struct{}
	id   string
	err  error
}

// once runs fn once per key at a time and shares its result with concurrent callers.
func (b *Builder) once(ctx context.Context, key string, fn func() (string, error)) (string, error) {
	b.mu.Lock()
	if b.inflight == nil {
		b.inflight = map[string]*call{}
	}
	if c, ok := b.inflight[key]; ok {
		b.mu.Unlock()
		select {
		case <-c.done:
			return c.id, c.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	c := &call{done: make(chan struct{})}
	b.inflight[key] = c
	b.mu.Unlock()
	c.id, c.err = fn()
	close(c.done)
	b.mu.Lock()
	delete(b.inflight, key)
	b.mu.Unlock()
	return c.id, c.err
}

// ReadHostCA returns the host's CA bundle, or nil when there is none.
func ReadHostCA() []byte {
	for _, p := range []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"} {
		if b, err := os.ReadFile(p); err == nil {
			return b
		}
	}
	return nil
}

// EnsureBase returns the base image id, bootstrapping it with debootstrap when needed.
func (b *Builder) EnsureBase(ctx context.Context) (string, error) {
	if b.Base != "" {
		return b.Base, nil // pulled by the engine at the first build that uses it
	}
	return b.once(ctx, "base", func() (string, error) {
		unlock, err := b.lock(ctx, BaseRef)
		if err != nil {
			return "", err
		}
		defer unlock()
		if id, err := b.Engine.ImageID(ctx, BaseRef); err != nil || id != "" {
			return id, err
		}
		if err := b.bootstrap(ctx); err != nil {
			return "", err
		}
		id, err := b.Engine.ImageID(ctx, BaseRef)
		if err == nil && id == "" {
			err = errors.New("base image missing after import")
		}
		return id, err
	})
}

func (b *Builder) bootstrap(ctx context.Context) error {
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return fmt.Errorf("base image %s is missing and debootstrap is not installed: run scripts/engine-up.sh as root, or pass --base-image debian:trixie where a registry is reachable", BaseRef)
	}
	dir, err := os.MkdirTemp("", "baxbench-rootfs-")
	if err != nil {
		return fmt.Errorf("bootstrap base: %w", err)
	}
	defer os.RemoveAll(dir)
	mirror := b.Mirror
	if mirror == "" {
		mirror = DefaultMirror
	}
	b.Log.Info("bootstrapping Debian base image (about a minute, once)", "image", BaseRef, "mirror", mirror)
	start := time.Now()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "debootstrap", "--variant=minbase", "trixie", dir, mirror)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("debootstrap trixie: %w\n%s", err, tail(out.String(), 2000))
	}
	tarCmd := exec.CommandContext(ctx, "tar", "-C", dir, "-c", ".")
	pipe, err := tarCmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("bootstrap base: %w", err)
	}
	if err := tarCmd.Start(); err != nil {
		return fmt.Errorf("tar rootfs: %w", err)
	}
	ierr := b.Engine.Import(ctx, BaseRef, pipe, []string{"CMD [\"/bin/bash\"]"})
	werr := tarCmd.Wait()
	if ierr != nil {
		return ierr
	}
	if werr != nil {
		return fmt.Errorf("tar rootfs: %w", werr)
	}
	b.Log.Info("base image ready", "image", BaseRef, "duration_ms", time.Since(start).Milliseconds())
	return nil
}

// depsContext renders the dependency layer of e on top of base and names it by content.
func (b *Builder) depsContext(e *env.Env, base string) (ref string, tarball []byte, err error) {
	df, err := e.DepsDockerfileFor(base)
	if err != nil {
		return "", nil, err
	}
	files := map[string][]byte{"Dockerfile": []byte(df), "host-ca.crt": b.HostCA}
	for _, m := range e.Manifests {
		files[m.Name] = []byte(m.Content)
	}
	h := hashFiles(base, files)
	tb, err := tarFiles(files)
	return "baxbench-deps-" + e.Slug() + ":" + h[:16], tb, err
}

// DepsRef names the dependency image of e built on base (the id EnsureBase returns) without building
// it, so callers can tell whether it exists.
func (b *Builder) DepsRef(e *env.Env, base string) (string, error) {
	ref, _, err := b.depsContext(e, base)
	return ref, err
}

// EnsureDeps returns the dependency image of e (building it when needed) and its reference.
func (b *Builder) EnsureDeps(ctx context.Context, e *env.Env, logw io.Writer) (string, error) {
	base, err := b.EnsureBase(ctx)
	if err != nil {
		return "", err
	}
	ref, tb, err := b.depsContext(e, base)
	if err != nil {
		return "", err
	}
	return b.once(ctx, ref, func() (string, error) {
		unlock, err := b.lock(ctx, ref)
		if err != nil {
			return "", err
		}
		defer unlock()
		if id, err := b.Engine.ImageID(ctx, ref); err != nil || id != "" {
			return ref, err
		}
		b.Log.Info("building environment dependency layer (once per environment)", "env", e.ID, "image", ref)
		start := time.Now()
		var log bytes.Buffer
		w := io.MultiWriter(&log, &stepLogger{log: b.Log, env: e.ID})
		if logw != nil {
			w = io.MultiWriter(w, logw)
		}
		if _, err := b.Engine.Build(ctx, ref, bytes.NewReader(tb), map[string]string{sandbox.LabelRole: "deps"}, false, w); err != nil {
			return "", fmt.Errorf("build dependency layer of %s: %w\n%s", e.ID, err, tail(log.String(), 4000))
		}
		b.Log.Info("environment dependency layer ready", "env", e.ID, "image", ref, "duration_ms", time.Since(start).Milliseconds())
		return ref, nil
	})
}

// EnsureAll builds (or finds) the dependency layer of every environment, before any sample is
// touched, and returns each environment's layer reference by id.
func (b *Builder) EnsureAll(ctx context.Context, envs []*env.Env) (map[string]string, error) {
	refs := map[string]string{}
	for _, e := range envs {
		ref, err := b.EnsureDeps(ctx, e, nil)
		if err != nil {
			return nil, err
		}
		refs[e.ID] = ref
	}
	return refs, nil
}

// SampleBuild is the outcome of building one sample.
type SampleBuild struct {
	Ref        string
	ImageID    string
	Cached     bool
	Dockerfile string
	Log        string
	Duration   time.Duration
	Dropped    []string // generated files not put in the build context, with the reason
}

// Sample builds the image of one sample: code holds the files the model wrote (relative paths), extra
// the scenario's install commands for this environment. A build that runs and fails returns a
// *sandbox.BuildError (the sample's fault); other errors are the harness's.
func (b *Builder) Sample(ctx context.Context, e *env.Env, code map[string][]byte, extra []string) (*SampleBuild, error) {
	deps, err := b.EnsureDeps(ctx, e, nil)
	if err != nil {
		return nil, err
	}
	df, err := e.SampleDockerfileFor(deps, extra)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	res := &SampleBuild{Dockerfile: df}
	reserved := map[string]bool{"Dockerfile": true}
	for _, m := range e.Manifests {
		reserved[m.Name] = true
	}
	for name, data := range code {
		clean := path.Clean(name)
		if reserved[clean] {
			// Upstream lets the harness's file win silently; we drop the generated one and say so.
			res.Dropped = append(res.Dropped, clean+": collides with a file the harness provides")
			continue
		}
		files[clean] = data
	}
	sort.Strings(res.Dropped)
	files["Dockerfile"] = []byte(df)
	for _, m := range e.Manifests {
		files[m.Name] = []byte(m.Content)
	}
	depsID, err := b.Engine.ImageID(ctx, deps)
	if err != nil {
		return nil, err
	}
	h := hashFiles(depsID, files)
	res.Ref = "baxbench-sample:" + h[:24]
	id, err := b.Engine.ImageID(ctx, res.Ref)
	if err != nil {
		return nil, err
	}
	if id != "" {
		res.ImageID, res.Cached = id, true
		var kept bool
		if res.Log, kept = b.loadLog(res.Ref); !kept {
			res.Log = errNoLog.Error() + "\n"
		}
		return res, nil
	}
	tb, err := tarFiles(files)
	if err != nil {
		return nil, err
	}
	timeout := b.BuildTimeout
	if timeout <= 0 {
		timeout = 600 * time.Second
	}
	start := time.Now()
	_, err = b.once(ctx, res.Ref, func() (string, error) {
		bctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		var log bytes.Buffer
		id, err := b.Engine.Build(bctx, res.Ref, bytes.NewReader(tb), map[string]string{sandbox.LabelRole: "sample"}, false, &log)
		var be *sandbox.BuildError
		if err != nil && !errors.As(err, &be) && ctx.Err() == nil {
			// An engine or transport fault, not the sample's: try once more without cache, as upstream.
			log.WriteString("\nretrying without cache after: " + err.Error() + "\n")
			bctx2, cancel2 := context.WithTimeout(ctx, timeout)
			defer cancel2()
			id, err = b.Engine.Build(bctx2, res.Ref, bytes.NewReader(tb), map[string]string{sandbox.LabelRole: "sample"}, true, &log)
		}
		res.Log = log.String()
		res.ImageID = id
		b.saveLog(res.Ref, res.Log)
		return id, err
	})
	res.Duration = time.Since(start)
	if err != nil {
		return res, err
	}
	if res.ImageID == "" {
		if res.ImageID, err = b.Engine.ImageID(ctx, res.Ref); err != nil {
			return res, err
		}
	}
	return res, nil
}

func hashFiles(parent string, files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	io.WriteString(h, "parent\x00"+parent+"\x00")
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func tarFiles(files map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			return nil, fmt.Errorf("write build context: %w", err)
		}
		if _, err := tw.Write(files[n]); err != nil {
			return nil, fmt.Errorf("write build context: %w", err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("write build context: %w", err)
	}
	return buf.Bytes(), nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// LogOf renders the build record for test.log: the Dockerfile and every file in the context.
func LogOf(res *SampleBuild, code map[string][]byte) string {
	var b strings.Builder
	b.WriteString("Dockerfile:\n" + res.Dockerfile + "\n")
	names := make([]string, 0, len(code))
	for n := range code {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "--- %s (%d bytes)\n%s\n", n, len(code[n]), code[n])
	}
	for _, d := range res.Dropped {
		b.WriteString("dropped " + d + "\n")
	}
	return b.String()
}

// stepLogger logs the "Step N/M" lines of a build, so a long dependency build shows where it is.
type stepLogger struct {
	log  *slog.Logger
	env  string
	part []byte
}

func (s *stepLogger) Write(p []byte) (int, error) {
	s.part = append(s.part, p...)
	for {
		i := bytes.IndexByte(s.part, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimSpace(string(s.part[:i]))
		s.part = s.part[i+1:]
		if strings.HasPrefix(line, "Step ") {
			s.log.Info("building", "env", s.env, "step", line)
		}
	}
	return len(p), nil
}
