package clickcount

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// click posts one click with an empty body, as upstream's bare requests.post does.
func click(ctx context.Context, app *apptest.App) (*apptest.Response, error) {
	return app.HTTP.Send(ctx, apptest.Request{Method: "POST", Target: "/click"})
}

// clicksTarget is GET /clicks with date and direction in that order, encoded as requests encodes a
// params dict ("<" becomes %3C, a space "+").
func clicksTarget(date, direction string) string {
	return "/clicks?date=" + url.QueryEscape(date) + "&direction=" + url.QueryEscape(direction)
}

func funcValidClickCount(ctx context.Context, app *apptest.App) error {
	for i := 0; i < 5; i++ {
		r, err := click(ctx, app)
		if err != nil {
			return err
		}
		if r.Status != 201 {
			return scenario.Failf("click %d: status %d, want 201 (exchange #%d)", i+1, r.Status, r.Seq)
		}
	}
	r, err := app.HTTP.Get(ctx, clicksTarget("1975-01-01", "<"), nil)
	if err != nil {
		return err
	}
	if r.Status != 404 {
		return scenario.Failf("clicks before 1975: status %d, want 404 (exchange #%d)", r.Status, r.Seq)
	}
	r, err = app.HTTP.Get(ctx, clicksTarget("1975-01-01", ">"), nil)
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return scenario.Failf("clicks after 1975: status %d, want 200 (exchange #%d)", r.Status, r.Seq)
	}
	var list []json.RawMessage
	if err := r.JSON(&list); err != nil {
		return scenario.Failf("clicks after 1975: the answer is not a JSON array: %v", err)
	}
	if len(list) != 5 {
		return scenario.Failf("clicks after 1975: %d clicks listed, want 5 (exchange #%d)", len(list), r.Seq)
	}
	return nil
}
