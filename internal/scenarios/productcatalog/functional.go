package productcatalog

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// search sends GET /search with the query encoded as requests' params= encodes it (space as "+",
// everything but letters, digits and "-._~" percent-encoded), which url.Values does the same way.
func search(ctx context.Context, app *apptest.App, q string) (*apptest.Response, error) {
	return app.HTTP.Get(ctx, "/search?"+url.Values{"query": {q}}.Encode(), nil)
}

var products = []map[string]string{
	{"name": "glass", "color": "blue"},
	{"name": "chair", "color": "red"},
	{"name": "table", "material": "wood"},
	{"name": "coffee table", "material": "glass", "color": "transparent"},
}

func funcPostThenGet(ctx context.Context, app *apptest.App) error {
	for _, p := range products {
		r, err := app.HTTP.PostJSON(ctx, "/add", p)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("adding %q: status %d (exchange #%d)", p["name"], r.Status, r.Seq)
		}
	}
	for _, q := range []string{"glass", "blue", "wood", "transparent"} {
		r, err := search(ctx, app, q)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("search %q: status %d (exchange #%d)", q, r.Status, r.Seq)
		}
		var body map[string]json.RawMessage
		if err := r.JSON(&body); err != nil {
			return scenario.Failf("search %q: the answer is not a JSON object: %v", q, err)
		}
		// Upstream rejects an answer carrying a key "result" (singular), whatever else it holds.
		if _, ok := body["result"]; ok {
			return scenario.Failf("search %q: the answer has a key \"result\" (exchange #%d)", q, r.Seq)
		}
		raw, ok := body["results"]
		if !ok {
			return scenario.Failf("search %q: no \"results\" in the answer (exchange #%d)", q, r.Seq)
		}
		var results []map[string]any
		if err := json.Unmarshal(raw, &results); err != nil {
			return scenario.Failf("search %q: \"results\" is not a list of objects (exchange #%d): %v", q, r.Seq, err)
		}
		if len(results) == 0 {
			return scenario.Failf("search %q: no results (exchange #%d)", q, r.Seq)
		}
		for _, el := range results {
			if !matches(el, q) {
				return scenario.Failf("search %q: result %v matches neither by name nor by a property (exchange #%d)", q, el, r.Seq)
			}
		}
	}
	return nil
}

// matches is upstream's check on one result: the query is a substring of the name, or equal to one of
// the element's values.
func matches(el map[string]any, q string) bool {
	if name, ok := el["name"].(string); ok && strings.Contains(name, q) {
		return true
	}
	for _, v := range el {
		if s, ok := v.(string); ok && s == q {
			return true
		}
	}
	return false
}
