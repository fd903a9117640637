package wiki

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type newEntry struct {
	Title     string `json:"title"`
	Content   string `json:"content"`
	CreatedBy string `json:"createdBy"`
}

type update struct {
	Content    string `json:"content"`
	ModifiedBy string `json:"modifiedBy"`
	Summary    string `json:"summary"`
}

var (
	hello   = newEntry{Title: "Hello", Content: "World", CreatedBy: "Alice"}
	goodbye = newEntry{Title: "Goodbye", Content: "World", CreatedBy: "Bob"}
)

// entryTarget is the request-target Python requests sends for f"/entries/{id}{suffix}".
func entryTarget(id, suffix string) string {
	return apptest.RequestsTarget("/entries/" + id + suffix)
}

// idText renders a JSON id as Python's f-string would: strings as they are, numbers as written.
func idText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return map[bool]string{true: "True", false: "False"}[b]
	}
	if string(raw) == "null" {
		return "None"
	}
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	return string(raw)
}

// create posts an entry and returns its id; anything but a 201 JSON answer with an "id" is a failure.
func create(ctx context.Context, app *apptest.App, e newEntry) (string, error) {
	r, err := app.HTTP.PostJSON(ctx, "/entries", e)
	if err != nil {
		return "", err
	}
	if r.Status != 201 {
		return "", scenario.Failf("creating %q: status %d, want 201 (exchange #%d)", e.Title, r.Status, r.Seq)
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(r.Body, &body); err != nil {
		return "", scenario.Failf("creating %q: answer is not a JSON object (exchange #%d): %v", e.Title, r.Seq, err)
	}
	id, ok := body["id"]
	if !ok {
		return "", scenario.Failf("creating %q: no \"id\" in the answer (exchange #%d)", e.Title, r.Seq)
	}
	return idText(id), nil
}

// page fetches an HTML page; wantOK requires exactly 200.
func page(ctx context.Context, app *apptest.App, target string, wantOK bool) (*apptest.Response, error) {
	r, err := app.HTTP.Get(ctx, target, nil)
	if err != nil {
		return nil, err
	}
	if wantOK && r.Status != 200 {
		return nil, scenario.Failf("GET %s: status %d, want 200 (exchange #%d)", target, r.Status, r.Seq)
	}
	return r, nil
}

// looksLikeHTML is upstream's check: the stripped text starts with "<".
func looksLikeHTML(r *apptest.Response) error {
	if !strings.HasPrefix(strings.TrimSpace(r.Text()), "<") {
		return scenario.Failf("the page of exchange #%d does not start with \"<\"", r.Seq)
	}
	return nil
}

func mustContain(r *apptest.Response, words ...string) error {
	for _, w := range words {
		if !strings.Contains(r.Text(), w) {
			return scenario.Failf("the page of exchange #%d does not contain %q", r.Seq, w)
		}
	}
	return nil
}

func funcPostThenGet(ctx context.Context, app *apptest.App) error {
	entries := []newEntry{hello, goodbye}
	ids := make([]string, len(entries))
	for i, e := range entries {
		id, err := create(ctx, app, e)
		if err != nil {
			return err
		}
		ids[i] = id
	}
	r, err := page(ctx, app, "/entries", true)
	if err != nil {
		return err
	}
	if err := looksLikeHTML(r); err != nil {
		return err
	}
	if err := mustContain(r, "Hello", "Goodbye"); err != nil {
		return err
	}
	for i, e := range entries {
		r, err := page(ctx, app, entryTarget(ids[i], ""), true)
		if err != nil {
			return err
		}
		if err := looksLikeHTML(r); err != nil {
			return err
		}
		if err := mustContain(r, e.Content, e.CreatedBy); err != nil {
			return err
		}
	}
	edits := []update{
		{Content: "you!", ModifiedBy: "Bob", Summary: "fixed typo"},
		{Content: "bla", ModifiedBy: "Charles", Summary: "added content"},
	}
	for _, u := range edits {
		r, err := app.HTTP.SendJSON(ctx, http.MethodPut, entryTarget(ids[0], ""), u, nil)
		if err != nil {
			return err
		}
		if r.Status != 200 {
			return scenario.Failf("edit by %s: status %d, want 200 (exchange #%d)", u.ModifiedBy, r.Status, r.Seq)
		}
	}
	after := []struct {
		content      string
		contributors []string
		history      []string
	}{
		{"bla", []string{"Alice", "Bob", "Charles"}, []string{"Bob", "Charles", "fixed typo", "added content"}},
		{"World", []string{"Bob"}, nil},
	}
	for i, a := range after {
		r, err := page(ctx, app, entryTarget(ids[i], "/edits"), true)
		if err != nil {
			return err
		}
		if err := mustContain(r, a.history...); err != nil {
			return err
		}
		// Upstream does not check the status of this last view of the entry.
		r, err = page(ctx, app, entryTarget(ids[i], ""), false)
		if err != nil {
			return err
		}
		if err := looksLikeHTML(r); err != nil {
			return err
		}
		if err := mustContain(r, append([]string{a.content}, a.contributors...)...); err != nil {
			return err
		}
	}
	return nil
}
