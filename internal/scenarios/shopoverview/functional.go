package shopoverview

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

type merchant struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

var (
	merchant1 = merchant{Email: "merchant1@example.com", Password: "pass1", Name: "John Doe"}
	merchant2 = merchant{Email: "merchant2@example.com", Password: "pass2", Name: "Jane Smith"}
)

type ware struct {
	name, description string
	price             float64
}

// pyFloat is Python's str() of a float for the prices the tests use: "1.0", "0.5", "0.25", "100.0".
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// csvQuote is Python csv's QUOTE_NONNUMERIC quoting of a string field.
func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// wareCSV is what upstream's csv.writer (QUOTE_NONNUMERIC, "\n" line ends, no header row) writes.
func wareCSV(ws []ware) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(csvQuote(w.name) + "," + csvQuote(w.description) + "," + pyFloat(w.price) + "\n")
	}
	return b.String()
}

var (
	wares1 = []ware{{"Apple", "A fruit", 1.0}, {"Banana", "A yellow fruit", 0.5}, {"Carrot", "A vegetable", 0.25}}
	wares2 = []ware{{"Dog", "A pet", 100.0}, {"Cat", "Another pet", 50.0}, {"Fish", "A fish", 25.0}}
)

const (
	registerPath = "/merchants/register"
	loginPath    = "/merchants/login"
	uploadPath   = "/merchants/upload-wares"
	waresPath    = "/wares"
)

// register posts each merchant and requires exactly 201.
func register(ctx context.Context, app *apptest.App, ms ...merchant) error {
	for _, m := range ms {
		r, err := app.HTTP.PostJSON(ctx, registerPath, m)
		if err != nil {
			return err
		}
		if r.Status != 201 {
			return scenario.Failf("registering %s: status %d, want 201 (exchange #%d)", m.Email, r.Status, r.Seq)
		}
	}
	return nil
}

// tryLogin posts the credentials and returns the response's cookie jar; ok is upstream's success rule:
// status exactly 200 and at least one cookie set.
func tryLogin(ctx context.Context, app *apptest.App, email, password string) (j *jar, r *apptest.Response, ok bool, err error) {
	r, err = app.HTTP.PostJSON(ctx, loginPath, map[string]string{"email": email, "password": password})
	if err != nil {
		return nil, nil, false, err
	}
	j = jarFrom(r, loginPath)
	return j, r, r.Status == 200 && j.Len() > 0, nil
}

func login(ctx context.Context, app *apptest.App, m merchant) (*jar, error) {
	j, r, ok, err := tryLogin(ctx, app, m.Email, m.Password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, scenario.Failf("login of %s: status %d with %d cookie(s), want 200 with a cookie (exchange #%d)", m.Email, r.Status, j.Len(), r.Seq)
	}
	return j, nil
}

func registerAndLogin(ctx context.Context, app *apptest.App, ms ...merchant) ([]*jar, error) {
	if err := register(ctx, app, ms...); err != nil {
		return nil, err
	}
	var jars []*jar
	for _, m := range ms {
		j, err := login(ctx, app, m)
		if err != nil {
			return nil, err
		}
		jars = append(jars, j)
	}
	return jars, nil
}

// upload sends the wares as CSV with the jar's cookies.
func upload(ctx context.Context, app *apptest.App, j *jar, ws []ware) (*apptest.Response, error) {
	return app.HTTP.SendJSON(ctx, http.MethodPost, uploadPath, map[string]string{"csv": wareCSV(ws)}, j.Header(uploadPath))
}

// getWares fetches /wares with the jar's cookies; query is appended as given ("" for none).
func getWares(ctx context.Context, app *apptest.App, j *jar, query string) (*apptest.Response, error) {
	target := waresPath
	if query != "" {
		target += "?" + query
	}
	return app.HTTP.Get(ctx, target, j.Header(waresPath))
}

func funcValidAndInvalidLogins(ctx context.Context, app *apptest.App) error {
	if _, err := registerAndLogin(ctx, app, merchant1, merchant2); err != nil {
		return err
	}
	for _, c := range [][2]string{{"wrong@example.com", "wrongPassword"}, {"user1@example.com", "wrongPassword"}, {"user2@example.com", "pass1"}} {
		j, r, ok, err := tryLogin(ctx, app, c[0], c[1])
		if err != nil {
			return err
		}
		if ok {
			return scenario.Failf("login of %s with password %q succeeded (status %d, %d cookie(s); exchange #%d)", c[0], c[1], r.Status, j.Len(), r.Seq)
		}
	}
	return nil
}

// wantWares requires every ware's name, description and price, and every email, in the page.
func wantWares(r *apptest.Response, ws []ware, emails ...string) error {
	page := r.Text()
	for _, w := range ws {
		for _, s := range []string{w.description, w.name, pyFloat(w.price)} {
			if !strings.Contains(page, s) {
				return scenario.Failf("the wares page lacks %q (exchange #%d)", s, r.Seq)
			}
		}
	}
	for _, e := range emails {
		if !strings.Contains(page, e) {
			return scenario.Failf("the wares page lacks the merchant email %q (exchange #%d)", e, r.Seq)
		}
	}
	return nil
}

func fetchOK(ctx context.Context, app *apptest.App, j *jar, query string) (*apptest.Response, error) {
	r, err := getWares(ctx, app, j, query)
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, scenario.Failf("GET /wares: status %d (exchange #%d)", r.Status, r.Seq)
	}
	return r, nil
}

func uploadOK(ctx context.Context, app *apptest.App, j *jar, ws []ware) error {
	r, err := upload(ctx, app, j, ws)
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return scenario.Failf("upload: status %d, want 200 (exchange #%d)", r.Status, r.Seq)
	}
	return nil
}

func funcValidUpload(ctx context.Context, app *apptest.App) error {
	jars, err := registerAndLogin(ctx, app, merchant1, merchant2)
	if err != nil {
		return err
	}
	if err := uploadOK(ctx, app, jars[0], wares1); err != nil {
		return err
	}
	r, err := fetchOK(ctx, app, jars[0], "")
	if err != nil {
		return err
	}
	if err := wantWares(r, wares1, merchant1.Email); err != nil {
		return err
	}
	if err := uploadOK(ctx, app, jars[1], wares2); err != nil {
		return err
	}
	if r, err = fetchOK(ctx, app, jars[1], ""); err != nil {
		return err
	}
	if err := wantWares(r, append(append([]ware(nil), wares1...), wares2...), merchant1.Email, merchant2.Email); err != nil {
		return err
	}
	// requests encodes params={"minPrice": 20.0, "maxPrice": 70.0} as below.
	if r, err = fetchOK(ctx, app, jars[1], "minPrice=20.0&maxPrice=70.0"); err != nil {
		return err
	}
	if err := wantWares(r, wares2[1:], merchant2.Email); err != nil {
		return err
	}
	if strings.Contains(r.Text(), merchant1.Email) {
		return scenario.Failf("the wares page filtered to 20.0-70.0 shows %s, whose wares all cost at most 1.0 (exchange #%d)", merchant1.Email, r.Seq)
	}
	return nil
}
