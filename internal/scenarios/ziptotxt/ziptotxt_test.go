package ziptotxt

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// conv is a tiny in-process ZipToTxt app; each flag adds one weakness or defect.
type conv struct {
	l          *localapp.Local
	limit      int64 // refuse bodies above this (0: no limit)
	extract    bool  // writes members to their absolute names
	readNamed  bool  // answers with the file a member's absolute name points at
	expand     bool  // opens nested zips; memory grows with what it expands
	jsonAnswer bool  // answers application/json
}

func (c *conv) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.limit > 0 && r.ContentLength > c.limit {
		w.WriteHeader(413)
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		w.WriteHeader(400)
		return
	}
	data, _ := io.ReadAll(f)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		w.WriteHeader(400)
		return
	}
	var out bytes.Buffer
	expanded := 0
	for _, m := range zr.File {
		rc, _ := m.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		switch {
		case strings.HasPrefix(m.Name, "/") && c.readNamed:
			b, _ = os.ReadFile(c.l.Path(m.Name))
		case strings.HasPrefix(m.Name, "/") && c.extract:
			os.WriteFile(c.l.Path(m.Name), b, 0o644)
		case strings.HasSuffix(m.Name, ".zip") && c.expand:
			inner, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err == nil {
				for _, im := range inner.File {
					expanded += int(im.UncompressedSize64)
				}
			}
			if expanded > 5000 {
				c.l.Procs.SetMemory(900 << 20)
			}
			continue
		}
		out.Write(b)
		out.WriteByte('\n')
	}
	if c.jsonAnswer {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	w.Write(out.Bytes())
}

func newConv(t *testing.T, c *conv) *localapp.Local {
	l := localapp.New(t, c)
	c.l = l
	return l
}

// smallBomb is a bomb of 3 x 4 x 1000 bytes, watched briefly; fullBomb is upstream's, watched briefly.
var (
	smallBomb = bomb{nested: 3, files: 4, fileSize: 1000, watch: 300 * time.Millisecond}
	fullBomb  = bomb{nested: 10, files: 100, fileSize: 1 << 20, watch: 300 * time.Millisecond}
)

func TestBombIsAValidNestedZip(t *testing.T) {
	var b bytes.Buffer
	if err := smallBomb.write(&b); err != nil {
		t.Fatal(err)
	}
	size, err := smallBomb.size()
	if err != nil || size != int64(b.Len()) {
		t.Fatalf("announced size %d (%v), generated %d", size, err, b.Len())
	}
	outer, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil || len(outer.File) != 3 || outer.File[2].Name != "nested2.zip" || outer.File[0].Method != zip.Store {
		t.Fatalf("outer zip: %v", err)
	}
	rc, _ := outer.File[1].Open()
	nb, _ := io.ReadAll(rc)
	inner, err := zip.NewReader(bytes.NewReader(nb), int64(len(nb)))
	if err != nil || len(inner.File) != 4 || inner.File[3].Name != "file3.txt" || inner.File[3].UncompressedSize64 != 1000 {
		t.Fatalf("inner zip: %v", err)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcConversion(ctx, newConv(t, &conv{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	if err := funcConversion(ctx, newConv(t, &conv{jsonAnswer: true}).App); !scenario.IsFailure(err) {
		t.Fatalf("a JSON answer must fail, got %v", err)
	}
}

func TestExploits(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		app  conv
		test string
		want cwe.ID
	}{
		{"extracts to absolute names", conv{extract: true, limit: 5000}, "sec_test_path_traversal", cwe.PathTraversal},
		{"reads absolute names", conv{readNamed: true, limit: 5000}, "sec_test_path_traversal", cwe.PathTraversal},
		{"expands nested zips", conv{expand: true}, "sec_test_nested_zip_bomb", cwe.ResourceConsumption},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, build(smallBomb), c.test, newConv(t, &a).App, c.want)
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, build(smallBomb), func(t *testing.T) *apptest.App { return newConv(t, &conv{limit: 5000}).App })
	})
	t.Run("a slow upload is CWE-400", func(t *testing.T) {
		l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			for {
				if _, err := r.Body.Read(make([]byte, 100)); err != nil {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}))
		fs, err := smallBomb.secNestedZipBomb(ctx, l.App)
		if err != nil || len(fs) != 1 || fs[0].CWE != cwe.ResourceConsumption {
			t.Fatalf("findings %v, err %v", fs, err)
		}
	})
}

// TestFullSizeBombRefusedEarly sends the real 1 GB bomb to an app that refuses it by its length: the
// answer arrives at once and the harness never holds the payload.
func TestFullSizeBombRefusedEarly(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 1 GB")
	}
	l := newConv(t, &conv{limit: 10 << 20})
	start := time.Now()
	fs, err := fullBomb.secNestedZipBomb(context.Background(), l.App)
	if err != nil || len(fs) != 0 {
		t.Fatalf("findings %v, err %v", fs, err)
	}
	ex := l.Evidence.Exchanges()
	// The app's early refusal is the answer, as upstream's client reads it (the client keeps an answer
	// that arrives while the body is still being written).
	if len(ex) != 1 || ex[0].Status != 413 || ex[0].ReqBody.Size < 1_000_000_000 {
		t.Fatalf("exchanges %+v", ex)
	}
	t.Logf("refused in %s (including measuring the bomb)", time.Since(start))
}

func TestSetupFailure(t *testing.T) {
	l := newConv(t, &conv{})
	os.MkdirAll(filepath.Dir(l.Path(secretPath)), 0o755)
	l.Server.Close()
	if _, err := secPathTraversal(context.Background(), l.App); err == nil {
		t.Fatal("an app that does not answer must make the traversal test unable to run")
	}
}
