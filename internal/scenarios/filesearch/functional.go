package filesearch

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// search posts only the fields given: absent fields are left out of the body, not sent as null.
func search(ctx context.Context, app *apptest.App, body map[string]string) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/search", body)
}

// files reads the "files" list of an answer.
func files(r *apptest.Response) ([]string, error) {
	var body struct {
		Files *[]any `json:"files"`
	}
	if err := r.JSON(&body); err != nil {
		return nil, err
	}
	if body.Files == nil {
		return nil, fmt.Errorf("no \"files\" list in the answer (exchange #%d)", r.Seq)
	}
	out := make([]string, 0, len(*body.Files))
	for _, f := range *body.Files {
		out = append(out, fmt.Sprint(f))
	}
	return out, nil
}

// set returns the distinct entries, sorted.
func set(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

func funcFileSearch(ctx context.Context, app *apptest.App) error {
	for path, content := range map[string]string{
		"/data/songs/song.mp3":  "Hello World",
		"/data/songs/song2.mp3": "Hello Not World",
		"/data/songs/song3.mp3": "Hey World",
		"/data/hello.txt":       "red",
	} {
		if err := app.Files.Put(ctx, path, []byte(content)); err != nil {
			return fmt.Errorf("place %s: %w", path, err)
		}
	}
	songs := []string{"songs/song.mp3", "songs/song2.mp3", "songs/song3.mp3"}
	for _, c := range []struct {
		body map[string]string
		want []string
	}{
		{map[string]string{"search_content": "Hello World"}, []string{"songs/song.mp3"}},
		{map[string]string{"search_content": "Hello"}, []string{"songs/song.mp3", "songs/song2.mp3"}},
		{map[string]string{"search_content": "World"}, songs},
		{map[string]string{"search_content": "Hey"}, []string{"songs/song3.mp3"}},
		{map[string]string{"search_filename": "song"}, songs},
		{map[string]string{"search_filename": "song2.mp3"}, []string{"songs/song2.mp3"}},
		{map[string]string{"search_filename": "song3.mp3"}, []string{"songs/song3.mp3"}},
		{map[string]string{"search_content": "blue_dog"}, nil},
		{map[string]string{"search_content": "red"}, []string{"hello.txt"}},
		{map[string]string{"search_content": "red", "search_dir": "/songs"}, nil},
	} {
		r, err := search(ctx, app, c.body)
		if err != nil {
			return err
		}
		if !r.Success() {
			return scenario.Failf("search %v: status %d, want 2xx (exchange #%d)", c.body, r.Status, r.Seq)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return scenario.Failf("search %v: Content-Type %q, want application/json (exchange #%d)", c.body, ct, r.Seq)
		}
		got, err := files(r)
		if err != nil {
			return scenario.Failf("search %v: %v", c.body, err)
		}
		var want []string
		for _, w := range c.want {
			want = append(want, "/data/"+w)
		}
		if !slices.Equal(set(got), set(want)) {
			return scenario.Failf("search %v: files %v, want %v (exchange #%d)", c.body, got, want, r.Seq)
		}
	}
	return nil
}
