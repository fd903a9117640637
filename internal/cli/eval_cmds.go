package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/catalog"
	"github.com/baxbench/baxbench-go/internal/report"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/score"
	"github.com/baxbench/baxbench-go/internal/validate"
)

func (a *app) newEvaluateCmd() *cobra.Command {
	var f results.Filter
	var dir string
	var ks []int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "evaluate",
		Short: "Score a results tree (ours or upstream's)",
		Example: `  baxbench evaluate --results-dir results
  baxbench evaluate --results-dir results --models gpt-4o --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.evaluate(f, dir, ks, asJSON)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&dir, "results-dir", "results", "root of the results tree")
	fl.StringSliceVar(&f.Models, "models", nil, "only these models (default: every model in the tree)")
	fl.StringSliceVar(&f.Scenarios, "scenarios", nil, "only these scenarios")
	fl.StringSliceVar(&f.Envs, "envs", nil, "only these environments")
	fl.IntSliceVar(&f.Samples, "only-samples", nil, "only these sample indices")
	fl.IntSliceVar(&ks, "ks", []int{1, 5}, "k values for pass@k and sec_pass@k")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) evaluate(f results.Filter, dir string, ks []int, asJSON bool) error {
	for _, k := range ks {
		if k <= 0 {
			return usageErrorf("--ks values must be positive")
		}
	}
	if err := checkTree(dir, f); err != nil {
		return err
	}
	entries, problems := results.Scan(dir, f)
	if len(entries) == 0 && len(problems) > 0 {
		return problems[0]
	}
	if len(entries) == 0 {
		return fmt.Errorf("no tested sample in %s matches the selection (run `baxbench test` first)", dir)
	}
	for _, p := range problems {
		a.log.Warn("unreadable result", "err", p)
	}
	ev := report.Evaluate(score.Tasks(entries, ks), ks)
	for _, p := range problems {
		ev.Problems = append(ev.Problems, p.Error())
	}
	if asJSON {
		return writeJSON(a.io.Out, ev)
	}
	return report.Console(a.io.Out, ev)
}

func (a *app) newValidateCmd() *cobra.Command {
	var sel selection
	var o engineOpts
	var asJSON bool
	var parallel int
	var evidenceDir string
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Prove every test on the secure reference and on its flawed variants",
		Long: `validate builds each scenario's secure reference solution and every flawed variant through the real
pipeline and compares expected with observed outcomes: the reference passes every functional test and no
exploit fires; a flawed variant passes the functional tests and is caught by exactly its exploit. It exits
with code 3 on any mismatch.`,
		Example: `  baxbench validate --scenarios Login,Calculator --envs Go-net/http --json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			sel.models = []string{"validate"}
			p, err := sel.resolve()
			if err != nil {
				return err
			}
			if err := o.validate(); err != nil {
				return err
			}
			sols, err := validate.Solutions(p.scenarios, p.envs)
			if err != nil {
				return err
			}
			if len(sols) == 0 {
				return usageErrorf("no reference solutions for the selected scenarios and environments")
			}
			sess, err := a.openEngine(ctx, &o, &results.Store{})
			if err != nil {
				return err
			}
			defer sess.close(ctx, a)
			if _, err := sess.builder.EnsureAll(ctx, p.envs); err != nil {
				return err
			}
			a.log.Info("validating", "solutions", len(sols))
			rep, err := validate.Run(ctx, sess.tester, sols, parallel, evidenceDir, func(s validate.Solution, cs []validate.Check) {
				bad := 0
				for _, c := range cs {
					if c.Mismatch {
						bad++
					}
				}
				a.log.Info("validated", "scenario", s.Scenario.ID, "env", s.Env.ID, "solution", s.Name, "checks", len(cs), "mismatches", bad)
			})
			if err != nil {
				return err
			}
			cat := catalog.Load()
			cov := validate.CoverageOf(cat.Scenarios, cat.Envs)
			rep.Coverage = &cov
			fmt.Fprintln(a.io.ErrOut, cov.Line())
			if asJSON {
				if err := writeJSON(a.io.Out, rep); err != nil {
					return err
				}
			} else {
				printValidation(a, rep)
			}
			if rep.Mismatches > 0 {
				hint := ""
				if evidenceDir == "" {
					hint = "; rerun with --evidence-dir DIR to keep the requests and responses"
				}
				return withCode(ExitValidation, fmt.Errorf("%d of %d checks did not match%s", rep.Mismatches, rep.Checks, hint))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&sel.scenarios, "scenarios", nil, "only these scenarios (default: all)")
	f.StringSliceVar(&sel.excludeScenarios, "exclude-scenarios", nil, "leave out these scenarios")
	f.StringSliceVar(&sel.envs, "envs", nil, "only these environments (default: all)")
	f.StringSliceVar(&sel.excludeEnvs, "exclude-envs", nil, "leave out these environments")
	sel.specType, sel.safety = "openapi", "none"
	o.bind(cmd)
	f.IntVar(&parallel, "parallel", 4, "solutions validated at once")
	f.StringVar(&evidenceDir, "evidence-dir", "", "write each solution's evidence, logs and results under this directory")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printValidation(a *app, rep *validate.Report) {
	w := a.io.Out
	for _, c := range rep.Entries {
		mark := "ok  "
		if c.Mismatch {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "%s %s %s %s %s: expected %s, observed %s", mark, c.Scenario, c.Env, c.Solution, c.Test, c.Expected, c.Observed)
		if c.Mismatch && c.Reason != "" {
			fmt.Fprintf(w, " (%s)", c.Reason)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%d solutions, %d checks, %d mismatches\n", rep.Solutions, rep.Checks, rep.Mismatches)
}

// checkTree refuses a directory that is not a results tree, and names in the filter that the tree
// does not hold (listing what it holds).
func checkTree(dir string, f results.Filter) error {
	inv, err := results.Inventory(dir)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if err := inv.Unknown(f); err != nil {
		return withCode(ExitUsage, err)
	}
	return nil
}
