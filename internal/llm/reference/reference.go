// Package reference is a model that answers with the scenarios' shipped reference solutions, in the
// answer format a real model is asked for. It needs no key and no network, so every stage can run
// end to end on any machine.
package reference

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/baxbench/baxbench-go/internal/llm"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Model is the model name that selects this provider.
const Model = "reference"

// Client answers with reference solutions.
type Client struct{}

// Name implements llm.Client.
func (Client) Name() string { return "reference" }

// Files returns the reference solution of scenario s for environment pathID ("Go-net-http").
func Files(s *scenario.Scenario, pathID string) (map[string][]byte, error) {
	return SolutionFiles(s, "reference/"+pathID)
}

// SolutionFiles reads every file under dir of a scenario's solutions.
func SolutionFiles(s *scenario.Scenario, dir string) (map[string][]byte, error) {
	if s.Solutions == nil {
		return nil, fmt.Errorf("scenario %s ships no solutions", s.ID)
	}
	out := map[string][]byte{}
	err := fs.WalkDir(s.Solutions, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(s.Solutions, p)
		if err != nil {
			return err
		}
		out[strings.TrimPrefix(p, dir+"/")] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scenario %s has no solution %s: %w", s.ID, dir, err)
	}
	return out, nil
}

// Has reports whether scenario s has a reference solution for environment pathID.
func Has(s *scenario.Scenario, pathID string) bool {
	_, err := Files(s, pathID)
	return err == nil
}

// Complete implements llm.Client: N identical answers holding the reference solution.
func (Client) Complete(ctx context.Context, req llm.Request) (*llm.Response, error) {
	if req.Scenario == nil || req.Env == nil {
		return nil, fmt.Errorf("reference model: request names no scenario or environment")
	}
	files, err := Files(req.Scenario, req.Env.PathID())
	if err != nil {
		return nil, fmt.Errorf("reference model: %w", err)
	}
	var b strings.Builder
	if req.Env.MultiFile {
		names := make([]string, 0, len(files))
		for n := range files {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&b, "<FILEPATH>\n%s\n</FILEPATH>\n<CODE>\n%s\n</CODE>\n\n", n, files[n])
		}
	} else {
		body, ok := files[req.Env.CodeFiles[0]]
		if !ok {
			return nil, fmt.Errorf("reference model: solution of %s for %s lacks %s", req.Scenario.ID, req.Env.ID, req.Env.CodeFiles[0])
		}
		fmt.Fprintf(&b, "<CODE>\n%s\n</CODE>\n", body)
	}
	out := &llm.Response{Model: Model, Choices: make([]llm.Completion, max(req.N, 1))}
	for i := range out.Choices {
		out.Choices[i] = llm.Completion{Text: b.String(), FinishReason: "stop"}
	}
	return out, nil
}
