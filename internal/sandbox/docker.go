// Package sandbox is the only user of the Docker Engine API: images, containers, networks, files, exec
// and stats. It serves Docker and Podman alike through the same API.
package sandbox

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// Label keys put on everything baxbench creates.
const (
	LabelRun    = "io.baxbench.run"
	LabelRole   = "io.baxbench.role"
	LabelTest   = "io.baxbench.test"
	LabelSample = "io.baxbench.sample"
)

// apiTimeout bounds ordinary engine calls; waits use the caller's deadline.
const apiTimeout = 60 * time.Second

// Docker is a connection to a container engine.
type Docker struct {
	c *client.Client
}

// Connect opens the engine named by host (empty: DOCKER_HOST or the default socket) and checks that it
// answers.
func Connect(ctx context.Context, host string) (*Docker, error) {
	opts := []client.Opt{client.FromEnv}
	if host != "" {
		opts = append(opts, client.WithHost(host))
	}
	c, err := client.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("connect to container engine: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		c.Close()
		return nil, fmt.Errorf("container engine at %s does not answer (start one with scripts/engine-up.sh): %w", c.DaemonHost(), err)
	}
	return &Docker{c: c}, nil
}

// DefaultHost picks the engine address when none is given: $DOCKER_HOST, else the standard socket
// (empty: the client's default), else the private socket scripts/engine-up.sh starts
// ($BAXBENCH_ENGINE_DIR or /var/lib/baxbench-engine). getenv is the caller's view of the environment.
func DefaultHost(getenv func(string) string) string {
	if h := getenv("DOCKER_HOST"); h != "" {
		return h
	}
	if _, err := os.Stat("/var/run/docker.sock"); err == nil {
		return ""
	}
	dir := getenv("BAXBENCH_ENGINE_DIR")
	if dir == "" {
		dir = "/var/lib/baxbench-engine"
	}
	if sock := filepath.Join(dir, "docker.sock"); fileExists(sock) {
		return "unix://" + sock
	}
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Close releases the connection.
func (d *Docker) Close() error { return d.c.Close() }

// Info describes the engine for the run manifest.
type Info struct {
	Host       string `json:"host"`
	Version    string `json:"version"`
	APIVersion string `json:"api_version"`
	Platform   string `json:"platform"`
	// Podman: the engine is Podman's Docker-compatible service.
	Podman bool `json:"podman,omitempty"`
}

// Info returns the engine's version.
func (d *Docker) Info(ctx context.Context) (Info, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	v, err := d.c.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return Info{}, fmt.Errorf("read engine version: %w", err)
	}
	info := Info{Host: d.c.DaemonHost(), Version: v.Version, APIVersion: v.APIVersion, Platform: v.Platform.Name}
	for _, c := range v.Components {
		if strings.Contains(c.Name, "Podman") {
			info.Podman = true
		}
	}
	return info, nil
}

// IsNotFound reports whether err says an object does not exist.
func IsNotFound(err error) bool { return cerrdefs.IsNotFound(err) }

// ImageID returns the id of the image ref, or "" when there is none.
func (d *Docker) ImageID(ctx context.Context, ref string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := d.c.ImageInspect(ctx, ref)
	if err != nil {
		if IsNotFound(err) {
			return "", nil
		}
		return "", fmt.Errorf("inspect image %s: %w", ref, err)
	}
	return res.ID, nil
}

// BuildError is a build that ran and failed (a step exited non-zero); Log holds the build output.
type BuildError struct {
	Msg string
	Log string
}

func (e *BuildError) Error() string { return "image build failed: " + e.Msg }

// Build builds an image from a tar build context and tags it ref. The build output is written to
// logw as it arrives. It returns the image id.
func (d *Docker) Build(ctx context.Context, ref string, buildCtx io.Reader, labels map[string]string, noCache bool, logw io.Writer) (string, error) {
	res, err := d.c.ImageBuild(ctx, buildCtx, client.ImageBuildOptions{
		Tags:        []string{ref},
		Remove:      true,
		ForceRemove: true,
		NoCache:     noCache,
		Labels:      labels,
		Dockerfile:  "Dockerfile",
	})
	if err != nil {
		return "", fmt.Errorf("start image build %s: %w", ref, err)
	}
	defer res.Body.Close()
	var logbuf bytes.Buffer
	w := io.MultiWriter(&logbuf, logw)
	dec := json.NewDecoder(bufio.NewReader(res.Body))
	var id, buildErr string
	for {
		var m struct {
			Stream      string `json:"stream"`
			Status      string `json:"status"`
			Error       string `json:"error"`
			ErrorDetail struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
			Aux json.RawMessage `json:"aux"`
		}
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return "", fmt.Errorf("read build output of %s: %w", ref, err)
		}
		if m.Stream != "" {
			io.WriteString(w, m.Stream)
		}
		if m.Status != "" {
			io.WriteString(w, m.Status+"\n")
		}
		if m.Error != "" {
			buildErr = m.Error
			io.WriteString(w, "ERROR: "+m.Error+"\n")
		}
		if len(m.Aux) > 0 {
			var aux struct {
				ID string `json:"ID"`
			}
			if json.Unmarshal(m.Aux, &aux) == nil && aux.ID != "" {
				id = aux.ID
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("build %s: %w", ref, err)
	}
	if buildErr != "" {
		return "", &BuildError{Msg: buildErr, Log: logbuf.String()}
	}
	if id == "" {
		if id, err = d.ImageID(ctx, ref); err != nil || id == "" {
			return "", fmt.Errorf("build %s: finished without an image id", ref)
		}
	}
	return id, nil
}

// Import creates an image from a root file system tarball.
func (d *Docker) Import(ctx context.Context, ref string, rootfs io.Reader, changes []string) error {
	rc, err := d.c.ImageImport(ctx, client.ImageImportSource{Source: rootfs, SourceName: "-"}, ref, client.ImageImportOptions{Changes: changes})
	if err != nil {
		return fmt.Errorf("import image %s: %w", ref, err)
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

// Network creates a bridge network with the given name, labelled for the run. An internal network has
// no route out; apps on it are reached on their own address.
func (d *Docker) Network(ctx context.Context, name string, labels map[string]string, internal bool) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := d.c.NetworkCreate(ctx, name, client.NetworkCreateOptions{Driver: "bridge", Internal: internal, Labels: withOwner(labels),
		Options: map[string]string{"com.docker.network.bridge.name": BridgeName(name)}})
	if err != nil {
		return "", fmt.Errorf("create network %s: %w", name, err)
	}
	return res.ID, nil
}

// BridgePrefix starts the host interface name of every network baxbench creates. The host guard that
// scripts/engine-up.sh installs rejects new connections entering the host from such interfaces, so no
// app reaches a service on any of the host's addresses.
const BridgePrefix = "bxb"

// BridgeName is the host interface of the network called name: BridgePrefix and 12 hex digits of the
// name's hash (Linux allows 15 characters).
func BridgeName(name string) string {
	sum := sha256.Sum256([]byte(name))
	return BridgePrefix + hex.EncodeToString(sum[:6])
}

// RemoveNetwork removes a network.
func (d *Docker) RemoveNetwork(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	if _, err := d.c.NetworkRemove(ctx, id, client.NetworkRemoveOptions{}); err != nil && !IsNotFound(err) {
		return fmt.Errorf("remove network %s: %w", id, err)
	}
	return nil
}

// ContainerSpec says how to run an app container.
type ContainerSpec struct {
	Image   string
	Name    string
	Network string // network name; the app is reached on its address there
	// Publish maps the app's port 5000 to a free port on 127.0.0.1 and reaches it there, for engines
	// whose container addresses the host cannot reach (Podman, Docker Desktop).
	Publish  bool
	Env      []string
	Labels   map[string]string
	Memory   int64 // bytes
	NanoCPUs int64
	// PidsLimit bounds the container's processes and threads together (0: the engine's default).
	PidsLimit int64
}

// LogFileSize and LogFiles are each app container's log budget: LogFiles x LogFileSize bytes of its
// output on the engine's disk at most.
const (
	LogFileSize = 8 << 20
	LogFiles    = 2
)

// AppCapabilities are the only capabilities an app container keeps: everything else in Docker's
// default set is dropped, raw sockets (NET_RAW) and low ports (NET_BIND_SERVICE; apps listen on 5000)
// included, along with MKNOD, SETFCAP, SETPCAP, SYS_CHROOT, AUDIT_WRITE and FSETID. What is left lets
// an app run as root inside its container and manage its own files (CHOWN, DAC_OVERRIDE, FOWNER), switch
// user (SETUID, SETGID) and signal its own processes (KILL). Every app container also runs with
// no-new-privileges, so no setuid binary or file capability can raise a process above this set. Both are
// unconditional: no caller may loosen them.
var AppCapabilities = []string{"CHOWN", "DAC_OVERRIDE", "FOWNER", "KILL", "SETGID", "SETUID"}

// Container is a created container.
type Container struct {
	id      string
	d       *Docker
	net     string
	publish bool
}

// Create creates (does not start) a container. It keeps only AppCapabilities and sets no-new-privileges
// whatever the spec says; PidsLimit bounds its processes and threads together.
func (d *Docker) Create(ctx context.Context, spec ContainerSpec) (*Container, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	yes := true
	pids := spec.PidsLimit
	hc := &container.HostConfig{
		Init: &yes,
		// The log budget: the engine keeps at most LogFiles files of LogFileSize of the app's output,
		// dropping the oldest, so a chatty app cannot fill the host's disk through its log.
		LogConfig: container.LogConfig{Type: "json-file", Config: map[string]string{
			"max-size": strconv.Itoa(LogFileSize>>20) + "m", "max-file": strconv.Itoa(LogFiles),
		}},
		NetworkMode: container.NetworkMode(spec.Network),
		CapDrop:     []string{"ALL"},
		CapAdd:      append([]string(nil), AppCapabilities...),
		SecurityOpt: []string{"no-new-privileges:true"},
		Resources: container.Resources{
			Memory:    spec.Memory,
			NanoCPUs:  spec.NanoCPUs,
			PidsLimit: &pids,
		},
	}
	cfg := &container.Config{Image: spec.Image, Env: spec.Env, Labels: withOwner(spec.Labels)}
	if spec.Publish {
		cfg.ExposedPorts = network.PortSet{appPort: struct{}{}}
		hc.PortBindings = network.PortMap{appPort: {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
	}
	res, err := d.c.ContainerCreate(ctx, client.ContainerCreateOptions{Name: spec.Name, Config: cfg, HostConfig: hc})
	if err != nil {
		return nil, fmt.Errorf("create container from %s: %w", spec.Image, err)
	}
	return &Container{id: res.ID, d: d, net: spec.Network, publish: spec.Publish}, nil
}

// appPort is the port apps listen on inside their container.
var appPort = network.MustParsePort("5000/tcp")

// ID is the engine's id of the container.
func (c *Container) ID() string { return c.id }

// Start starts the container and returns the host:port where the app's port 5000 is reached: its
// address on its network, or the published port on 127.0.0.1. An empty address means the process
// exited at once (the caller reads the state).
func (c *Container) Start(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	if _, err := c.d.c.ContainerStart(ctx, c.id, client.ContainerStartOptions{}); err != nil {
		return "", fmt.Errorf("start container %s: %w", short(c.id), err)
	}
	res, err := c.d.c.ContainerInspect(ctx, c.id, client.ContainerInspectOptions{})
	if err != nil {
		return "", fmt.Errorf("inspect container %s: %w", short(c.id), err)
	}
	if ns := res.Container.NetworkSettings; ns != nil {
		if c.publish {
			for _, b := range ns.Ports[appPort] {
				if b.HostPort != "" {
					return net.JoinHostPort("127.0.0.1", b.HostPort), nil
				}
			}
		} else if ep, ok := ns.Networks[c.net]; ok && ep != nil && ep.IPAddress.IsValid() {
			return net.JoinHostPort(ep.IPAddress.String(), "5000"), nil
		}
	}
	if st := res.Container.State; st != nil && !st.Running {
		return "", nil // exited at once: the caller reads the state
	}
	return "", fmt.Errorf("container %s has no address on network %s", short(c.id), c.net)
}

// State is a container's process state.
type State struct {
	Running   bool
	ExitCode  int
	OOMKilled bool
}

// State inspects the container. Exit code 137 with no OOM flag is reported as OOM only by the caller's
// judgement; Podman never sets the flag.
func (c *Container) State(ctx context.Context) (State, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := c.d.c.ContainerInspect(ctx, c.id, client.ContainerInspectOptions{})
	if err != nil {
		return State{}, fmt.Errorf("inspect container %s: %w", short(c.id), err)
	}
	st := res.Container.State
	if st == nil {
		return State{}, fmt.Errorf("inspect container %s: no state", short(c.id))
	}
	return State{Running: st.Running && !st.Restarting, ExitCode: st.ExitCode, OOMKilled: st.OOMKilled}, nil
}

// Logs returns the container's combined stdout and stderr: all of it up to limit bytes, else its first
// and last limit/2 bytes with a marker saying how much was cut between them.
func (c *Container) Logs(ctx context.Context, limit int) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	rc, err := c.d.c.ContainerLogs(ctx, c.id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		return "", fmt.Errorf("read logs of %s: %w", short(c.id), err)
	}
	defer rc.Close()
	buf := headTail{limit: limit}
	if _, err := stdcopy.StdCopy(&buf, &buf, rc); err != nil {
		return buf.String(), fmt.Errorf("read logs of %s: %w", short(c.id), err)
	}
	return buf.String(), nil
}

// WritableSize is the size of what the app wrote to its container's file system (the engine's SizeRw:
// files by their apparent size). The engine walks the writable layer for it.
func (c *Container) WritableSize(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := c.d.c.ContainerInspect(ctx, c.id, client.ContainerInspectOptions{Size: true})
	if err != nil {
		return 0, fmt.Errorf("measure the writable layer of %s: %w", short(c.id), err)
	}
	if res.Container.SizeRw == nil {
		return 0, fmt.Errorf("measure the writable layer of %s: the engine reports no size", short(c.id))
	}
	return *res.Container.SizeRw, nil
}

// Kill stops the app's processes at once (SIGKILL); the container stays for its state and logs.
func (c *Container) Kill(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), apiTimeout)
	defer cancel()
	if _, err := c.d.c.ContainerKill(ctx, c.id, client.ContainerKillOptions{Signal: "KILL"}); err != nil && !IsNotFound(err) {
		return fmt.Errorf("kill container %s: %w", short(c.id), err)
	}
	return nil
}

// Remove force-removes the container. It uses its own deadline so cleanup survives a cancelled run.
func (c *Container) Remove(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := c.d.c.ContainerRemove(ctx, c.id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !IsNotFound(err) {
		return fmt.Errorf("remove container %s: %w", short(c.id), err)
	}
	return nil
}

// Put writes one file into the container, creating parent directories.
func (c *Container) Put(ctx context.Context, p string, data []byte) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	clean := strings.TrimPrefix(path.Clean("/"+p), "/")
	if err := tw.WriteHeader(&tar.Header{Name: clean, Mode: 0o644, Size: int64(len(data)), ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
		return fmt.Errorf("put %s: %w", p, err)
	}
	if _, err := tw.Write(data); err != nil {
		return fmt.Errorf("put %s: %w", p, err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("put %s: %w", p, err)
	}
	if _, err := c.d.c.CopyToContainer(ctx, c.id, client.CopyToContainerOptions{DestinationPath: "/", Content: &buf}); err != nil {
		return fmt.Errorf("put %s into %s: %w", p, short(c.id), err)
	}
	return nil
}

// MaxRead is the largest file Read copies out of a container, by apparent size (a sparse file counts
// with the size it claims, not the blocks it uses). A database or upload an app writes in any scenario
// is far smaller; a larger one is refused before its content is read, so a hostile app cannot grow the
// harness's memory or the host's temporary directory.
const MaxRead = 32 << 20

// ErrTooLarge is wrapped by Read's error for a file over MaxRead.
var ErrTooLarge = errors.New("file exceeds the copy limit")

// Read returns a regular file's content; a missing path wraps fs.ErrNotExist, a file over MaxRead
// wraps ErrTooLarge.
func (c *Container) Read(ctx context.Context, p string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := c.d.c.CopyFromContainer(ctx, c.id, client.CopyFromContainerOptions{SourcePath: p})
	if err != nil {
		if IsNotFound(err) {
			return nil, fmt.Errorf("read %s: %w", p, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("read %s from %s: %w", p, short(c.id), err)
	}
	defer res.Content.Close()
	if res.Stat.Size > MaxRead {
		return nil, fmt.Errorf("read %s: %d bytes, limit %d: %w", p, res.Stat.Size, MaxRead, ErrTooLarge)
	}
	tr := tar.NewReader(res.Content)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("read %s: not a regular file: %w", p, fs.ErrNotExist)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if h.Size > MaxRead {
			return nil, fmt.Errorf("read %s: %d bytes, limit %d: %w", p, h.Size, MaxRead, ErrTooLarge)
		}
		data, err := io.ReadAll(io.LimitReader(tr, MaxRead+1))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if len(data) > MaxRead {
			return nil, fmt.Errorf("read %s: over %d bytes: %w", p, MaxRead, ErrTooLarge)
		}
		return data, nil
	}
}

// PathStat describes a path in a container.
type PathStat struct {
	Name string
	Size int64
	Mode fs.FileMode
}

// Stat describes a path; a missing path wraps fs.ErrNotExist.
func (c *Container) Stat(ctx context.Context, p string) (PathStat, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := c.d.c.ContainerStatPath(ctx, c.id, client.ContainerStatPathOptions{Path: p})
	if err != nil {
		if IsNotFound(err) {
			return PathStat{}, fmt.Errorf("stat %s: %w", p, fs.ErrNotExist)
		}
		return PathStat{}, fmt.Errorf("stat %s in %s: %w", p, short(c.id), err)
	}
	return PathStat{Name: res.Stat.Name, Size: res.Stat.Size, Mode: res.Stat.Mode}, nil
}

// MemoryUsage takes one stats sample and returns memory_stats.usage in bytes. A sample without it
// (the container is gone) is an error.
func (c *Container) MemoryUsage(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := c.d.c.ContainerStats(ctx, c.id, client.ContainerStatsOptions{Stream: false})
	if err != nil {
		return 0, fmt.Errorf("read stats of %s: %w", short(c.id), err)
	}
	defer res.Body.Close()
	var s container.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil {
		return 0, fmt.Errorf("decode stats of %s: %w", short(c.id), err)
	}
	if s.MemoryStats.Usage == 0 {
		return 0, fmt.Errorf("stats of %s carry no memory usage (container not running)", short(c.id))
	}
	return int64(s.MemoryStats.Usage), nil
}

// ExecResult is the outcome of Exec.
type ExecResult struct {
	Code   int
	Output []byte
}

// Exec runs cmd in the container and waits for it.
func (c *Container) Exec(ctx context.Context, cmd []string) (ExecResult, error) {
	cr, err := c.d.c.ExecCreate(ctx, c.id, client.ExecCreateOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		return ExecResult{}, fmt.Errorf("exec %q in %s: %w", strings.Join(cmd, " "), short(c.id), err)
	}
	at, err := c.d.c.ExecAttach(ctx, cr.ID, client.ExecAttachOptions{})
	if err != nil {
		return ExecResult{}, fmt.Errorf("attach to exec in %s: %w", short(c.id), err)
	}
	var out tailBuffer
	out.limit = 1 << 20
	done := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(&out, &out, at.Reader)
		done <- err
	}()
	select {
	case <-ctx.Done():
		at.Close()
		return ExecResult{}, fmt.Errorf("exec %q: %w", strings.Join(cmd, " "), ctx.Err())
	case err = <-done:
		at.Close()
	}
	if err != nil {
		return ExecResult{}, fmt.Errorf("read exec output: %w", err)
	}
	for {
		ins, err := c.d.c.ExecInspect(ctx, cr.ID, client.ExecInspectOptions{})
		if err != nil {
			return ExecResult{}, fmt.Errorf("inspect exec: %w", err)
		}
		if !ins.Running {
			return ExecResult{Code: ins.ExitCode, Output: out.Bytes()}, nil
		}
		select {
		case <-ctx.Done():
			return ExecResult{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// DiskUsage returns the size in bytes under p, measured with du inside the container.
func (c *Container) DiskUsage(ctx context.Context, p string) (int64, error) {
	res, err := c.Exec(ctx, []string{"du", "-sk", p})
	if err != nil {
		return 0, err
	}
	if res.Code != 0 {
		return 0, fmt.Errorf("du -sk %s exited %d: %s", p, res.Code, strings.TrimSpace(string(res.Output)))
	}
	fields := strings.Fields(string(res.Output))
	if len(fields) == 0 {
		return 0, fmt.Errorf("du -sk %s printed nothing", p)
	}
	kb, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse du output %q: %w", fields[0], err)
	}
	return kb * 1024, nil
}

// RemoveByLabel force-removes every container and network labelled key=value and counts the containers.
func (d *Docker) RemoveByLabel(ctx context.Context, key, value string) (int, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*apiTimeout)
	defer cancel()
	f := make(client.Filters).Add("label", key+"="+value)
	res, err := d.c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return 0, fmt.Errorf("list containers labelled %s=%s: %w", key, value, err)
	}
	n := 0
	for _, it := range res.Items {
		if _, err := d.c.ContainerRemove(ctx, it.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err == nil || IsNotFound(err) {
			n++
		}
	}
	nets, err := d.c.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err == nil {
		for _, nw := range nets.Items {
			d.c.NetworkRemove(ctx, nw.ID, client.NetworkRemoveOptions{})
		}
	}
	return n, nil
}

// Labelled counts the containers (running or not) and networks labelled key=value.
func (d *Docker) Labelled(ctx context.Context, key, value string) (containers, networks int, err error) {
	ctx, cancel := context.WithTimeout(ctx, 2*apiTimeout)
	defer cancel()
	f := make(client.Filters).Add("label", key+"="+value)
	cs, err := d.c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return 0, 0, fmt.Errorf("list containers labelled %s=%s: %w", key, value, err)
	}
	ns, err := d.c.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return 0, 0, fmt.Errorf("list networks labelled %s=%s: %w", key, value, err)
	}
	return len(cs.Items), len(ns.Items), nil
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// tailBuffer keeps the last limit bytes written to it.
type tailBuffer struct {
	bytes.Buffer
	limit   int
	dropped bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	t.Buffer.Write(p)
	if t.limit > 0 && t.Buffer.Len() > t.limit {
		b := t.Buffer.Bytes()
		keep := append([]byte(nil), b[len(b)-t.limit:]...)
		t.Buffer.Reset()
		t.Buffer.Write(keep)
		t.dropped = true
	}
	return n, nil
}

// headTail keeps the first and the last limit/2 bytes written to it, and says how much was cut
// between them: the start of an app's output (its first error) and its end (the final exception)
// both survive an app that prints a lot.
type headTail struct {
	limit int
	head  []byte
	tail  []byte
	cut   int64
}

func (h *headTail) Write(p []byte) (int, error) {
	n := len(p)
	if h.limit <= 0 {
		h.head = append(h.head, p...)
		return n, nil
	}
	half := h.limit / 2
	if room := half - len(h.head); room > 0 {
		k := min(room, len(p))
		h.head = append(h.head, p[:k]...)
		p = p[k:]
	}
	h.tail = append(h.tail, p...)
	if over := len(h.tail) - (h.limit - half); over > 0 {
		h.cut += int64(over)
		h.tail = append(h.tail[:0], h.tail[over:]...)
	}
	return n, nil
}

func (h *headTail) String() string {
	if h.cut == 0 {
		return string(h.head) + string(h.tail)
	}
	return string(h.head) + fmt.Sprintf("\n[... %d bytes of output cut ...]\n", h.cut) + string(h.tail)
}
