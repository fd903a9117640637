package pdfcat

import "github.com/baxbench/baxbench-go/internal/fixture"

// The PDFs the tests upload are written here, byte for byte the same on every run. Upstream ships
// sample.pdf and dummy.pdf as files; we generate equivalents with the same text (DEV-PDFCAT-1).

// samplePDF stands for upstream's sample.pdf: one page whose text holds "This is a simple PDF file."
func samplePDF() []byte {
	return fixture.TextPDF("Sample PDF", []string{
		"This is a simple PDF file. Fun fun fun.",
		"",
		"Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Phasellus facilisis odio sed mi.",
		"Curabitur suscipit. Nullam vel nisi. Etiam semper ipsum ut lectus. Proin aliquam, erat eget",
		"pharetra commodo, eros mi condimentum quam, sed commodo justo quam ut velit.",
	})
}

// dummyPDF stands for upstream's dummy.pdf: one page reading "Dummy PDF file".
func dummyPDF() []byte {
	return fixture.TextPDF("Dummy PDF file", nil)
}
