package cli

import (
	"bytes"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/report"
	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/score"
)

func (a *app) newReportCmd() *cobra.Command {
	var f results.Filter
	var dir, htmlPath string
	var ks []int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the results as one self-contained HTML page, or as JSON with every sample",
		Long: `report reads a results tree and writes either a single HTML file that works offline (every style,
script and datum inline: model overview, scenario x environment heat maps, CWE breakdown, and a
drill-down to every sample's code, test outcomes and evidence with replayable curl lines), or with
--json the same data as a document with a schema_version.`,
		Example: `  baxbench report --results-dir results --html report.html
  baxbench report --results-dir results --json > report.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if htmlPath == "" && !asJSON {
				return usageErrorf("give --html FILE or --json")
			}
			entries, problems := results.Scan(dir, f)
			for _, p := range problems {
				a.log.Warn("unreadable result", "err", p)
			}
			if len(entries) == 0 && len(problems) > 0 {
				return problems[0]
			}
			ev := report.Evaluate(score.Tasks(entries, ks), ks)
			doc := report.BuildDocument(dir, entries, ev, time.Now())
			if asJSON {
				return writeJSON(a.io.Out, doc)
			}
			var buf bytes.Buffer
			if err := report.HTML(&buf, doc); err != nil {
				return err
			}
			if err := results.WriteFileAtomic(htmlPath, buf.Bytes(), 0o644); err != nil {
				return err
			}
			fmt.Fprintf(a.io.ErrOut, "wrote %s (%d samples, %.1f MiB)\n", htmlPath, len(doc.Samples), float64(buf.Len())/(1<<20))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&dir, "results-dir", "results", "root of the results tree")
	fl.StringVar(&htmlPath, "html", "", "write the HTML report to this file")
	fl.BoolVar(&asJSON, "json", false, "print the report data as JSON")
	fl.StringSliceVar(&f.Models, "models", nil, "only these models")
	fl.StringSliceVar(&f.Scenarios, "scenarios", nil, "only these scenarios")
	fl.StringSliceVar(&f.Envs, "envs", nil, "only these environments")
	fl.IntSliceVar(&f.Samples, "only-samples", nil, "only these sample indices")
	fl.IntSliceVar(&ks, "ks", []int{1, 5}, "k values for pass@k and sec_pass@k")
	return cmd
}
