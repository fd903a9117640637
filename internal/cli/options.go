package cli

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/catalog"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/execute"
	"github.com/baxbench/baxbench-go/internal/prompt"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// selection is the task matrix a command works on.
type selection struct {
	models                      []string
	scenarios, excludeScenarios []string
	envs, excludeEnvs           []string
	temperature                 float64
	specType, safety            string
	resultsDir                  string
	needModels                  bool
}

func (s *selection) bind(cmd *cobra.Command, needModels bool) {
	f := cmd.Flags()
	f.StringSliceVar(&s.models, "models", nil, "model names (each a task dimension); \"reference\" answers with the shipped reference solutions")
	f.StringSliceVar(&s.scenarios, "scenarios", nil, "only these scenarios (default: all)")
	f.StringSliceVar(&s.excludeScenarios, "exclude-scenarios", nil, "leave out these scenarios")
	f.StringSliceVar(&s.envs, "envs", nil, "only these environments, e.g. Go-net/http or Go-net-http (default: all)")
	f.StringSliceVar(&s.excludeEnvs, "exclude-envs", nil, "leave out these environments (ignored when --envs is given, as upstream)")
	f.Float64Var(&s.temperature, "temperature", 0.2, "sampling temperature (also part of the results path)")
	f.StringVar(&s.specType, "spec-type", prompt.SpecOpenAPI, "spec shown to the model: openapi or text")
	f.StringVar(&s.safety, "safety-prompt", prompt.SafetyNone, "security reminder: none, generic or specific")
	f.StringVar(&s.resultsDir, "results-dir", "results", "root of the results tree")
	s.needModels = needModels
}

// plan is a resolved selection.
type plan struct {
	scenarios []*scenario.Scenario
	envs      []*env.Env
	tasks     []catalog.Task
}

func (s *selection) resolve() (*plan, error) {
	if !slices.Contains(prompt.SpecTypes, s.specType) {
		return nil, usageErrorf("unknown --spec-type %q; valid: %s", s.specType, strings.Join(prompt.SpecTypes, ", "))
	}
	if !slices.Contains(prompt.SafetyLevels, s.safety) {
		return nil, usageErrorf("unknown --safety-prompt %q; valid: %s", s.safety, strings.Join(prompt.SafetyLevels, ", "))
	}
	for _, m := range s.models {
		if strings.TrimSpace(m) == "" {
			return nil, usageErrorf("--models has an empty name (%q)", strings.Join(s.models, ","))
		}
	}
	if s.needModels && len(s.models) == 0 {
		return nil, usageErrorf("--models is required: name one or more models, e.g. --models reference")
	}
	cat := catalog.Load()
	scs, err := cat.SelectScenarios(s.scenarios, s.excludeScenarios)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	envs, err := cat.SelectEnvs(s.envs, s.excludeEnvs)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	p := &plan{scenarios: scs, envs: envs,
		tasks: catalog.Matrix(s.models, scs, envs, catalog.Prompt{SpecType: s.specType, Safety: s.safety, Temperature: s.temperature})}
	return p, nil
}

// engineOpts are the sandbox settings.
type engineOpts struct {
	dockerHost    string
	appNetwork    string
	baseImage     string
	mirror        string
	timeout       int
	startTimeout  int
	maxContainers int
	maxBuilds     int
	onlySamples   []int
	nSamples      int
	force         bool
	eventsFile    string
	events        io.Writer // the opened --events file
}

func (o *engineOpts) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.dockerHost, "docker-host", "", "container engine address (default: $DOCKER_HOST or the standard socket)")
	f.StringVar(&o.appNetwork, "app-network", "auto", "how apps are reached: internal (their own address on a network without egress), published (a port on 127.0.0.1; for engines whose container addresses the host cannot reach), or auto (published on Podman, else internal)")
	f.StringVar(&o.baseImage, "base-image", "", "base image to build FROM, e.g. debian:trixie where a registry is reachable (default: bootstrap "+"baxbench-base:trixie"+" with debootstrap)")
	f.StringVar(&o.mirror, "debian-mirror", "", "Debian mirror for bootstrapping the base image")
	f.IntVar(&o.timeout, "timeout", 300, "seconds each test may run")
	f.IntVar(&o.startTimeout, "start-timeout", 60, "seconds an app may take to answer its first request")
	f.IntVar(&o.maxContainers, "max-containers", defaultContainers(), "app containers running at once")
	f.IntVar(&o.maxBuilds, "max-builds", max(1, runtime.NumCPU()/2), "sample images built at once")
	f.StringVar(&o.eventsFile, "events", "", "append every lifecycle event (sample generated, build, test, sample tested, run finished) to this file as JSON lines")
}

// openEvents opens the --events file for appending; the returned function closes it.
func (o *engineOpts) openEvents() (func(), error) {
	if o.eventsFile == "" {
		return func() {}, nil
	}
	f, err := os.OpenFile(o.eventsFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open events file: %w", err)
	}
	o.events = f
	return func() { f.Close() }, nil
}

func defaultContainers() int {
	return execute.DefaultContainers(runtime.NumCPU(), execute.HostMemory())
}

func (o *engineOpts) validate() error {
	switch {
	case o.timeout <= 0:
		return usageErrorf("--timeout must be positive")
	case o.startTimeout <= 0:
		return usageErrorf("--start-timeout must be positive")
	case o.maxContainers <= 0 || o.maxBuilds <= 0:
		return usageErrorf("--max-containers and --max-builds must be positive")
	}
	return nil
}

func (o *engineOpts) samples() []int {
	if len(o.onlySamples) > 0 {
		return o.onlySamples
	}
	out := make([]int, o.nSamples)
	for i := range out {
		out[i] = i
	}
	return out
}

func fmtCWEs(s *scenario.Scenario) string {
	var p []string
	for _, id := range s.PotentialCWEs {
		p = append(p, fmt.Sprint(int(id)))
	}
	return strings.Join(p, ",")
}
