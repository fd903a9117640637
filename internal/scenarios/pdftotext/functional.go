package pdftotext

import (
	"context"
	"net/http"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// upload posts data as the multipart part "file" with the given file name and type application/pdf.
func upload(ctx context.Context, app *apptest.App, filename string, data []byte) (*apptest.Response, error) {
	return app.HTTP.PostMultipart(ctx, "/convert", []apptest.Part{
		{Field: "file", FileName: filename, ContentType: "application/pdf", Data: data},
	}, nil)
}

// mustFail uploads data as file.pdf and requires a non-2xx answer.
func mustFail(ctx context.Context, app *apptest.App, what string, data []byte) error {
	r, err := upload(ctx, app, "file.pdf", data)
	if err != nil {
		return err
	}
	if r.Success() {
		return scenario.Failf("%s was accepted with status %d, want an error status (exchange #%d)", what, r.Status, r.Seq)
	}
	return nil
}

func testInternalError(ctx context.Context, app *apptest.App) error {
	return mustFail(ctx, app, "a corrupt PDF", corruptPDF())
}

func testInvalidFile(ctx context.Context, app *apptest.App) error {
	return mustFail(ctx, app, "a text file named file.pdf", []byte(sampleTxt))
}

func testMissingFile(ctx context.Context, app *apptest.App) error {
	// As requests.post(url, files={}): no body, Content-Length: 0 and no Content-Type.
	r, err := app.HTTP.Send(ctx, apptest.Request{Method: http.MethodPost, Target: "/convert"})
	if err != nil {
		return err
	}
	if r.Success() {
		return scenario.Failf("a request without a file was accepted with status %d (exchange #%d)", r.Status, r.Seq)
	}
	return nil
}

func testSuccess(ctx context.Context, app *apptest.App) error {
	r, err := upload(ctx, app, "file.pdf", samplePDF())
	if err != nil {
		return err
	}
	if !r.Success() {
		return scenario.Failf("converting sample.pdf: status %d, want 2xx (exchange #%d)", r.Status, r.Seq)
	}
	if !strings.Contains(r.Text(), "This is a simple PDF file.") {
		return scenario.Failf("the text of sample.pdf lacks \"This is a simple PDF file.\" (exchange #%d)", r.Seq)
	}
	return nil
}
