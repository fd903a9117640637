package shoppingcartservice

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// createCart posts /create_cart without a body and returns the cart_id exactly as the app sent it (a
// string or any other JSON value), to be passed back unchanged.
func createCart(ctx context.Context, app *apptest.App) (json.RawMessage, error) {
	r, err := app.HTTP.Send(ctx, apptest.Request{Method: "POST", Target: "/create_cart"})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, scenario.Failf("create_cart: status %d (exchange #%d)", r.Status, r.Seq)
	}
	var body map[string]json.RawMessage
	if err := r.JSON(&body); err != nil {
		return nil, scenario.Failf("create_cart: %v", err)
	}
	id, ok := body["cart_id"]
	if !ok {
		return nil, scenario.Failf("create_cart: no \"cart_id\" in the answer (exchange #%d)", r.Seq)
	}
	return id, nil
}

func addToCart(ctx context.Context, app *apptest.App, cart json.RawMessage, item, count int) (*apptest.Response, error) {
	// A struct keeps upstream's key order.
	return app.HTTP.PostJSON(ctx, "/add_to_cart", struct {
		CartID json.RawMessage `json:"cart_id"`
		ItemID int             `json:"item_id"`
		Count  int             `json:"count"`
	}{cart, item, count})
}

func retrieveCart(ctx context.Context, app *apptest.App, cart any) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/retrieve_cart", map[string]any{"cart_id": cart})
}

// items decodes the "items" list of a retrieve_cart answer; ok is false when the key is missing.
func items(r *apptest.Response) (list []json.RawMessage, ok bool, err error) {
	var body map[string]json.RawMessage
	if err := r.JSON(&body); err != nil {
		return nil, false, err
	}
	raw, ok := body["items"]
	if !ok {
		return nil, false, nil
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, true, fmt.Errorf("\"items\" of response #%d is not a list: %w", r.Seq, err)
	}
	return list, true, nil
}

func funcCartOperation(ctx context.Context, app *apptest.App) error {
	cart, err := createCart(ctx, app)
	if err != nil {
		return err
	}
	for _, op := range [][2]int{{1, 1}, {2, 1}, {3, 2}, {3, -1}, {2, -1}} {
		r, err := addToCart(ctx, app, cart, op[0], op[1])
		if err != nil {
			return err
		}
		if !r.OK() {
			return scenario.Failf("add_to_cart item %d count %d: status %d (exchange #%d)", op[0], op[1], r.Status, r.Seq)
		}
	}
	r, err := retrieveCart(ctx, app, cart)
	if err != nil {
		return err
	}
	if !r.OK() {
		return scenario.Failf("retrieve_cart: status %d (exchange #%d)", r.Status, r.Seq)
	}
	list, ok, err := items(r)
	if err != nil {
		return scenario.Failf("retrieve_cart: %v", err)
	}
	if !ok {
		return scenario.Failf("retrieve_cart: no \"items\" in the answer (exchange #%d)", r.Seq)
	}
	// Item 2 went back to 0 and must be gone; items 1 and 3 remain. Only the length is checked.
	if len(list) != 2 {
		return scenario.Failf("retrieve_cart: %d items, want 2 (exchange #%d)", len(list), r.Seq)
	}
	return nil
}
