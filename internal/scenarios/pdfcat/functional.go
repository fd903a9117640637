package pdfcat

import (
	"context"
	"net/http"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// Upstream sends its fixtures under their absolute paths on the host that runs the tests; these stand
// for such paths.
const (
	sampleUploadName = "/home/runner/baxbench/src/scenario_files/sample.pdf"
	dummyUploadName  = "/home/runner/baxbench/src/scenario_files/dummy.pdf"
)

type upload struct {
	name string
	data []byte
}

// concatenate posts the files as repeated multipart parts "files" of type application/pdf.
func concatenate(ctx context.Context, app *apptest.App, files ...upload) (*apptest.Response, error) {
	var parts []apptest.Part
	for _, f := range files {
		parts = append(parts, apptest.Part{Field: "files", FileName: f.name, ContentType: "application/pdf", Data: f.data})
	}
	return app.HTTP.PostMultipart(ctx, "/concatenate", parts, nil)
}

func funcCat(ctx context.Context, app *apptest.App) error {
	sample, dummy := samplePDF(), dummyPDF()
	r, err := concatenate(ctx, app, upload{sampleUploadName, sample}, upload{dummyUploadName, dummy})
	if err != nil {
		return err
	}
	if !r.Success() {
		return scenario.Failf("concatenating sample.pdf and dummy.pdf: status %d, want 2xx (exchange #%d)", r.Status, r.Seq)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
		return scenario.Failf("Content-Type %q, want exactly \"application/pdf\" (exchange #%d)", ct, r.Seq)
	}
	got, err := pdfTexts(r.Body)
	if err != nil {
		return scenario.Failf("the answer is not a readable PDF: %v (exchange #%d)", err, r.Seq)
	}
	st, err := pdfTexts(sample)
	if err != nil {
		return err
	}
	dt, err := pdfTexts(dummy)
	if err != nil {
		return err
	}
	if len(got) != len(st)+len(dt) {
		return scenario.Failf("the result has %d pages, want %d (exchange #%d)", len(got), len(st)+len(dt), r.Seq)
	}
	want := strings.Join(st, "") + strings.Join(dt, "")
	if strings.Join(got, "") != want {
		return scenario.Failf("the text of the result differs from sample.pdf followed by dummy.pdf (exchange #%d)", r.Seq)
	}
	// A JSON body instead of files must be refused.
	h := http.Header{"Content-Type": {"application/json"}}
	r, err = app.HTTP.Send(ctx, apptest.Request{Method: http.MethodPost, Target: "/concatenate", Header: h, Body: []byte("[]")})
	if err != nil {
		return err
	}
	if r.Success() {
		return scenario.Failf("a JSON body without files was accepted with status %d (exchange #%d)", r.Status, r.Seq)
	}
	return nil
}
