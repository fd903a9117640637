package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/results"
	"github.com/baxbench/baxbench-go/internal/sandbox"
)

func (a *app) newCleanCmd() *cobra.Command {
	var dockerHost, resultsDir string
	var keep int
	var olderThan time.Duration
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "clean",
		Short: "Remove what killed runs left behind, and prune sample images",
		Long: `clean removes the containers and networks of baxbench runs whose process is gone (a run that is
still going, in this or another baxbench process, keeps its own), marks their manifests in the results
tree interrupted, and prunes sample images: with --keep N all but the N newest, with --older-than D
those built longer ago than D. Every baxbench run does the first two by itself when it starts.`,
		Example: `  baxbench clean
  baxbench clean --keep 500
  baxbench clean --older-than 168h`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if keep < -1 || olderThan < 0 {
				return usageErrorf("--keep and --older-than must not be negative")
			}
			ctx := cmd.Context()
			d, err := sandbox.Connect(ctx, a.engineHost(dockerHost))
			if err != nil {
				return err
			}
			defer d.Close()
			o, marked := a.reconcile(ctx, d, &results.Store{Root: resultsDir})
			out := struct {
				Orphans       sandbox.Orphans `json:"removed"`
				Interrupted   []string        `json:"marked_interrupted"`
				ImagesRemoved int             `json:"sample_images_removed"`
				BytesFreed    int64           `json:"bytes_freed"`
				ImagesKept    int             `json:"sample_images_kept"`
			}{Orphans: o, Interrupted: marked}
			if keep >= 0 || olderThan > 0 {
				imgs, err := d.SampleImages(ctx)
				if err != nil {
					return err
				}
				// Images share layers, so what is freed is the engine's usage before minus after, not
				// the sum of the removed images' sizes.
				before, sizeErr := d.ImagesSize(ctx)
				for i, im := range imgs { // newest first
					drop := (keep >= 0 && i >= keep) || (olderThan > 0 && time.Since(im.Created) > olderThan)
					if !drop {
						out.ImagesKept++
						continue
					}
					if err := d.RemoveImage(ctx, im.ID); err != nil {
						a.log.Warn("image not removed", "image", im.ID, "err", err)
						out.ImagesKept++
						continue
					}
					out.ImagesRemoved++
				}
				if after, err := d.ImagesSize(ctx); sizeErr == nil && err == nil && before > after {
					out.BytesFreed = before - after
				}
			}
			if asJSON {
				return writeJSON(a.io.Out, out)
			}
			fmt.Fprintf(a.io.Out, "removed %d containers and %d networks of %d runs whose process is gone; marked %d manifests interrupted\n",
				o.Containers, o.Networks, len(o.Runs), len(marked))
			if keep >= 0 || olderThan > 0 {
				fmt.Fprintf(a.io.Out, "removed %d sample images (%s), kept %d\n", out.ImagesRemoved, humanBytes(out.BytesFreed), out.ImagesKept)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dockerHost, "docker-host", "", "container engine address (default: $DOCKER_HOST or the standard socket)")
	f.StringVar(&resultsDir, "results-dir", "results", "results tree whose run manifests are checked")
	f.IntVar(&keep, "keep", -1, "keep only the N newest sample images (-1: no count limit)")
	f.DurationVar(&olderThan, "older-than", 0, "remove sample images built longer ago than this (0: no age limit)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
}
