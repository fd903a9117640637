package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/report"
	"github.com/baxbench/baxbench-go/internal/results"
)

func (a *app) newCompareCmd() *cobra.Command {
	var f results.Filter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "compare A B",
		Short: "Compare the verdicts of two results trees (ours or upstream's), sample by sample",
		Long: `compare matches the samples of two results trees and compares, for each, the functional verdict and
every CWE either tree reports. It prints the agreement rates and every disagreement with both sides'
evidence. Use it to check that this harness agrees with upstream BaxBench on your own samples.`,
		Example: `  baxbench compare results/ ../upstream/results/ --models gpt-4o --json`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, dir := range args {
				if err := checkTree(dir, f); err != nil {
					return err
				}
			}
			ea, pa := results.Scan(args[0], f)
			eb, pb := results.Scan(args[1], f)
			for _, p := range append(pa, pb...) {
				a.log.Warn("unreadable result", "err", p)
			}
			if len(ea) == 0 && len(pa) > 0 {
				return pa[0]
			}
			if len(eb) == 0 && len(pb) > 0 {
				return pb[0]
			}
			c := report.Compare(args[0], args[1], ea, eb)
			if c.Verdicts == 0 {
				return fmt.Errorf("the trees share no tested sample (%d and %d tested samples in the selection): there is nothing to compare", len(ea), len(eb))
			}
			if asJSON {
				return writeJSON(a.io.Out, c)
			}
			report.CompareConsole(a.io.Out, c)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringSliceVar(&f.Models, "models", nil, "only these models")
	fl.StringSliceVar(&f.Scenarios, "scenarios", nil, "only these scenarios")
	fl.StringSliceVar(&f.Envs, "envs", nil, "only these environments")
	fl.IntSliceVar(&f.Samples, "only-samples", nil, "only these sample indices")
	fl.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
