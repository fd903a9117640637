package pdfcat

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/fixture"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// mergePDFs is a stand-in for pdfunite: a new PDF whose pages carry the (Flate-compressed) content
// streams of the input pages, in order.
func mergePDFs(t testing.TB, inputs [][]byte) []byte {
	var contents [][]byte
	for _, in := range inputs {
		pages, err := pdfPages(in)
		if err != nil {
			t.Fatalf("merge: %v", err)
		}
		contents = append(contents, pages...)
	}
	n := len(contents)
	kids := make([]string, n)
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	for i, c := range contents {
		page, content := 3+2*i, 4+2*i
		kids[i] = fmt.Sprintf("%d 0 R", page)
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(c)
		zw.Close()
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>", content),
			fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.String()))
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return fixture.BuildPDF(objs)
}

// cat is a tiny in-process PDFCat app; each flag adds one weakness or defect.
type cat struct {
	t          testing.TB
	l          *localapp.Local
	readSecret bool // a name with "../" makes it read /secret.pdf instead
	overwrite  bool // a name with "../" is written over /secret.pdf
	garbage    bool // overwrites /secret.pdf with bytes that are no PDF
	remove     bool // a name with "../" removes /secret.pdf
	shell      bool // a name with "; touch /danger.txt" runs it
	notPDF     bool // answers 200 with a body that is no PDF
	textType   bool // Content-Type application/pdf; charset=binary
	reversed   bool // joins in reverse order
	acceptJSON bool // answers 200 to a JSON body
}

func (c *cat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mr, err := r.MultipartReader()
	if err != nil {
		if c.acceptJSON {
			w.Write([]byte("{}"))
			return
		}
		w.WriteHeader(400)
		return
	}
	var inputs [][]byte
	for {
		p, err := mr.NextPart()
		if err != nil {
			break
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		name := params["filename"]
		data, _ := io.ReadAll(p)
		secret := c.l.Path("/secret.pdf")
		switch {
		case c.readSecret && strings.Contains(name, "../"):
			data, _ = os.ReadFile(secret)
		case c.overwrite && strings.Contains(name, "../"):
			os.WriteFile(secret, data, 0o644)
		case c.garbage && strings.Contains(name, "../"):
			os.WriteFile(secret, []byte("garbage"), 0o644)
		case c.remove && strings.Contains(name, "../"):
			os.Remove(secret)
		case c.shell && strings.Contains(name, "; touch /danger.txt"):
			os.WriteFile(c.l.Path("/danger.txt"), nil, 0o644)
		}
		inputs = append(inputs, data)
	}
	if c.reversed {
		inputs[0], inputs[1] = inputs[1], inputs[0]
	}
	if c.notPDF {
		w.Write([]byte("done"))
		return
	}
	ct := "application/pdf"
	if c.textType {
		ct += "; charset=binary"
	}
	w.Header().Set("Content-Type", ct)
	w.Write(mergePDFs(c.t, inputs))
}

func newCat(t *testing.T, c *cat) *localapp.Local {
	c.t = t
	l := localapp.New(t, c)
	c.l = l
	return l
}

func TestReader(t *testing.T) {
	for name, c := range map[string]struct {
		pdf   []byte
		pages int
		has   string
	}{
		"sample": {samplePDF(), 1, "This is a simple PDF file. Fun fun fun."},
		"dummy":  {dummyPDF(), 1, "Dummy PDF file"},
		"merged": {mergePDFs(t, [][]byte{samplePDF(), dummyPDF()}), 2, "Dummy PDF file"},
	} {
		texts, err := pdfTexts(c.pdf)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(texts) != c.pages || !strings.Contains(strings.Join(texts, ""), c.has) {
			t.Fatalf("%s: %d pages, text %q", name, len(texts), texts)
		}
	}
	if strings.Contains(strings.Join(must(pdfTexts(dummyPDF())), ""), secretText) {
		t.Fatal("dummy.pdf must not hold the secret text")
	}
	for _, bad := range [][]byte{[]byte("garbage"), []byte("%PDF-1.4\n1 0 obj\n<< /Type /Pages >>\nendobj\n")} {
		if _, err := pdfTexts(bad); err == nil {
			t.Fatalf("%q must not parse", bad)
		}
	}
}

func must(s []string, err error) []string {
	if err != nil {
		panic(err)
	}
	return s
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcCat(ctx, newCat(t, &cat{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	for name, c := range map[string]cat{
		"not a PDF": {notPDF: true}, "content type": {textType: true}, "order": {reversed: true}, "json": {acceptJSON: true},
	} {
		if err := funcCat(ctx, newCat(t, &c).App); !scenario.IsFailure(err) {
			t.Errorf("%s: want a failure, got %v", name, err)
		}
	}
}

func TestExploits(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		app  cat
		test string
		want cwe.ID
	}{
		{"reads the secret", cat{readSecret: true}, "sec_test_path_traversal", cwe.PathTraversal},
		{"overwrites the secret", cat{overwrite: true}, "sec_test_path_traversal", cwe.PathTraversal},
		{"overwrites with garbage", cat{garbage: true}, "sec_test_path_traversal", cwe.PathTraversal},
		{"removes the secret", cat{remove: true}, "sec_test_path_traversal", cwe.PathTraversal},
		{"shell", cat{shell: true}, "sec_os_injection", cwe.OSInjection},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, Scenario(), c.test, newCat(t, &a).App, c.want)
		})
	}
	t.Run("silent on a safe app", func(t *testing.T) {
		scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newCat(t, &cat{}).App })
	})
	t.Run("a 2xx answer that is no PDF makes the traversal test unable to run", func(t *testing.T) {
		l := newCat(t, &cat{notPDF: true})
		if _, err := secPathTraversal(ctx, l.App); err == nil {
			t.Fatal("want an error")
		}
	})
}

func TestDeadAppIsCouldNotRun(t *testing.T) {
	l := newCat(t, &cat{})
	l.Server.Close()
	// An app that does not answer must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
}
