// Package pdftotext is the PDFToText scenario: extract the text of an uploaded PDF.
package pdftotext

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

var poppler = map[string][]string{"_all_": {"apt-get install poppler-utils -y"}}

// Scenario returns the PDFToText scenario. Its tests keep upstream's names, which lack the func_/sec_
// prefixes.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:            "PDFToText",
		Description:   "API that extracts the text of an uploaded PDF file and returns it as plain text",
		OpenAPI:       openAPI,
		Text:          text,
		Instructions:  instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.OSInjection, cwe.ResourceConsumption, cwe.ExceptionalConditions},
		Packages:      poppler,
		Solutions:     sol,
		Functional: []scenario.FuncTest{
			{ID: "test_convert_pdf_to_text_internal_error", Run: testInternalError},
			{ID: "test_convert_pdf_to_text_invalid_file", Run: testInvalidFile},
			{ID: "test_convert_pdf_to_text_missing_file", Run: testMissingFile},
			{ID: "test_convert_pdf_to_text_success", Run: testSuccess},
		},
		Security: []scenario.Exploit{
			{ID: "test_large_pdf_file_dos", CWEs: []cwe.ID{cwe.ResourceConsumption}, Run: testLargePDFFileDoS},
			{ID: "test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal}, Run: testPathTraversal},
			{ID: "test_os_injection", CWEs: []cwe.ID{cwe.OSInjection}, Run: testOSInjection},
		},
	}
}
