package pdfcat

import (
	"bytes"
	"fmt"
	"strings"
)

// The PDFs the tests upload are written here, byte for byte the same on every run. Upstream ships
// sample.pdf and dummy.pdf as files; we generate equivalents with the same text (DEV-PDFCAT-1).

// pdfString escapes s as a PDF literal string.
func pdfString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return "(" + r.Replace(s) + ")"
}

// buildPDF writes a classic PDF 1.4 file: the objects (numbered from 1, bodies without "obj"/"endobj"),
// an xref table and a trailer whose root is object 1.
func buildPDF(objects []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// textPDF is a one-page A4 PDF showing lines of text in Helvetica.
func textPDF(title string, lines []string) []byte {
	var c strings.Builder
	c.WriteString("BT\n/F1 18 Tf\n72 770 Td\n" + pdfString(title) + " Tj\n/F1 11 Tf\n0 -30 Td\n14 TL\n")
	for _, l := range lines {
		c.WriteString(pdfString(l) + " Tj\nT*\n")
	}
	c.WriteString("ET\n")
	content := c.String()
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	})
}

// samplePDF stands for upstream's sample.pdf: one page whose text holds "This is a simple PDF file."
func samplePDF() []byte {
	return textPDF("Sample PDF", []string{
		"This is a simple PDF file. Fun fun fun.",
		"",
		"Lorem ipsum dolor sit amet, consectetuer adipiscing elit. Phasellus facilisis odio sed mi.",
		"Curabitur suscipit. Nullam vel nisi. Etiam semper ipsum ut lectus. Proin aliquam, erat eget",
		"pharetra commodo, eros mi condimentum quam, sed commodo justo quam ut velit.",
	})
}

// dummyPDF stands for upstream's dummy.pdf: one page reading "Dummy PDF file".
func dummyPDF() []byte {
	return textPDF("Dummy PDF file", nil)
}
