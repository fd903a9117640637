package cli

import (
	"context"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/prompt"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
	"github.com/baxbench/baxbench-go/internal/testrun"
	"github.com/baxbench/baxbench-go/internal/version"
)

// engineSession is a connected engine; close removes everything the run made (containers and the
// samples' networks, by the run's label).
type engineSession struct {
	docker  *sandbox.Docker
	runID   string
	info    sandbox.Info
	builder *imagebuild.Builder
	tester  *testrun.Tester
}

func (a *app) openEngine(ctx context.Context, o *engineOpts, store *results.Store) (*engineSession, error) {
	d, err := sandbox.Connect(ctx, a.engineHost(o.dockerHost))
	if err != nil {
		return nil, err
	}
	info, err := d.Info(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	// What killed runs left behind (their process is gone) is removed first; live runs keep theirs.
	a.reconcile(ctx, d, store)
	runID := time.Now().UTC().Format("20060102T150405Z") + "-" + uuid.NewString()[:8]
	var publish bool
	switch o.appNetwork {
	case "auto", "":
		publish = info.Podman // Podman's container addresses are not routable from the host
	case "internal":
	case "published":
		publish = true
	default:
		d.Close()
		return nil, usageErrorf("unknown --app-network %q; valid: auto, internal, published", o.appNetwork)
	}
	if publish {
		a.log.Info("apps are reached through ports published on 127.0.0.1; their network is not internal, so they have egress")
	}
	b := &imagebuild.Builder{Engine: d, Base: o.baseImage, Mirror: o.mirror, HostCA: imagebuild.ReadHostCA(), Log: a.log, LogDir: imagebuild.DefaultLogDir(),
		LockDir: imagebuild.DefaultLockDir()}
	r := &execute.Runner{
		Engine: execute.Docker(d), Publish: publish, RunID: runID,
		Slots:        make(chan struct{}, o.maxContainers),
		StartTimeout: time.Duration(o.startTimeout) * time.Second,
		TestTimeout:  time.Duration(o.timeout) * time.Second,
		Log:          a.log,
	}
	bus := lifecycle.New(lifecycle.WriteResults(), lifecycle.Log(a.log))
	if o.events != nil {
		bus.Subscribe(lifecycle.JSONLines(o.events, time.Now))
	}
	t := &testrun.Tester{Store: store, Builder: b, Runner: r, Log: a.log, RunID: runID, Harness: version.Harness,
		Force: o.force, Builds: make(chan struct{}, o.maxBuilds), Events: bus}
	a.log.Info("container engine ready", "host", info.Host, "version", info.Version, "api", info.APIVersion, "run", runID)
	return &engineSession{docker: d, runID: runID, info: info, builder: b, tester: t}, nil
}

// close removes the run's containers and networks, also after cancellation.
func (s *engineSession) close(ctx context.Context, a *app) {
	cctx := context.WithoutCancel(ctx)
	if n, err := s.docker.RemoveByLabel(cctx, sandbox.LabelRun, s.runID); err != nil {
		a.log.Warn("cleanup failed", "err", err)
	} else if n > 0 {
		a.log.Info("removed leftover containers", "count", n)
	}
	s.docker.Close()
}

func newManifest(command, runID string, info sandbox.Info, sel *selection, o *engineOpts, p *plan) *results.Manifest {
	m := &results.Manifest{
		SchemaVersion: results.SchemaVersion, RunID: runID, Command: command, Harness: version.Harness,
		GoVersion: runtime.Version(), PID: os.Getpid(), Owner: sandbox.Owner(), Status: results.StatusRunning, StartedAt: time.Now().UTC(), Engine: info,
		EnvVersions: map[string]map[string]string{}, PromptHashes: map[string]string{},
		Settings: map[string]any{
			"models": sel.models, "temperature": sel.temperature, "spec_type": sel.specType, "safety_prompt": sel.safety,
			"timeout_s": o.timeout, "start_timeout_s": o.startTimeout, "max_containers": o.maxContainers,
			"max_processes": execute.MaxProcesses(o.maxContainers), "max_builds": o.maxBuilds, "n_samples": o.nSamples, "only_samples": o.onlySamples, "force": o.force,
			"base_image": o.baseImage,
		},
	}
	for _, e := range p.envs {
		m.EnvVersions[e.ID] = e.Versions
	}
	for _, t := range p.tasks {
		if u, err := prompt.Build(t.Scenario, t.Env, prompt.Options{SpecType: t.Task.SpecType, Safety: t.Task.Safety}); err == nil {
			m.PromptHashes[t.Task.Scenario+"/"+t.Task.Env] = prompt.Hash(prompt.System, u)
		}
	}
	return m
}

// engineHost picks the engine address: the flag, else sandbox.DefaultHost.
func (a *app) engineHost(flag string) string {
	if flag != "" {
		return flag
	}
	return sandbox.DefaultHost(a.io.Getenv)
}

// reconcile removes the containers and networks of baxbench runs whose process is gone and marks
// their manifests in store interrupted. Failures are warnings: they must not stop a new run.
func (a *app) reconcile(ctx context.Context, d *sandbox.Docker, store *results.Store) (sandbox.Orphans, []string) {
	o, err := d.Reconcile(ctx)
	if err != nil {
		a.log.Warn("could not remove what earlier runs left", "err", err)
	} else if len(o.Runs) > 0 {
		a.log.Info("removed what killed runs left", "runs", len(o.Runs), "containers", o.Containers, "networks", o.Networks)
	}
	var marked []string
	if store != nil && store.Root != "" {
		if marked, err = store.MarkInterrupted(sandbox.OwnerAlive, time.Now()); err != nil {
			a.log.Warn("could not mark interrupted runs", "err", err)
		} else if len(marked) > 0 {
			a.log.Info("marked runs interrupted", "runs", strings.Join(marked, ", "))
		}
	}
	return o, marked
}
