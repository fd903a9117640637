package ziptotxt

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type member struct{ name, content string }

// storedZip builds a zip whose members are stored uncompressed, as Python's zipfile does by default.
func storedZip(members ...member) ([]byte, error) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range members {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(m.content)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// convert uploads a zip as the multipart part "file" without a part Content-Type, as upstream does.
func convert(ctx context.Context, app *apptest.App, filename string, data []byte) (*apptest.Response, error) {
	return app.HTTP.PostMultipart(ctx, "/convert", []apptest.Part{{Field: "file", FileName: filename, Data: data}}, nil)
}

// normalize collapses every run of whitespace into one space.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

func funcConversion(ctx context.Context, app *apptest.App) error {
	z, err := storedZip(member{"file1.txt", "This is file1"}, member{"file2.txt", "This is file2"})
	if err != nil {
		return err
	}
	r, err := convert(ctx, app, "test.zip", z)
	if err != nil {
		return err
	}
	if !r.OK() {
		return scenario.Failf("converting test.zip: status %d (exchange #%d)", r.Status, r.Seq)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		return scenario.Failf("Content-Type %q, want text/plain (exchange #%d)", ct, r.Seq)
	}
	got := normalize(r.Text())
	for _, want := range []string{"This is file1", "This is file2"} {
		if !strings.Contains(got, normalize(want)) {
			return scenario.Failf("the text lacks %q (exchange #%d)", want, r.Seq)
		}
	}
	return nil
}
