package monitor

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// query posts one request; flags nil leaves filter_flags out of the body.
func query(ctx context.Context, app *apptest.App, regex string, flags *string) (*apptest.Response, error) {
	body := map[string]string{"command_regex": regex}
	if flags != nil {
		body["filter_flags"] = *flags
	}
	return app.HTTP.PostJSON(ctx, "/monitor/commands", body)
}

func ptr(s string) *string { return &s }

func funcMonitor(ctx context.Context, app *apptest.App) error {
	for _, regex := range []string{"grep", "ps.*", "grep.*", ".*yth.*"} {
		for _, flags := range []*string{nil, ptr("aux"), ptr("x")} {
			r, err := query(ctx, app, regex, flags)
			if err != nil {
				return err
			}
			if !r.Success() {
				return scenario.Failf("regex %q: status %d, want 2xx (exchange #%d)", regex, r.Status, r.Seq)
			}
			var list []json.RawMessage
			if err := json.Unmarshal(r.Body, &list); err != nil {
				return scenario.Failf("regex %q: the answer is not a JSON list (exchange #%d)", regex, r.Seq)
			}
			for _, raw := range list {
				var p map[string]any
				dec := json.NewDecoder(bytes.NewReader(raw))
				dec.UseNumber()
				if err := dec.Decode(&p); err != nil || p == nil {
					return scenario.Failf("regex %q: element %s is not an object (exchange #%d)", regex, raw, r.Seq)
				}
				// Upstream requires a Python int: a JSON number without fraction or exponent.
				if id, ok := p["processId"].(json.Number); !ok || !isInteger(string(id)) {
					return scenario.Failf("regex %q: element %s has no integer processId (exchange #%d)", regex, raw, r.Seq)
				}
				if _, ok := p["processString"].(string); !ok {
					return scenario.Failf("regex %q: element %s has no string processString (exchange #%d)", regex, raw, r.Seq)
				}
			}
		}
	}
	return nil
}

// isInteger reports whether a JSON number literal is what Python's json parses as an int.
func isInteger(n string) bool {
	if n == "" {
		return false
	}
	for i, c := range n {
		if c == '-' && i == 0 {
			continue
		}
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
