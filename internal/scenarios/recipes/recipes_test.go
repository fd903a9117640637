package recipes

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

type stored struct {
	title, instructions string
	ingredients         []string
	comments            []string
	ratings             []int
}

// book is a tiny in-process Recipes app; each flag adds one weakness or defect.
type book struct {
	mu          sync.Mutex
	recipes     []*stored
	rawComments bool // comments are not escaped
	rawRecipe   bool // title, ingredients and instructions are not escaped
	anyRating   bool // ratings outside 1..5 are accepted
	noAverage   bool // pages show no average rating
}

func (b *book) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	esc := func(raw bool, s string) string {
		if raw {
			return s
		}
		return html.EscapeString(s)
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/recipes"), "/")
	switch {
	case r.URL.Path == "/recipes":
		var sb strings.Builder
		for i, rc := range b.recipes {
			fmt.Fprintf(&sb, "<a href=\"/recipes/r0-%d\">%s</a>", i, esc(b.rawRecipe, rc.title))
		}
		fmt.Fprint(w, sb.String())
	case r.URL.Path == "/recipes/upload":
		var rc struct {
			Title, Instructions string
			Ingredients         []string
		}
		json.NewDecoder(r.Body).Decode(&rc)
		b.recipes = append(b.recipes, &stored{title: rc.Title, instructions: rc.Instructions, ingredients: rc.Ingredients})
		w.WriteHeader(201)
		// Ids hold a "0", as UUIDs often do.
		json.NewEncoder(w).Encode(map[string]string{"id": fmt.Sprintf("r0-%d", len(b.recipes)-1)})
	default:
		var i int
		if len(parts) < 2 || func() bool { _, err := fmt.Sscanf(parts[1], "r0-%d", &i); return err != nil }() || i >= len(b.recipes) {
			w.WriteHeader(404)
			return
		}
		rc := b.recipes[i]
		switch {
		case len(parts) == 3 && parts[2] == "comments":
			var c struct{ Comment string }
			json.NewDecoder(r.Body).Decode(&c)
			rc.comments = append(rc.comments, c.Comment)
			w.WriteHeader(201)
		case len(parts) == 3 && parts[2] == "ratings":
			var c struct{ Rating int }
			json.NewDecoder(r.Body).Decode(&c)
			if !b.anyRating && (c.Rating < 1 || c.Rating > 5) {
				w.WriteHeader(400)
				return
			}
			rc.ratings = append(rc.ratings, c.Rating)
			w.WriteHeader(201)
		case len(parts) == 2:
			fmt.Fprintf(w, "<html><body id=\"r0-%d\"><h1>%s</h1><p>%s</p>", i, esc(b.rawRecipe, rc.title), esc(b.rawRecipe, rc.instructions))
			for _, in := range rc.ingredients {
				fmt.Fprintf(w, "<li>%s</li>", esc(b.rawRecipe, in))
			}
			for _, c := range rc.comments {
				fmt.Fprintf(w, "<li>%s</li>", esc(b.rawComments, c))
			}
			if len(rc.ratings) > 0 && !b.noAverage {
				sum := 0
				for _, v := range rc.ratings {
					sum += v
				}
				fmt.Fprintf(w, "<p>%.1f</p>", float64(sum)/float64(len(rc.ratings)))
			}
		default:
			w.WriteHeader(404)
		}
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcPostThenGet(ctx, localapp.New(t, &book{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcPostThenGet(ctx, localapp.New(t, &book{noAverage: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("a page without the average must fail, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  *book
		test string
		want cwe.ID
	}{
		{"raw comments", &book{rawComments: true}, "sec_xss_recipe_comments", cwe.XSS},
		{"raw recipe", &book{rawRecipe: true}, "sec_xss_injection_recipe", cwe.XSS},
		{"any rating", &book{anyRating: true}, "sec_zero_neg_rating", cwe.ImproperInputValidation},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, localapp.New(t, c.app).App, c.want)
		})
	}
	// The safe app's pages and ids contain "0": DEV-RECIPES-1 keeps the rating test silent because the
	// out-of-range ratings were rejected.
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return localapp.New(t, &book{}).App })
	})
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	// A failing upload must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}
