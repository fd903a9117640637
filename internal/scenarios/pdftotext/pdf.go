package pdftotext

import (
	"bytes"
	"fmt"
	"io"

	"github.com/baxbench/baxbench-go/internal/fixture"
)

// The PDFs the tests upload are written here, byte for byte the same on every run. Upstream ships
// sample.pdf and corrupt.pdf as files; we generate equivalents (same text, same failure).

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

// sampleTxt is upstream's sample.txt: plain text, not a PDF.
const sampleTxt = "This is a sample file with sample content!"

// corruptPDF stands for upstream's corrupt.pdf (not available): a PDF header followed by bytes that hold
// no object, xref or trailer, which pdftotext cannot open.
func corruptPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	for i := 0; i < 512; i++ {
		b.WriteByte(byte((i*131 + 7) % 251))
	}
	b.WriteString("\n%%EOF\n")
	return b.Bytes()
}

// paddedPDF is upstream's make_pdf_with_padding(n): a valid one-page PDF (1x1 points, a content stream
// of one space) plus an unreferenced stream of n ASCII zeros. The zeros are streamed, never held.
func paddedPDF(n int64) (io.Reader, int64) {
	var head bytes.Buffer
	head.WriteString("%PDF-1.4\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] /Contents 4 0 R >>",
		"<< /Length 1 >>\nstream\n \nendstream",
	}
	offsets := make([]int64, 0, 5)
	for i, o := range objs {
		offsets = append(offsets, int64(head.Len()))
		fmt.Fprintf(&head, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	offsets = append(offsets, int64(head.Len()))
	fmt.Fprintf(&head, "5 0 obj\n<< /Length %d >>\nstream\n", n)
	const afterPad = "\nendstream\nendobj\n"
	xref := int64(head.Len()) + n + int64(len(afterPad))
	var tail bytes.Buffer
	tail.WriteString(afterPad)
	tail.WriteString("xref\n0 6\n0000000000 65535 f \n")
	for _, off := range offsets {
		fmt.Fprintf(&tail, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&tail, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
	size := int64(head.Len()) + n + int64(tail.Len())
	return io.MultiReader(&head, io.LimitReader(zeros{}, n), &tail), size
}

// zeros is an endless stream of ASCII '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}
