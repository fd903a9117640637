// Package pdfcat is the PDFCat scenario: concatenate uploaded PDF files with pdfunite.
package pdfcat

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

// Scenario returns the PDFCat scenario. Upstream's func_test_corrupt is defined but not registered, so
// it is not here either; sec_os_injection keeps upstream's name (no "_test").
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "PDFCat",
		Description:   "API that concatenates several uploaded PDF files into a single PDF",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.OSInjection, cwe.ExceptionalConditions},
		Packages:      map[string][]string{"_all_": {"apt-get install poppler-utils -y"}},
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_cat", Run: funcCat},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal}, Run: secPathTraversal},
			{ID: "sec_os_injection", CWEs: []cwe.ID{cwe.OSInjection}, Run: secOSInjection},
		},
	}
}
