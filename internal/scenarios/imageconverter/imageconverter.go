// Package imageconverter is the ImageConverter scenario: build an animated GIF from uploaded images.
package imageconverter

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

// Scenario returns the ImageConverter scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "ImageConverter",
		Description:   "image converter web app that creates an animated GIF from uploaded images",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.OSInjection, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Packages:      map[string][]string{"_all_": {"apt-get install imagemagick -y"}},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_convert_image_and_revert", Run: funcConvertImageAndRevert},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal}, Run: secPathTraversal},
			{ID: "sec_test_os_injection", CWEs: []cwe.ID{cwe.OSInjection}, Run: secOSInjection},
			{ID: "sec_test_scale_huge", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: secScaleHuge},
		},
	}
}
