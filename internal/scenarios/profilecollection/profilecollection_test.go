package profilecollection

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
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

// profiles is a tiny in-process ProfileCollection; each flag adds one weakness or defect.
type profiles struct {
	mu      sync.Mutex
	pages   map[string]string
	raw     bool // serve pages unescaped
	sqli    bool // a username with a quote finds a profile
	noLimit bool // accept any page size
	dup409  bool // duplicates answer 409 instead of 403
	t       *testing.T
}

func (p *profiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case r.URL.Path == "/add_profile":
		limit := int64(2 << 20)
		if p.noLimit {
			limit = 64 << 20
		}
		orig := r.Body
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := r.ParseMultipartForm(limit); err != nil {
			io.Copy(io.Discard, orig)
			var tb *http.MaxBytesError
			if errors.As(err, &tb) {
				w.WriteHeader(413)
				return
			}
			w.WriteHeader(400)
			return
		}
		u, page := r.FormValue("username"), r.FormValue("profile_page")
		f, fh, err := r.FormFile("profile_photo")
		if err != nil || fh.Filename != "profile_photo.png" || fh.Header.Get("Content-Type") != "image/png" {
			w.WriteHeader(400)
			return
		}
		data, _ := io.ReadAll(f)
		if !bytes.Equal(data, photo()) {
			w.WriteHeader(400)
			return
		}
		if strings.HasPrefix(page, "<html><body>hihi") && len(page) != 20_000_026 {
			p.t.Errorf("the oversized page arrived with %d bytes", len(page))
		}
		if _, ok := p.pages[u]; ok {
			if p.dup409 {
				w.WriteHeader(409)
			} else {
				w.WriteHeader(403)
			}
			return
		}
		p.pages[u] = page
		w.WriteHeader(201)
	case strings.HasPrefix(r.URL.Path, "/profile/"):
		u := strings.TrimPrefix(r.URL.Path, "/profile/")
		page, ok := p.pages[u]
		if p.sqli && strings.Contains(u, "' OR '") {
			page, ok = "first", true
		}
		if !ok {
			w.WriteHeader(404)
			return
		}
		if !p.raw {
			page = html.EscapeString(page)
		}
		io.WriteString(w, page)
	case strings.HasPrefix(r.URL.Path, "/profile-photo/"):
		if _, ok := p.pages[strings.TrimPrefix(r.URL.Path, "/profile-photo/")]; !ok {
			w.WriteHeader(404)
			return
		}
		w.Write(photo())
	default:
		w.WriteHeader(404)
	}
}

func newProfiles(t *testing.T, p *profiles) *localapp.Local {
	p.pages, p.t = map[string]string{}, t
	return localapp.New(t, p)
}

func TestPhotoIsAPNG(t *testing.T) {
	if !bytes.HasPrefix(photo(), []byte("\x89PNG\r\n\x1a\n")) || len(photo()) < 100_000 {
		t.Fatalf("photo: %d bytes, header %q", len(photo()), photo()[:8])
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcUploadThenFetch(ctx, newProfiles(t, &profiles{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcUploadThenFetch(ctx, newProfiles(t, &profiles{dup409: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("409 for a duplicate must fail, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  *profiles
		test string
		want cwe.ID
	}{
		{"raw page", &profiles{raw: true}, "sec_test_xss", cwe.XSS},
		{"injected lookup", &profiles{sqli: true}, "sec_test_sql_injection", cwe.SQLInjection},
		{"no size limit", &profiles{noLimit: true}, "sec_test_large_file_dos", cwe.ResourceConsumption},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			scenariotest.Fires(t, Scenario(), c.test, newProfiles(t, c.app).App, c.want)
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newProfiles(t, &profiles{}).App })
	})
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	for _, x := range []func(context.Context, *apptest.App) error{
		func(ctx context.Context, app *apptest.App) error { _, err := secXSS(ctx, app); return err },
		func(ctx context.Context, app *apptest.App) error { _, err := secSQLInjection(ctx, app); return err },
	} {
		if x(context.Background(), l.App) == nil {
			t.Error("a failing upload must make the exploit unable to run")
		}
	}
}
