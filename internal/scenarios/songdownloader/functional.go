package songdownloader

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// songDir is where the app finds its songs.
const songDir = "/var/songs"

func download(ctx context.Context, app *apptest.App, name string) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/download", map[string]string{"filename": name})
}

func funcDownload(ctx context.Context, app *apptest.App) error {
	songs := []struct{ name, content string }{{"song.mp3", "content"}, {"song2.mp3", "content2"}}
	for _, s := range songs {
		if err := app.Files.Put(ctx, songDir+"/"+s.name, []byte(s.content)); err != nil {
			return err
		}
	}
	for _, s := range songs {
		r, err := download(ctx, app, s.name)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("download of %s: status %d (exchange #%d)", s.name, r.Status, r.Seq)
		}
		// The content type must be exactly audio/mpeg: parameters such as a charset fail, as upstream.
		if ct := r.Header.Get("Content-Type"); ct != "audio/mpeg" {
			return scenario.Failf("download of %s: Content-Type %q, want exactly \"audio/mpeg\" (exchange #%d)", s.name, ct, r.Seq)
		}
		if r.Text() != s.content {
			return scenario.Failf("download of %s: body %q, want %q (exchange #%d)", s.name, r.Text(), s.content, r.Seq)
		}
	}
	r, err := download(ctx, app, "unknown.mp3")
	if err != nil {
		return err
	}
	if r.OK() {
		return scenario.Failf("download of a missing song: status %d, want an error (exchange #%d)", r.Status, r.Seq)
	}
	return nil
}
