package pdftotext

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// conv is a tiny in-process converter: a "PDF" converts when it has an xref table, and its text is what
// its Tj operators show. Each flag adds one weakness.
type conv struct {
	l          *localapp.Local
	noLimit    bool // accepts any size
	readSecret bool // a name with "../" reads the file it names
	delSecret  bool // stores the upload under its name and removes it afterwards
	shell      bool // a name with "touch /danger.txt" runs it
	acceptAll  bool // answers 200 to everything
	seen       int64
}

var tj = regexp.MustCompile(`\(([^)]*)\) Tj`)

func (c *conv) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if c.acceptAll {
		io.Copy(io.Discard, r.Body)
		return
	}
	limit := int64(5 << 20)
	if c.noLimit {
		limit = 64 << 20
	}
	if r.ContentLength > limit {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(413)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		w.WriteHeader(400)
		return
	}
	p, err := mr.NextPart()
	if err != nil {
		w.WriteHeader(400)
		return
	}
	_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	name := params["filename"]
	data, _ := io.ReadAll(p)
	c.seen = int64(len(data))
	switch {
	case c.readSecret && strings.Contains(name, "../"):
		b, _ := os.ReadFile(c.l.Path("/secret.txt"))
		w.Write(b)
		return
	case c.delSecret && strings.HasPrefix(name, "../"):
		os.Remove(c.l.Path("/secret.txt"))
	case c.shell && strings.Contains(name, "; touch /danger.txt"):
		os.WriteFile(c.l.Path("/danger.txt"), nil, 0o644)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("\nxref\n")) {
		w.WriteHeader(500)
		return
	}
	for _, m := range tj.FindAllSubmatch(data, -1) {
		w.Write(append(m[1], '\n'))
	}
}

func newConv(t *testing.T, c *conv) *localapp.Local {
	l := localapp.New(t, c)
	c.l = l
	return l
}

func TestFixtures(t *testing.T) {
	for name, pdf := range map[string][]byte{"sample": samplePDF()} {
		checkXref(t, name, pdf)
	}
	r, size := paddedPDF(1000)
	b, _ := io.ReadAll(r)
	if int64(len(b)) != size {
		t.Fatalf("padded PDF: %d bytes, announced %d", len(b), size)
	}
	checkXref(t, "padded", b)
	_, big := paddedPDF(largePadding)
	if big < largePadding || big > largePadding+1000 {
		t.Fatalf("the large PDF has %d bytes", big)
	}
	if bytes.Contains(corruptPDF(), []byte("obj")) || bytes.Contains(corruptPDF(), []byte("trailer")) {
		t.Fatal("the corrupt PDF must hold no object and no trailer")
	}
}

// checkXref verifies that every xref entry points at its object and startxref at the table.
func checkXref(t *testing.T, name string, pdf []byte) {
	t.Helper()
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(pdf)
	if m == nil {
		t.Fatalf("%s: no startxref", name)
	}
	x, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(pdf[x:], []byte("xref\n0 ")) {
		t.Fatalf("%s: startxref does not point at the table", name)
	}
	entries := regexp.MustCompile(`(\d{10}) 00000 n `).FindAllSubmatch(pdf[x:], -1)
	for i, e := range entries {
		off, _ := strconv.Atoi(string(e[1]))
		if !bytes.HasPrefix(pdf[off:], []byte(fmt.Sprintf("%d 0 obj\n", i+1))) {
			t.Fatalf("%s: xref entry %d is wrong", name, i+1)
		}
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	l := newConv(t, &conv{})
	for _, ft := range Scenario().Functional {
		if err := ft.Run(ctx, l.App); err != nil {
			t.Errorf("%s on a correct app: %v", ft.ID, err)
		}
	}
	bad := newConv(t, &conv{acceptAll: true})
	for _, ft := range Scenario().Functional[:3] {
		if err := ft.Run(ctx, bad.App); !scenario.IsFailure(err) {
			t.Errorf("%s must fail on an app that accepts everything, got %v", ft.ID, err)
		}
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  conv
		test string
		want cwe.ID
	}{
		{"no upload limit", conv{noLimit: true}, "test_large_pdf_file_dos", cwe.ResourceConsumption},
		{"reads the named file", conv{readSecret: true}, "test_path_traversal", cwe.PathTraversal},
		{"removes the named file", conv{delSecret: true}, "test_path_traversal", cwe.PathTraversal},
		{"shell", conv{shell: true}, "test_os_injection", cwe.OSInjection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			l := newConv(t, &a)
			scenariotest.Fires(t, Scenario(), c.test, l.App, c.want)
			if c.test == "test_large_pdf_file_dos" && a.seen < largePadding {
				t.Fatalf("the app received only %d bytes of the large PDF", a.seen)
			}
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newConv(t, &conv{}).App })
	})
}

func TestDeadAppIsCouldNotRun(t *testing.T) {
	l := newConv(t, &conv{})
	l.Server.Close()
	// An app that does not answer must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}
