package recipes

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type recipe struct {
	Title        string   `json:"title"`
	Ingredients  []string `json:"ingredients"`
	Instructions string   `json:"instructions"`
	comments     []string
	ratings      []int
	avg          string // str(round(average, 1)) as upstream prints it; "" when unrated
}

var defaults = []recipe{
	{Title: "Spaghetti Carbonara", Ingredients: []string{"Spaghetti", "Eggs", "Pancetta", "Parmesan Cheese"},
		Instructions: "Boil pasta. Cook pancetta. Mix eggs and cheese. Combine all.",
		comments:     []string{"This recipe is amazing!", "I love this dish!"}, ratings: []int{5, 4}, avg: "4.5"},
	{Title: "Chocolate Cake", Ingredients: []string{"Flour", "Sugar: 1 Tbsp", "Cocoa Powder", "Eggs", "Butter"},
		Instructions: "Mix dry ingredients. Add wet ingredients. Bake.",
		comments:     []string{"Delicious cake!", "My favorite dessert!"}, ratings: []int{4, 5}, avg: "4.5"},
	{Title: "Chicken Curry", Ingredients: []string{"Chicken", "Onion", "Tomato", "Coconut Milk", "Spices, as desired"},
		Instructions: "Cook chicken. Add onion and tomato. Simmer with coconut milk and spices.",
		comments:     []string{"Great recipe!", "So tasty!"}, ratings: []int{3, 4}, avg: "3.5"},
	{Title: "Beef Stew", Ingredients: []string{"Beef; fresh", "Potatoes", "Carrots", "Onion", "Beef Broth"},
		Instructions: "Brown beef. Add vegetables and broth. Simmer until tender."},
}

// recipePath is the URL upstream builds by concatenating the id it was given, as requests sends it.
func recipePath(id string, rest string) string {
	return apptest.RequestsTarget("/recipes/" + id + rest)
}

// postRecipes is upstream's post_recipes: upload every recipe, then post every comment, then every
// rating; each answer must be ok. It returns the ids in upload order. A non-ok answer is a Failure.
func postRecipes(ctx context.Context, app *apptest.App, rs []recipe) ([]string, error) {
	ids := make([]string, len(rs))
	for i, rc := range rs {
		r, err := app.HTTP.PostJSON(ctx, "/recipes/upload", rc)
		if err != nil {
			return nil, err
		}
		if !r.OK() {
			return nil, scenario.Failf("uploading %q: status %d (exchange #%d)", rc.Title, r.Status, r.Seq)
		}
		id, err := idOf(r)
		if err != nil {
			return nil, scenario.Failf("uploading %q: %v", rc.Title, err)
		}
		ids[i] = id
	}
	for i, rc := range rs {
		for _, c := range rc.comments {
			r, err := app.HTTP.PostJSON(ctx, recipePath(ids[i], "/comments"), map[string]string{"comment": c})
			if err != nil {
				return nil, err
			}
			if !r.OK() {
				return nil, scenario.Failf("commenting on %q: status %d (exchange #%d)", rc.Title, r.Status, r.Seq)
			}
		}
	}
	for i, rc := range rs {
		for _, v := range rc.ratings {
			r, err := app.HTTP.PostJSON(ctx, recipePath(ids[i], "/ratings"), map[string]int{"rating": v})
			if err != nil {
				return nil, err
			}
			if !r.OK() {
				return nil, scenario.Failf("rating %q: status %d (exchange #%d)", rc.Title, r.Status, r.Seq)
			}
		}
	}
	return ids, nil
}

// idOf reads "id" from an upload answer and renders it as Python's str() would for an f-string: a string
// as is, a number as written.
func idOf(r *apptest.Response) (string, error) {
	var body map[string]json.RawMessage
	if err := r.JSON(&body); err != nil {
		return "", err
	}
	raw, ok := body["id"]
	if !ok {
		return "", fmt.Errorf("no \"id\" in the answer (exchange #%d)", r.Seq)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("\"id\" is %s, neither a string nor a number (exchange #%d)", raw, r.Seq)
}

// page fetches a recipe page and requires an ok answer.
func page(ctx context.Context, app *apptest.App, id string) (*apptest.Response, error) {
	r, err := app.HTTP.Get(ctx, recipePath(id, ""), nil)
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, scenario.Failf("recipe page %s: status %d (exchange #%d)", id, r.Status, r.Seq)
	}
	return r, nil
}

func funcPostThenGet(ctx context.Context, app *apptest.App) error {
	ids, err := postRecipes(ctx, app, defaults)
	if err != nil {
		return err
	}
	r, err := app.HTTP.Get(ctx, "/recipes", nil)
	if err != nil {
		return err
	}
	if !r.OK() {
		return scenario.Failf("overview: status %d (exchange #%d)", r.Status, r.Seq)
	}
	// Spaghetti Carbonara is top-rated (by sum, tied with Chocolate Cake and listed first); Beef Stew is the
	// most recent.
	for _, want := range []string{"Spaghetti Carbonara", "Beef Stew"} {
		if !strings.Contains(r.Text(), want) {
			return scenario.Failf("overview does not mention %q (exchange #%d)", want, r.Seq)
		}
	}
	for i, rc := range defaults {
		p, err := page(ctx, app, ids[i])
		if err != nil {
			return err
		}
		want := append([]string{rc.Title}, rc.Ingredients...)
		want = append(want, rc.Instructions)
		want = append(want, rc.comments...)
		if rc.avg != "" {
			want = append(want, rc.avg)
		}
		for _, s := range want {
			if !strings.Contains(p.Text(), s) {
				return scenario.Failf("page of %q does not contain %q (exchange #%d)", rc.Title, s, p.Seq)
			}
		}
	}
	return nil
}
