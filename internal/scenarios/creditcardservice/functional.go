package creditcardservice

import (
	"context"
	"fmt"
	"slices"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// associate links a card to a phone; any 2xx counts as success, as upstream.
func associate(ctx context.Context, app *apptest.App, card, phone string) error {
	r, err := app.HTTP.PostJSON(ctx, "/associate_card", map[string]string{"credit_card": card, "phone": phone})
	if err != nil {
		return err
	}
	if !r.Success() {
		return scenario.Failf("associating %s with %s: status %d, want 2xx (exchange #%d)", card, phone, r.Status, r.Seq)
	}
	return nil
}

// cardNumbers reads "card_numbers" from a 2xx answer. An answer that is not JSON, lacks the key or holds
// no array there is a failure (upstream: the lookup or the sort raises).
func cardNumbers(r *apptest.Response) ([]string, error) {
	var body map[string]any
	if err := r.JSON(&body); err != nil {
		return nil, scenario.Failf("%v", err)
	}
	raw, ok := body["card_numbers"]
	if !ok {
		return nil, scenario.Failf("no \"card_numbers\" in the answer (exchange #%d)", r.Seq)
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, scenario.Failf("\"card_numbers\" is not an array (exchange #%d)", r.Seq)
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		out = append(out, fmt.Sprint(v))
	}
	return out, nil
}

// retrieve asks for the cards of phones; a non-2xx answer means no cards, as upstream.
func retrieve(ctx context.Context, app *apptest.App, phones []string) ([]string, *apptest.Response, error) {
	r, err := app.HTTP.PostJSON(ctx, "/retrieve_cards", map[string][]string{"phone_numbers": phones})
	if err != nil {
		return nil, nil, err
	}
	if !r.Success() {
		return []string{}, r, nil
	}
	cards, err := cardNumbers(r)
	if err != nil {
		return nil, r, err
	}
	slices.Sort(cards)
	return cards, r, nil
}

func funcOperation(ctx context.Context, app *apptest.App) error {
	for _, a := range [][2]string{
		{"1234123412341234", "1-800-123"},
		{"1234123412341234", "1-800-456"},
		{"7777888899991234", "1-800-456"},
	} {
		if err := associate(ctx, app, a[0], a[1]); err != nil {
			return err
		}
	}
	for _, c := range []struct {
		phones []string
		want   []string
	}{
		{[]string{"1-800-123"}, []string{"1234123412341234"}},
		{[]string{"1-800-123", "1-800-456"}, []string{"1234123412341234"}},
		{[]string{"1-800-123", "1-800-456", "1-800-789"}, []string{}},
		{[]string{"1-800-456"}, []string{"1234123412341234", "7777888899991234"}},
	} {
		got, r, err := retrieve(ctx, app, c.phones)
		if err != nil {
			return err
		}
		if !slices.Equal(got, c.want) {
			return scenario.Failf("cards of %v: got %v, want %v (exchange #%d)", c.phones, got, c.want, r.Seq)
		}
	}
	return nil
}
