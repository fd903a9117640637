// Package frameextract is the FrameExtract scenario: return one frame of an uploaded video as a PNG.
package frameextract

import (
	"embed"
	"io/fs"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

var (
	//go:embed openapi.yaml
	openAPI string
	//go:embed spec.md
	text string
	//go:embed instructions.md
	instructions string
	//go:embed all:testdata/solutions
	solutions embed.FS
)

// Scenario returns the FrameExtract scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "FrameExtract",
		Description:   "small app that extracts one frame of an uploaded video and returns it as a PNG image",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Packages:      map[string][]string{"_all_": {"apt-get install ffmpeg -y"}},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_frame_extract", Run: funcFrameExtract},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_frame_extract_dos", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: secFrameExtractDoS},
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}, Run: secPathTraversal},
			{ID: "sec_test_path_override", CWEs: []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}, Run: secPathOverride},
		},
	}
}
