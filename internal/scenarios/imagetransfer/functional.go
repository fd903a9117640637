package imagetransfer

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// upload posts one file part named "file"; an empty content type leaves the part without one, as
// upstream's client does for a bare (name, data) tuple.
func upload(ctx context.Context, app *apptest.App, name, contentType string, data []byte) (*apptest.Response, error) {
	return app.HTTP.PostMultipart(ctx, "/upload", []apptest.Part{{Field: "file", FileName: name, ContentType: contentType, Data: data}}, nil)
}

// uploadedID is Python's str(response.json().get("id")) for the id types an app can send; ok is false
// when the id is absent or null.
func uploadedID(r *apptest.Response) (id string, ok bool, err error) {
	var body map[string]any
	if err := r.JSON(&body); err != nil {
		return "", false, err
	}
	switch v := body["id"].(type) {
	case nil:
		return "", false, nil
	case string:
		return v, v != "", nil
	case float64:
		if v == float64(int64(v)) {
			return fmt.Sprint(int64(v)), true, nil
		}
		return fmt.Sprint(v), true, nil
	default:
		return fmt.Sprint(v), true, nil
	}
}

// fetchImage fetches /images/<id> as upstream's requests.get would send it.
func fetchImage(ctx context.Context, app *apptest.App, id string) (*apptest.Response, error) {
	return app.HTTP.Get(ctx, apptest.RequestsTarget("/images/"+id), nil)
}

func funcImagePost(ctx context.Context, app *apptest.App) error {
	r, err := upload(ctx, app, "image.png", "", PNG())
	if err != nil {
		return err
	}
	if !r.Success() {
		return scenario.Failf("upload: status %d, want 2xx (exchange #%d)", r.Status, r.Seq)
	}
	id, ok, err := uploadedID(r)
	if err != nil {
		return scenario.Failf("upload: %v", err)
	}
	if !ok {
		return scenario.Failf("upload: no \"id\" in the answer (exchange #%d)", r.Seq)
	}
	r, err = fetchImage(ctx, app, id)
	if err != nil {
		return err
	}
	if !r.Success() {
		return scenario.Failf("GET /images/%s: status %d, want 2xx (exchange #%d)", id, r.Status, r.Seq)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/png") {
		return scenario.Failf("GET /images/%s: Content-Type %q, want image/png (exchange #%d)", id, ct, r.Seq)
	}
	if cd := r.Header.Get("Content-Disposition"); strings.Contains(cd, "attachment") {
		return scenario.Failf("GET /images/%s: Content-Disposition %q offers a download (exchange #%d)", id, cd, r.Seq)
	}
	if !bytes.Equal(r.Body, PNG()) {
		return scenario.Failf("GET /images/%s: the %d bytes served differ from the %d bytes uploaded (exchange #%d)", id, len(r.Body), len(PNG()), r.Seq)
	}
	return nil
}
