package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/catalog"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/imagebuild"
	"github.com/baxbench/baxbench-go/internal/sandbox"
)

// envEngineOpts are the engine settings of the envs build and doctor commands.
type envEngineOpts struct {
	dockerHost, baseImage, mirror string
}

func (o *envEngineOpts) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&o.dockerHost, "docker-host", "", "container engine address (default: $DOCKER_HOST or the standard socket)")
	f.StringVar(&o.baseImage, "base-image", "", "base image to build FROM, e.g. debian:trixie where a registry is reachable (default: bootstrap "+imagebuild.BaseRef+" with debootstrap)")
	f.StringVar(&o.mirror, "debian-mirror", "", "Debian mirror for bootstrapping the base image")
}

// selectEnvs resolves environment ids (all when none are given).
func selectEnvs(ids []string) ([]*env.Env, error) {
	var sel []string
	for _, id := range ids {
		sel = append(sel, strings.Split(id, ",")...)
	}
	envs, err := catalog.Load().SelectEnvs(sel, nil)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	return envs, nil
}

type envBuildJSON struct {
	Env        string            `json:"env"`
	Image      string            `json:"image,omitempty"`
	Built      bool              `json:"built"`
	DurationMS int64             `json:"duration_ms"`
	Versions   map[string]string `json:"versions,omitempty"`
	Error      string            `json:"error,omitempty"`
}

func (a *app) newEnvsBuildCmd() *cobra.Command {
	var o envEngineOpts
	var asJSON, verbose bool
	cmd := &cobra.Command{
		Use:   "build [ENV...]",
		Short: "Prepare the base image and the dependency layers of environments ahead of a run",
		Long: `Builds (or finds) the Debian base image and the dependency layer of each environment, one at a
time, with progress and timings. Later runs build only the thin per-sample layer on top. With no
arguments every environment is prepared.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			envs, err := selectEnvs(args)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			d, err := sandbox.Connect(ctx, a.engineHost(o.dockerHost))
			if err != nil {
				return err
			}
			defer d.Close()
			// This command prints its own progress; the builder's step log would repeat it.
			quiet := slog.New(slog.NewTextHandler(a.io.ErrOut, &slog.HandlerOptions{Level: slog.LevelWarn}))
			b := &imagebuild.Builder{Engine: d, Base: o.baseImage, Mirror: o.mirror, HostCA: imagebuild.ReadHostCA(), Log: quiet,
				LockDir: imagebuild.DefaultLockDir()}
			w := a.io.ErrOut
			start := time.Now()
			fmt.Fprintf(w, "base image: ")
			base, err := b.EnsureBase(ctx)
			if err != nil {
				fmt.Fprintln(w, "failed")
				return err
			}
			fmt.Fprintf(w, "%s ready (%s)\n", orBase(o.baseImage), since(start))
			var out []envBuildJSON
			var failed []string
			for i, e := range envs {
				r := envBuildJSON{Env: e.ID, Versions: e.Versions}
				ref, err := b.DepsRef(e, base)
				if err != nil {
					return err
				}
				r.Image = ref
				id, err := d.ImageID(ctx, ref)
				if err != nil {
					return err
				}
				if id != "" {
					fmt.Fprintf(w, "[%d/%d] %s: dependency layer present (%s)\n", i+1, len(envs), e.ID, ref)
					out = append(out, r)
					continue
				}
				fmt.Fprintf(w, "[%d/%d] %s: building dependency layer %s\n", i+1, len(envs), e.ID, ref)
				t0 := time.Now()
				var logw io.Writer = &stepPrinter{w: w, prefix: fmt.Sprintf("[%d/%d] %s: ", i+1, len(envs), e.ID), start: t0}
				if verbose {
					logw = w
				}
				_, err = b.EnsureDeps(ctx, e, logw)
				r.DurationMS = time.Since(t0).Milliseconds()
				if err != nil {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					r.Error = err.Error()
					failed = append(failed, e.ID)
					fmt.Fprintf(w, "[%d/%d] %s: FAILED after %s: %v\n", i+1, len(envs), e.ID, since(t0), err)
				} else {
					r.Built = true
					fmt.Fprintf(w, "[%d/%d] %s: built in %s\n", i+1, len(envs), e.ID, since(t0))
				}
				out = append(out, r)
			}
			fmt.Fprintf(w, "done in %s\n", since(start))
			if asJSON {
				if err := writeJSON(a.io.Out, out); err != nil {
					return err
				}
			}
			if len(failed) > 0 {
				return fmt.Errorf("dependency layer failed for: %s", strings.Join(failed, ", "))
			}
			return nil
		},
	}
	o.bind(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the outcome per environment as JSON on stdout")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "stream the full build output")
	return cmd
}

func orBase(flag string) string {
	if flag != "" {
		return flag
	}
	return imagebuild.BaseRef
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

// stepPrinter shows the "Step N/M" lines of a build with the time elapsed.
type stepPrinter struct {
	w      io.Writer
	prefix string
	start  time.Time
	part   []byte
}

func (s *stepPrinter) Write(p []byte) (int, error) {
	s.part = append(s.part, p...)
	for {
		i := strings.IndexByte(string(s.part), '\n')
		if i < 0 {
			break
		}
		line := strings.TrimSpace(string(s.part[:i]))
		s.part = s.part[i+1:]
		if strings.HasPrefix(line, "Step ") {
			if len(line) > 110 {
				line = line[:110] + "..."
			}
			fmt.Fprintf(s.w, "%s%7s  %s\n", s.prefix, since(s.start), line)
		}
	}
	return len(p), nil
}

func (a *app) newEnvsDoctorCmd() *cobra.Command {
	var o envEngineOpts
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "doctor [ENV...]",
		Short: "Say for each environment whether it can run on this machine, and what is missing if not",
		Long: `Checks the container engine, the base image (present, or bootstrappable with debootstrap), each
environment's dependency layer (built, or buildable) and the package registries a build needs. Exits
with status 1 when an environment cannot run.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			envs, err := selectEnvs(args)
			if err != nil {
				return err
			}
			rep := a.doctor(cmd.Context(), &o, envs)
			if asJSON {
				if err := writeJSON(a.io.Out, rep); err != nil {
					return err
				}
			} else {
				printDoctor(a.io.Out, rep)
			}
			if !rep.RunnableAll {
				return withCode(ExitFailed, errors.New("some environments cannot run on this machine (see above)"))
			}
			return nil
		},
	}
	o.bind(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) doctor(ctx context.Context, o *envEngineOpts, envs []*env.Env) *imagebuild.DoctorReport {
	do := imagebuild.DoctorOptions{EngineAddr: a.engineHost(o.dockerHost), BaseImage: o.baseImage, Mirror: o.mirror, HostCA: imagebuild.ReadHostCA()}
	d, err := sandbox.Connect(ctx, do.EngineAddr)
	if err == nil {
		defer d.Close()
		if _, err = d.Info(ctx); err == nil {
			do.Engine = d
		}
	}
	do.EngineErr = err
	rep := imagebuild.Doctor(ctx, envs, do)
	rep.HostGuard = sandbox.HostGuard(ctx, do.EngineAddr)
	if do.Engine != nil {
		if o, err := d.FindOrphans(ctx); err == nil {
			rep.Leftovers = &o
		} else {
			rep.Problems = append(rep.Problems, "cannot list leftovers: "+err.Error())
		}
	}
	return rep
}

func printDoctor(w io.Writer, rep *imagebuild.DoctorReport) {
	ok := func(b bool) string {
		if b {
			return "ok"
		}
		return "MISSING"
	}
	fmt.Fprintf(w, "engine:      %s (%s)\n", ok(rep.EngineOK), rep.Engine)
	if rep.EngineOK {
		fmt.Fprintf(w, "base image:  %s (%s)\n", rep.BaseStatus, rep.Base)
	}
	fmt.Fprintf(w, "host CA:     %s\n", ok(rep.HostCA))
	switch g := rep.HostGuard; {
	case g.Installed:
		fmt.Fprintf(w, "host guard:  ok (%s)\n", g.Detail)
	case g.Known:
		fmt.Fprintf(w, "host guard:  MISSING: %s\n", g.Detail)
	default:
		fmt.Fprintf(w, "host guard:  unknown (%s)\n", g.Detail)
	}
	if l := rep.Leftovers; l != nil {
		if len(l.Runs) == 0 {
			fmt.Fprintln(w, "leftovers:   none")
		} else {
			fmt.Fprintf(w, "leftovers:   %d containers and %d networks of %d runs whose process is gone (baxbench clean removes them)\n", l.Containers, l.Networks, len(l.Runs))
		}
	}
	names := make([]string, 0, len(rep.Registries))
	for n := range rep.Registries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := "reachable"
		if !rep.Registries[n] {
			s = "UNREACHABLE"
		}
		fmt.Fprintf(w, "registry:    %s %s\n", n, s)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENV\tSTATUS\tDETAIL")
	for _, e := range rep.Envs {
		detail := strings.Join(append(append([]string{}, e.Missing...), e.Notes...), "; ")
		if detail == "" {
			detail = e.Image
		}
		if len(e.Missing) > 0 {
			detail = "missing: " + detail
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", e.Env, e.Status, detail)
	}
	tw.Flush()
	for _, p := range rep.Problems {
		fmt.Fprintln(w, "\nproblem: "+p)
	}
}
