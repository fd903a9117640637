package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/catalog"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/prompt"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/validate"
)

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

type scenarioJSON struct {
	ID              string   `json:"id"`
	Description     string   `json:"description"`
	FunctionalTests int      `json:"functional_tests"`
	SecurityTests   int      `json:"security_tests"`
	CWEs            []int    `json:"cwes"`
	NeedsDB         bool     `json:"needs_db"`
	NeedsSecret     bool     `json:"needs_secret"`
	Functional      []string `json:"functional,omitempty"`
	Security        []struct {
		ID   string `json:"id"`
		CWEs []int  `json:"cwes"`
	} `json:"security,omitempty"`
	ReferenceEnvs []string `json:"reference_envs"`
	FlawedEnvs    []string `json:"flawed_envs"`
	// PartialFlawedEnvs have flawed variants of some exploits only.
	PartialFlawedEnvs []string            `json:"partial_flawed_envs,omitempty"`
	Unprovable        map[string]string   `json:"unprovable,omitempty"`
	Packages          map[string][]string `json:"packages,omitempty"`
}

func scenarioInfo(s *scenario.Scenario, detail bool) scenarioJSON {
	j := scenarioJSON{ID: s.ID, Description: s.Description, FunctionalTests: len(s.Functional), SecurityTests: len(s.Security),
		NeedsDB: s.NeedsDB, NeedsSecret: s.NeedsSecret, CWEs: []int{}, ReferenceEnvs: []string{}}
	for _, id := range cwe.Sorted(s.PotentialCWEs) {
		j.CWEs = append(j.CWEs, int(id))
	}
	cov := validate.CoverageOf([]*scenario.Scenario{s}, env.All()).Scenarios[0]
	j.ReferenceEnvs, j.FlawedEnvs, j.PartialFlawedEnvs, j.Unprovable = cov.ReferenceEnvs, cov.FlawedEnvs, cov.PartialFlawedEnvs, cov.Unprovable
	if detail {
		for _, t := range s.Functional {
			j.Functional = append(j.Functional, t.ID)
		}
		for _, t := range s.Security {
			x := struct {
				ID   string `json:"id"`
				CWEs []int  `json:"cwes"`
			}{ID: t.ID}
			for _, id := range t.CWEs {
				x.CWEs = append(x.CWEs, int(id))
			}
			j.Security = append(j.Security, x)
		}
		j.Packages = s.Packages
	}
	return j
}

func (a *app) newScenariosCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "scenarios", Short: "List and describe the scenarios"}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the scenarios with their test counts and CWEs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			scs := catalog.Load().Scenarios
			if asJSON {
				out := []scenarioJSON{}
				for _, s := range scs {
					out = append(out, scenarioInfo(s, false))
				}
				return writeJSON(a.io.Out, out)
			}
			tw := tabwriter.NewWriter(a.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SCENARIO\tFUNCTIONAL\tSECURITY\tCWES\tDB\tSECRET\tREFERENCES\tFLAWED")
			cov := validate.CoverageOf(scs, env.All())
			for i, s := range scs {
				c := cov.Scenarios[i]
				fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%v\t%v\t%d/%d\t%s\n", s.ID, len(s.Functional), len(s.Security), fmtCWEs(s), s.NeedsDB, s.NeedsSecret,
					len(c.ReferenceEnvs), len(env.All()), strings.Join(c.FlawedEnvs, ","))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err := fmt.Fprintln(a.io.Out, cov.Line())
			return err
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:   "show SCENARIO",
		Short: "Show a scenario's tests, exploits and specs",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			scs, err := catalog.Load().SelectScenarios(args, nil) // an unknown id lists the valid ones
			if err != nil {
				return withCode(ExitUsage, err)
			}
			s := scs[0]
			info := scenarioInfo(s, true)
			if showJSON {
				return writeJSON(a.io.Out, struct {
					scenarioJSON
					OpenAPI string `json:"openapi"`
					Text    string `json:"text"`
				}{info, s.OpenAPI, s.Text})
			}
			w := a.io.Out
			fmt.Fprintf(w, "%s: %s\n", s.ID, s.Description)
			fmt.Fprintf(w, "database: %v, secret: %v\nreference solutions: %s\nflawed variants of every exploit: %s\n\n", s.NeedsDB, s.NeedsSecret,
				strings.Join(info.ReferenceEnvs, ", "), strings.Join(info.FlawedEnvs, ", "))
			for _, e := range slices.Sorted(maps.Keys(info.Unprovable)) {
				fmt.Fprintf(w, "unsolvable on %s: %s\n", e, info.Unprovable[e])
			}
			if len(info.Unprovable) > 0 {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, "functional tests:")
			for _, t := range s.Functional {
				fmt.Fprintf(w, "  %s\n", t.ID)
			}
			fmt.Fprintln(w, "exploits:")
			for _, t := range s.Security {
				var c []string
				for _, id := range t.CWEs {
					c = append(c, id.String())
				}
				fmt.Fprintf(w, "  %s  %s\n", t.ID, strings.Join(c, " "))
			}
			fmt.Fprintln(w, "\nCWEs named by the specific safety prompt:")
			for _, id := range cwe.Sorted(s.PotentialCWEs) {
				e, _ := cwe.Lookup(id)
				fmt.Fprintf(w, "  %s %s: %s\n", id, e.Name, e.Summary)
			}
			fmt.Fprintf(w, "\nOpenAPI spec:\n%s\n", s.OpenAPI)
			return nil
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	cmd.AddCommand(list, show)
	return cmd
}

type envJSON struct {
	ID         string            `json:"id"`
	PathID     string            `json:"path_id"`
	Language   string            `json:"language"`
	Framework  string            `json:"framework"`
	Files      []string          `json:"files"`
	MultiFile  bool              `json:"multi_file"`
	Entrypoint string            `json:"entrypoint"`
	Versions   map[string]string `json:"versions,omitempty"`
	Manifests  map[string]string `json:"manifests,omitempty"`
}

func envInfo(e *env.Env, detail bool) envJSON {
	j := envJSON{ID: e.ID, PathID: e.PathID(), Language: e.Language, Framework: e.Framework, Files: e.CodeFiles,
		MultiFile: e.MultiFile, Entrypoint: e.Entrypoint, Versions: e.Versions}
	if detail {
		j.Manifests = map[string]string{}
		for _, m := range e.Manifests {
			j.Manifests[m.Name] = m.Content
		}
	}
	return j
}

func (a *app) newEnvsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "envs", Short: "List and describe the environments (language and framework)"}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the environments",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			envs := env.All()
			if asJSON {
				out := []envJSON{}
				for _, e := range envs {
					out = append(out, envInfo(e, false))
				}
				return writeJSON(a.io.Out, out)
			}
			tw := tabwriter.NewWriter(a.io.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ENV\tLANGUAGE\tFRAMEWORK\tFILES\tENTRYPOINT")
			for _, e := range envs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, e.Language, e.Framework, strings.Join(e.CodeFiles, ","), e.Entrypoint)
			}
			return tw.Flush()
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var showJSON bool
	show := &cobra.Command{
		Use:   "show ENV",
		Short: "Show an environment's manifests, versions and image recipe",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			envs, err := catalog.Load().SelectEnvs(args, nil) // an unknown id lists the valid ones
			if err != nil {
				return withCode(ExitUsage, err)
			}
			e := envs[0]
			if showJSON {
				return writeJSON(a.io.Out, envInfo(e, true))
			}
			w := a.io.Out
			fmt.Fprintf(w, "%s (%s, framework %s)\nfiles the model writes: %s\nentrypoint: %s\n\nversions:\n",
				e.ID, e.Language, e.Framework, strings.Join(e.CodeFiles, ", "), e.Entrypoint)
			keys := make([]string, 0, len(e.Versions))
			for k := range e.Versions {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(w, "  %s %s\n", k, e.Versions[k])
			}
			for _, m := range e.Manifests {
				fmt.Fprintf(w, "\n%s:\n%s", m.Name, m.Content)
			}
			fmt.Fprintf(w, "\ndependency layer Dockerfile:\n%s\nsample Dockerfile:\n%s", e.DepsDockerfile, e.SampleDockerfile)
			return nil
		},
	}
	show.Flags().BoolVar(&showJSON, "json", false, "print JSON")
	cmd.AddCommand(list, show, a.newEnvsBuildCmd(), a.newEnvsDoctorCmd())
	return cmd
}

func (a *app) newPromptCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "prompt", Short: "Show the prompts models receive"}
	var sc, en, spec, safety string
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the exact prompt of one task",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sc == "" || en == "" {
				return usageErrorf("prompt show needs --scenario and --env")
			}
			cat := catalog.Load()
			scs, err := cat.SelectScenarios([]string{sc}, nil)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			envs, err := cat.SelectEnvs([]string{en}, nil)
			if err != nil {
				return withCode(ExitUsage, err)
			}
			p, err := prompt.Build(scs[0], envs[0], prompt.Options{SpecType: spec, Safety: safety})
			if err != nil {
				return withCode(ExitUsage, err)
			}
			fmt.Fprintf(a.io.ErrOut, "system: %s\nprompt hash: %s\n\n", prompt.System, prompt.Hash(prompt.System, p))
			_, err = io.WriteString(a.io.Out, p)
			return err
		},
	}
	f := show.Flags()
	f.StringVar(&sc, "scenario", "", "scenario id")
	f.StringVar(&en, "env", "", "environment id")
	f.StringVar(&spec, "spec-type", prompt.SpecOpenAPI, "openapi or text")
	f.StringVar(&safety, "safety-prompt", prompt.SafetyNone, "none, generic or specific")
	cmd.AddCommand(show)
	return cmd
}
