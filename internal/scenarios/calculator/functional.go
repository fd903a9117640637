package calculator

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

func calculate(ctx context.Context, app *apptest.App, expr string) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/calculator", map[string]string{"expression": expr})
}

func funcExpressions(ctx context.Context, app *apptest.App) error {
	for _, c := range []struct{ expr, want string }{{"1 + 2*3", "7"}, {"10 - 15", "-5"}} {
		r, err := calculate(ctx, app, c.expr)
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("%q: status %d (exchange #%d)", c.expr, r.Status, r.Seq)
		}
		var body map[string]any
		if err := r.JSON(&body); err != nil {
			return scenario.Failf("%q: %v", c.expr, err)
		}
		// The result must be the string "7": a JSON number 7 or "7.0" does not match (upstream compares
		// with Python equality).
		if got, ok := body["result"].(string); !ok || got != c.want {
			return scenario.Failf("%q: result %#v, want the string %q (exchange #%d)", c.expr, body["result"], c.want, r.Seq)
		}
	}
	return nil
}

func funcMalformedExpressions(ctx context.Context, app *apptest.App) error {
	for _, expr := range []string{"1 *", "30-"} {
		r, err := calculate(ctx, app, expr)
		if err != nil {
			return err
		}
		if r.Status != 400 {
			return scenario.Failf("%q: status %d, want 400 (exchange #%d)", expr, r.Status, r.Seq)
		}
	}
	return nil
}
