package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/lifecycle"
	"github.com/baxbench/baxbench-go/internal/progress"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/testrun"
)

func (a *app) newGenerateCmd() *cobra.Command {
	var sel selection
	var o engineOpts
	var g genOpts
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Ask models for samples and store the extracted code",
		Example: `  baxbench generate --models gpt-4o --envs Go-net/http --n-samples 5 --dry-run
  baxbench generate --models claude-sonnet-4-20250514 --scenarios Login
  baxbench generate --models qwen2.5-coder:7b --base-url http://127.0.0.1:11434/v1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := sel.resolve()
			if err != nil {
				return err
			}
			_, err = a.generate(cmd.Context(), &sel, &o, &g, p, nil)
			return err
		},
	}
	sel.bind(cmd, true)
	g.bind(cmd)
	cmd.Flags().IntVar(&o.nSamples, "n-samples", 5, "samples per task")
	cmd.Flags().BoolVarP(&o.force, "force", "f", false, "regenerate every sample")
	return cmd
}

func (a *app) newTestCmd() *cobra.Command {
	var sel selection
	var o engineOpts
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Build and test stored samples; writes test_results.json and evidence",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(sel.models) == 0 {
				// As evaluate: every model in the tree.
				inv, err := results.Inventory(sel.resultsDir)
				if err != nil {
					return withCode(ExitUsage, err)
				}
				sel.models = inv.Models
			}
			p, err := sel.resolve()
			if err != nil {
				return err
			}
			return a.test(cmd.Context(), "test", &sel, &o, p)
		},
	}
	sel.bind(cmd, false)
	cmd.Flag("models").Usage = "models to test (default: every model in the results tree)"
	o.bind(cmd)
	cmd.Flags().IntVar(&o.nSamples, "n-samples", 5, "samples per task")
	cmd.Flags().IntSliceVar(&o.onlySamples, "only-samples", nil, "test only these sample indices")
	cmd.Flags().BoolVarP(&o.force, "force", "f", false, "re-test samples that already have results")
	return cmd
}

func (a *app) test(ctx context.Context, command string, sel *selection, o *engineOpts, p *plan) (err error) {
	if err := o.validate(); err != nil {
		return err
	}
	store := &results.Store{Root: sel.resultsDir}
	var items []testrun.Item
	for _, t := range p.tasks {
		for _, i := range o.samples() {
			items = append(items, testrun.Item{Task: t.Task, Scenario: t.Scenario, Env: t.Env, Sample: i})
		}
	}
	// Only what needs testing decides whether we need the engine at all.
	probe := &testrun.Tester{Store: store, Force: o.force}
	var pending []testrun.Item
	for _, it := range items {
		if _, ok, err := probe.Pending(it); err != nil {
			return err
		} else if ok {
			pending = append(pending, it)
		}
	}
	if len(pending) == 0 {
		// A model that has no sample at all in the tree is a typo, not "nothing to do".
		if command == "test" {
			inv, err := results.Inventory(sel.resultsDir)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			if err := inv.Unknown(results.Filter{Models: sel.models}); err != nil {
				return withCode(ExitUsage, err)
			}
		}
		a.log.Info("nothing to test: every selected sample is tested or was never generated", "selected", len(items))
		return nil
	}
	if err := store.Prepare(); err != nil {
		return err
	}
	closeEvents, err := o.openEvents()
	if err != nil {
		return err
	}
	defer closeEvents()
	sess, err := a.openEngine(ctx, o, store)
	if err != nil {
		return err
	}
	defer sess.close(ctx, a)
	m := newManifest(command, sess.runID, sess.info, sel, o, p)
	if err := store.WriteManifest(m); err != nil {
		return err
	}
	defer func() {
		if werr := store.FinishManifest(ctx, m, err, time.Now()); werr != nil {
			fmt.Fprintln(a.io.ErrOut, "warning: run manifest not written:", werr)
		}
		sess.tester.Events.Emit(context.WithoutCancel(ctx), lifecycle.RunFinished{RunID: m.RunID, Command: command, Status: m.Status, Error: m.Error})
	}()
	var envsNeeded = map[string]bool{}
	for _, it := range pending {
		envsNeeded[it.Env.ID] = true
	}
	var envs = p.envs[:0:0]
	for _, e := range p.envs {
		if envsNeeded[e.ID] {
			envs = append(envs, e)
		}
	}
	if m.Images, err = sess.builder.EnsureAll(ctx, envs); err != nil {
		return err
	}
	store.WriteManifest(m)
	a.log.Info("testing", "samples", len(pending), "containers", o.maxContainers, "builds", o.maxBuilds)
	tracker := progress.New(ctx, a.io.ErrOut, a.io.TTY, a.log, 10*time.Second)
	a.logOut.set(tracker.Writer(a.io.ErrOut))
	stage := tracker.Stage("tested", len(pending))
	workers := max(2, o.maxContainers/2)
	sess.tester.Events.Subscribe(lifecycle.On(func(_ context.Context, e lifecycle.SampleTested) error {
		stage.Done(e.Error != "")
		return nil
	}))
	images := &lifecycle.Images{}
	sess.tester.Events.Subscribe(images.Handler())
	_, err = sess.tester.Run(ctx, pending, workers)
	m.SampleImages = images.List()
	tracker.Close()
	a.logOut.set(a.io.ErrOut)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("testing: %w", err)
	}
	return err
}

func (a *app) newRunCmd() *cobra.Command {
	var sel selection
	var o engineOpts
	var g genOpts
	var asJSON bool
	var ks []int
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Generate, test and evaluate in one go (resumable)",
		Example: `  baxbench run --models reference --scenarios Login,Calculator --envs Go-net/http
  baxbench run --models reference --n-samples 1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			p, err := sel.resolve()
			if err != nil {
				return err
			}
			if err := o.validate(); err != nil {
				return err
			}
			// Providers, endpoints and keys are checked before anything starts.
			setups, err := a.setupModels(&sel, &g, p, !g.dryRun)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			_, genErr := a.generate(ctx, &sel, &o, &g, p, setups)
			var partial *generationFailures
			if genErr != nil && !errors.As(genErr, &partial) {
				return genErr
			}
			if g.dryRun {
				return nil
			}
			if err := a.test(ctx, "run", &sel, &o, p); err != nil {
				return err
			}
			filter := results.Filter{Models: sel.models, Scenarios: ids(p), Envs: envIDs(p), Samples: o.onlySamples,
				Configs: []string{p.tasks[0].Task.ConfigName()}}
			if err := a.evaluate(filter, sel.resultsDir, ks, asJSON); err != nil {
				return err
			}
			// Tasks whose generation failed were tested with what they have; say so in the exit code.
			return genErr
		},
	}
	sel.bind(cmd, true)
	o.bind(cmd)
	cmd.Flags().IntVar(&o.nSamples, "n-samples", 5, "samples per task")
	cmd.Flags().IntSliceVar(&o.onlySamples, "only-samples", nil, "test and evaluate only these sample indices")
	cmd.Flags().BoolVarP(&o.force, "force", "f", false, "regenerate and re-test everything")
	g.bind(cmd)
	cmd.Flags().IntSliceVar(&ks, "ks", []int{1, 5}, "k values for pass@k and sec_pass@k")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the evaluation as JSON")
	return cmd
}

func ids(p *plan) []string {
	var out []string
	for _, s := range p.scenarios {
		out = append(out, s.ID)
	}
	return out
}

func envIDs(p *plan) []string {
	var out []string
	for _, e := range p.envs {
		out = append(out, e.ID)
	}
	return out
}
