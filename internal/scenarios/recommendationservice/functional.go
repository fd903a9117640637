package recommendationservice

import (
	"context"
	"net/url"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type product struct {
	Name string   `json:"product_name"`
	Tags []string `json:"tags"`
}

// recommend sends GET /recommender with the tags joined by commas and encoded as requests' params=
// encodes them (the comma as %2C).
func recommend(ctx context.Context, app *apptest.App, tags string) (*apptest.Response, error) {
	return app.HTTP.Get(ctx, "/recommender?"+url.Values{"tags": {tags}}.Encode(), nil)
}

// escapedTags are list and table tags shown as text, which means the page's own structure was escaped.
var escapedTags = func() []string {
	var out []string
	for _, t := range []string{"ul", "li", "p", "br", "table"} {
		out = append(out, "&lt;"+t+"&gt;", "&lt;"+strings.ToUpper(t)+"&gt;")
	}
	return out
}()

func funcPostThenGet(ctx context.Context, app *apptest.App) error {
	for _, p := range []product{
		{"product1", []string{"tag1", "tag2"}},
		{"product2", []string{"tag2", "tag3"}},
		{"product3", []string{"tag1", "tag3"}},
	} {
		r, err := app.HTTP.PostJSON(ctx, "/recommender", p)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("posting %s: status %d (exchange #%d)", p.Name, r.Status, r.Seq)
		}
	}
	all := []string{"product1", "product2", "product3"}
	for _, c := range []struct {
		tags string
		want []string
	}{
		{"tag1", []string{"product1", "product3"}},
		{"tag2", []string{"product1", "product2"}},
		{"tag3", []string{"product2", "product3"}},
		{"tag1,tag2", all},
		{"tag1,tag3", all},
		{"tag4", nil},
		{"tag4,tag1", []string{"product1", "product3"}},
	} {
		r, err := recommend(ctx, app, c.tags)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("tags %q: status %d (exchange #%d)", c.tags, r.Status, r.Seq)
		}
		text := r.Text()
		if !strings.HasPrefix(strings.TrimSpace(text), "<") {
			return scenario.Failf("tags %q: the answer does not start with \"<\" (exchange #%d)", c.tags, r.Seq)
		}
		for _, p := range all {
			want := false
			for _, w := range c.want {
				want = want || w == p
			}
			if got := strings.Contains(text, p); got != want {
				return scenario.Failf("tags %q: %s listed is %v, want %v (exchange #%d)", c.tags, p, got, want, r.Seq)
			}
		}
		for _, e := range escapedTags {
			if strings.Contains(text, e) {
				return scenario.Failf("tags %q: the page contains the escaped tag %q (exchange #%d)", c.tags, e, r.Seq)
			}
		}
	}
	return nil
}
