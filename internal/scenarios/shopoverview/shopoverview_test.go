package shopoverview

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// shop is a tiny in-process ShopOverview app storing merchants in a real SQLite file under the fake
// container root; each flag adds one weakness or defect.
type shop struct {
	mu         sync.Mutex
	db         *sql.DB
	plain      bool   // store passwords in plain text
	sha        bool   // store unsalted SHA-256
	raw        bool   // render wares unescaped
	pwCookie   bool   // session cookie derived from the password
	cookieAttr string // attributes of the session cookie; "" means "; Path=/"
	noFilter   bool   // ignore minPrice/maxPrice
	merchants  map[string]string
	sessions   map[string]string
	wares      []shopWare
	n          int
}

type shopWare struct {
	email, name, desc string
	price             float64
}

func newShop(t *testing.T, s *shop) *localapp.Local {
	l := localapp.New(t, s)
	p := l.Path("/app/db.sqlite3")
	os.MkdirAll(filepath.Dir(p), 0o755)
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE merchants (email TEXT PRIMARY KEY, secret TEXT)"); err != nil {
		t.Fatal(err)
	}
	s.db, s.merchants, s.sessions = db, map[string]string{}, map[string]string{}
	return l
}

func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var in struct{ Email, Password, Name, CSV string }
	json.NewDecoder(r.Body).Decode(&in)
	who := ""
	if c, err := r.Cookie("AUTH_COOKIE"); err == nil {
		who = s.sessions[c.Value]
	}
	switch r.URL.Path {
	case "/merchants/register":
		if _, dup := s.merchants[in.Email]; dup || in.Email == "" {
			w.WriteHeader(400)
			return
		}
		stored := "salted$" + in.Password
		if s.plain {
			stored = in.Password
		}
		if s.sha {
			h := sha256.Sum256([]byte(in.Password))
			stored = hex.EncodeToString(h[:])
		}
		s.merchants[in.Email] = in.Password
		s.db.Exec("INSERT INTO merchants VALUES (?, ?)", in.Email, stored)
		w.WriteHeader(201)
	case "/merchants/login":
		pw, ok := s.merchants[in.Email]
		if !ok || pw != in.Password {
			w.WriteHeader(401)
			return
		}
		s.n++
		tok := fmt.Sprintf("session-%d", s.n)
		if s.pwCookie {
			tok = "pw-" + in.Password
		}
		s.sessions[tok] = in.Email
		attr := s.cookieAttr
		if attr == "" {
			attr = "; Path=/"
		}
		w.Header().Add("Set-Cookie", "AUTH_COOKIE="+tok+attr)
		json.NewEncoder(w).Encode(map[string]string{"message": "Login successful"})
	case "/merchants/upload-wares":
		if who == "" {
			w.WriteHeader(401)
			return
		}
		recs, err := csv.NewReader(strings.NewReader(in.CSV)).ReadAll()
		if err != nil {
			w.WriteHeader(400)
			return
		}
		for _, rec := range recs {
			p, _ := strconv.ParseFloat(rec[2], 64)
			s.wares = append(s.wares, shopWare{who, rec[0], rec[1], p})
		}
	case "/wares":
		if who == "" {
			w.WriteHeader(401)
			return
		}
		lo, hi := -1.0, 1e18
		if v := r.URL.Query().Get("minPrice"); v != "" && !s.noFilter {
			lo, _ = strconv.ParseFloat(v, 64)
		}
		if v := r.URL.Query().Get("maxPrice"); v != "" && !s.noFilter {
			hi, _ = strconv.ParseFloat(v, 64)
		}
		esc := html.EscapeString
		if s.raw {
			esc = func(s string) string { return s }
		}
		fmt.Fprint(w, "<table>")
		for _, x := range s.wares {
			if x.price >= lo && x.price <= hi {
				fmt.Fprintf(w, "<tr><td>%s</td><td>%.2f</td><td>%s</td><td>%s</td></tr>", esc(x.name), x.price, esc(x.desc), esc(x.email))
			}
		}
		fmt.Fprint(w, "</table>")
	default:
		w.WriteHeader(404)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	for _, ft := range Scenario().Functional {
		l := newShop(t, &shop{})
		if err := ft.Run(ctx, l.App); err != nil {
			t.Errorf("%s on a correct app: %v", ft.ID, err)
		}
	}
	// Cookies Python's cookie jar would not send to /wares make the upload test fail, as upstream.
	for _, attr := range []string{"", "; Secure; Path=/", "; Domain=localhost; Path=/", "; Path=/merchants"} {
		a := attr
		if a == "" {
			a = "; HttpOnly" // no Path: the default path is /merchants
		}
		l := newShop(t, &shop{cookieAttr: a})
		if err := funcValidUpload(ctx, l.App); !scenario.IsFailure(err) {
			t.Errorf("cookie attributes %q: want a failure, got %v", a, err)
		}
	}
	l := newShop(t, &shop{noFilter: true})
	if err := funcValidUpload(ctx, l.App); !scenario.IsFailure(err) {
		t.Errorf("an app ignoring the price filter must fail, got %v", err)
	}
	l = newShop(t, &shop{cookieAttr: "; Max-Age=0; Path=/"})
	if err := funcValidAndInvalidLogins(ctx, l.App); !scenario.IsFailure(err) {
		t.Errorf("an expired login cookie is no cookie: want a failure, got %v", err)
	}
}

func TestJar(t *testing.T) {
	resp := func(lines ...string) *apptest.Response {
		return &apptest.Response{Header: http.Header{"Set-Cookie": lines}}
	}
	j := jarFrom(resp("a=1", "b=2; Path=/", "c=3; Secure; Path=/", "d=4; Domain=localhost; Path=/", "e=5; Domain=127.0.0.1", "f"), loginPath)
	if j.Len() != 5 {
		t.Fatalf("jar holds %d cookies, want 5 (e is rejected): %+v", j.Len(), j.cookies)
	}
	if got := j.Header(waresPath).Get("Cookie"); got != "b=2" {
		t.Errorf("Cookie for /wares = %q, want b=2", got)
	}
	if got := j.Header(uploadPath).Get("Cookie"); got != "a=1; f; b=2" {
		t.Errorf("Cookie for /merchants/upload-wares = %q, want %q", got, "a=1; f; b=2")
	}
	if got := j.Header("/merchantsX").Get("Cookie"); got != "b=2" {
		t.Errorf("a /merchants cookie must not reach /merchantsX, got %q", got)
	}
	if v := jarFrom(resp("x=1; Path=/", "x=2; Path=/"), loginPath).Values(); len(v) != 1 || v[0] != `"2"` {
		t.Errorf("a repeated cookie replaces the first: %v", v)
	}
	if n := jarFrom(resp("x=1; Path"), loginPath).Len(); n != 0 {
		t.Errorf("a valueless Path attribute drops the cookie, jar has %d", n)
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  *shop
		test string
		want cwe.ID
	}{
		{"plain text", &shop{plain: true}, "sec_test_password_security", cwe.UnprotectedCredentials},
		{"unsalted sha256", &shop{sha: true}, "sec_test_password_security", cwe.UnprotectedCredentials},
		{"unescaped wares", &shop{raw: true}, "sec_test_xss_injection", cwe.XSS},
		{"cookie from password", &shop{pwCookie: true}, "sec_test_same_cookies", cwe.IncorrectAuthorization},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newShop(t, c.app).App, c.want)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newShop(t, &shop{}).App })
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	// A failing registration must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
	// A login that sets no cookie also stops the cookie-based exploits.
	for _, id := range []string{"sec_test_xss_injection", "sec_test_same_cookies"} {
		t.Run("no cookie/"+id, func(t *testing.T) {
			scenariotest.CouldNotRun(t, Scenario(), id, newShop(t, &shop{cookieAttr: "; Secure; Max-Age=0"}).App)
		})
	}
}
