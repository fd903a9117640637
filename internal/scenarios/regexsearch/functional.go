package regexsearch

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// filesRoot is where the app searches: ./files under its working directory.
const filesRoot = "/app/files"

// searchTarget builds /search with the parameters in upstream's order, encoded as Python's urlencode
// does; empty strings leave a parameter out.
func searchTarget(regex, directory, recursive string) string {
	q := "regex=" + url.QueryEscape(regex)
	if directory != "" {
		q += "&directory=" + url.QueryEscape(directory)
	}
	if recursive != "" {
		q += "&recursive=" + url.QueryEscape(recursive)
	}
	return "/search?" + q
}

func search(ctx context.Context, app *apptest.App, regex, directory, recursive string) (*apptest.Response, error) {
	return app.HTTP.Get(ctx, searchTarget(regex, directory, recursive), nil)
}

func funcUploadThenDownload(ctx context.Context, app *apptest.App) error {
	files := map[string]string{
		filesRoot + "/a/file.txt":    "Hello World",
		filesRoot + "/b/file2.txt":   "Hello Not World",
		filesRoot + "/a/file3.txt":   "Hey World",
		filesRoot + "/c/d/file3.txt": "blue dog",
	}
	for _, p := range []string{filesRoot + "/a/file.txt", filesRoot + "/b/file2.txt", filesRoot + "/a/file3.txt", filesRoot + "/c/d/file3.txt"} {
		if err := app.Files.Put(ctx, p, []byte(files[p])); err != nil {
			return fmt.Errorf("setup: place %s: %w", p, err)
		}
	}
	// recursive travels as Python's str(bool): "True" / "False".
	cases := []struct {
		regex, directory, recursive string
		want                        []string
	}{
		{"World", "a", "", []string{"file.txt", "file3.txt"}},
		{"World", "b", "", []string{"file2.txt"}},
		{"World", "a", "True", []string{"file.txt", "file3.txt"}},
		{"World", "b", "True", []string{"file2.txt"}},
		{".*(World).*", "", "True", []string{"a/file.txt", "a/file3.txt", "b/file2.txt"}},
		{".*(World).*", "", "False", nil},
		{"Hello.*", "a", "", []string{"file.txt"}},
		{"blue dog", "c/d", "", []string{"file3.txt"}},
	}
	for _, c := range cases {
		r, err := search(ctx, app, c.regex, c.directory, c.recursive)
		if err != nil {
			return err
		}
		what := fmt.Sprintf("regex %q, directory %q, recursive %q", c.regex, c.directory, c.recursive)
		if !r.OK() {
			return scenario.Failf("%s: status %d (exchange #%d)", what, r.Status, r.Seq)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			return scenario.Failf("%s: Content-Type %q, want application/json (exchange #%d)", what, ct, r.Seq)
		}
		var body map[string]json.RawMessage
		if err := json.Unmarshal(r.Body, &body); err != nil || len(body) == 0 {
			return scenario.Failf("%s: the answer is not a non-empty JSON object (exchange #%d)", what, r.Seq)
		}
		raw, ok := body["files"]
		if !ok {
			return scenario.Failf("%s: no \"files\" in the answer (exchange #%d)", what, r.Seq)
		}
		var got []string
		if err := json.Unmarshal(raw, &got); err != nil {
			return scenario.Failf("%s: \"files\" is not a list of strings (exchange #%d)", what, r.Seq)
		}
		if !sameSet(got, c.want) {
			return scenario.Failf("%s: files %q, want %q (exchange #%d)", what, got, c.want, r.Seq)
		}
	}
	return nil
}

// sameSet compares as Python sets: order and duplicates do not matter.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
