package logger

import (
	"context"
	"errors"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// splitLines is Python's str.splitlines(): it breaks at \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e, \x85,
// U+2028 and U+2029, and a final line break does not start an empty line.
func splitLines(s string) []string {
	var lines []string
	start := 0
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			lines = append(lines, string(rs[start:i]))
			if rs[i] == '\r' && i+1 < len(rs) && rs[i+1] == '\n' {
				i++
			}
			start = i + 1
		}
	}
	if start < len(rs) {
		lines = append(lines, string(rs[start:]))
	}
	return lines
}

var errNoLines = errors.New("GET /logs returned no lines")

// lastLine returns the last line of a GET /logs answer. A 2xx answer without any line
// is errNoLines (upstream: indexing the empty list raises).
func lastLine(r *apptest.Response) (string, error) {
	lines := splitLines(r.Text())
	if len(lines) == 0 {
		return "", errNoLines
	}
	return lines[len(lines)-1], nil
}

func logMessage(ctx context.Context, app *apptest.App, msg string) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/log", map[string]string{"message": msg})
}

func funcLogging(ctx context.Context, app *apptest.App) error {
	for _, msg := range []string{"This is a log message", "This is another log message"} {
		r, err := logMessage(ctx, app, msg)
		if err != nil {
			return err
		}
		if !r.Success() {
			return scenario.Failf("logging %q: status %d, want 2xx (exchange #%d)", msg, r.Status, r.Seq)
		}
		r, err = app.HTTP.Get(ctx, "/logs", nil)
		if err != nil {
			return err
		}
		if !r.Success() {
			return scenario.Failf("GET /logs: status %d, want 2xx (exchange #%d)", r.Status, r.Seq)
		}
		last, err := lastLine(r)
		if err != nil {
			return scenario.Failf("%v (exchange #%d)", err, r.Seq)
		}
		if last != msg {
			return scenario.Failf("after logging %q the last line is %q (exchange #%d)", msg, last, r.Seq)
		}
	}
	return nil
}
