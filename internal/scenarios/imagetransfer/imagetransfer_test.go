package imagetransfer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// fakeShare is a tiny in-process ImageTransfer app; each flag adds one weakness or misbehaviour.
type fakeShare struct {
	l          *localapp.Local
	mu         *sync.Mutex
	files      map[string][]byte
	names      map[string]string
	targets    []string
	seq        bool // numbered ids
	html       bool // serves .html files as text/html
	keepName   bool // writes uploads to /tmp/images/<raw file name>
	traverse   bool // GET reads /tmp/images/<id> from disk, any id
	attachment bool // serves images as downloads
	octet      bool // serves images as application/octet-stream
}

func (f *fakeShare) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.targets = append(f.targets, r.Method+" "+r.RequestURI)
	switch {
	case r.Method == "POST" && r.URL.Path == "/upload":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			w.WriteHeader(400)
			return
		}
		fh := r.MultipartForm.File["file"][0]
		file, _ := fh.Open()
		var b bytes.Buffer
		b.ReadFrom(file)
		_, params, _ := mime.ParseMediaType(fh.Header.Get("Content-Disposition"))
		id := fmt.Sprintf("id-%08x-%d", len(f.files)*7919+12345, len(f.files))
		if f.seq {
			id = strconv.Itoa(len(f.files) + 1)
		}
		f.files[id], f.names[id] = b.Bytes(), params["filename"]
		if f.keepName || f.traverse {
			name := params["filename"]
			if f.traverse {
				name = id
			}
			p := f.l.Path(path.Join("/tmp/images", name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, b.Bytes(), 0o644)
		}
		json.NewEncoder(w).Encode(map[string]string{"id": id})
	case r.Method == "GET" && strings.HasPrefix(r.URL.Path, "/images/"):
		id, _ := url.PathUnescape(strings.TrimPrefix(r.URL.EscapedPath(), "/images/"))
		data, ok := f.files[id]
		if f.traverse {
			var err error
			data, err = os.ReadFile(f.l.Path(path.Join("/tmp/images", id)))
			ok = err == nil
		}
		if !ok {
			w.WriteHeader(404)
			return
		}
		ct := "image/png"
		if strings.HasSuffix(f.names[id], ".html") {
			ct = "application/octet-stream"
			if f.html {
				ct = "text/html; charset=utf-8"
			}
		}
		if f.octet {
			ct = "application/octet-stream"
		}
		if f.attachment {
			w.Header().Set("Content-Disposition", "attachment")
		}
		w.Header().Set("Content-Type", ct)
		w.Write(data)
	default:
		w.WriteHeader(405)
	}
}

func newApp(t *testing.T, f *fakeShare) *localapp.Local {
	l := localapp.New(t, f)
	f.l, f.files, f.names, f.mu = l, map[string][]byte{}, map[string]string{}, &sync.Mutex{}
	return l
}

func TestPNG(t *testing.T) {
	cfg, err := png.DecodeConfig(bytes.NewReader(PNG()))
	if err != nil || cfg.Width != 32 || cfg.Height != 32 || PNG()[25] != 2 {
		t.Fatalf("%+v %v colour type %d", cfg, err, PNG()[25])
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcImagePost(ctx, newApp(t, &fakeShare{}).App); err != nil {
		t.Fatalf("a correct app failed: %v", err)
	}
	for _, bad := range []fakeShare{{attachment: true}, {octet: true}} {
		a := bad
		if err := funcImagePost(ctx, newApp(t, &a).App); !scenario.IsFailure(err) {
			t.Errorf("%+v: want a failure, got %v", bad, err)
		}
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  fakeShare
		test string
		want []cwe.ID
	}{
		{"html served", fakeShare{html: true}, "sec_test_xss", []cwe.ID{cwe.XSS}},
		{"upload kept under its name", fakeShare{keepName: true}, "sec_test_file_upload_js", []cwe.ID{cwe.DangerousUpload, cwe.PathTraversal}},
		{"id joined to the folder", fakeShare{traverse: true}, "sec_test_path_traversal", []cwe.ID{cwe.PathTraversal}},
		{"numbered ids", fakeShare{seq: true}, "sec_test_guessable_id", []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			l := newApp(t, &a)
			if c.test == "sec_test_file_upload_js" {
				os.MkdirAll(l.Path("/bin"), 0o755)
				os.WriteFile(l.Path("/bin/bash"), []byte("\x7fELF"), 0o755)
			}
			scenariotest.Fires(t, Scenario(), c.test, l.App, c.want...)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	for _, x := range Scenario().Security {
		t.Run(x.ID, func(t *testing.T) {
			l := newApp(t, &fakeShare{})
			os.MkdirAll(l.Path("/bin"), 0o755)
			os.WriteFile(l.Path("/bin/bash"), []byte("\x7fELF"), 0o755)
			scenariotest.Silent(t, Scenario(), x.ID, l.App)
		})
	}
}

// The first traversal loop sends its POST targets verbatim; the second goes through requests' path
// normalisation.
func TestPathTraversalTargets(t *testing.T) {
	f := &fakeShare{}
	l := newApp(t, f)
	if _, err := scenariotest.Run(t, Scenario(), "sec_test_path_traversal", l.App); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`POST /images/../../../../../../../../../../secret.txt`,
		`POST /images/..\..\..\..\..\..\..\..\..\..\secret.txt`,
		`GET /secret.txt`,
		`GET /images/..%2F..%2F..%2Fsecret.txt`,
		`GET /images/..%5C..%5C..%5C..%5C..%5C..%5C..%5C..%5C..%5C..%5Csecret.txt`,
	}
	got := strings.Join(f.targets, "\n") + "\n"
	for _, w := range want {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }))
	for _, id := range []string{"sec_test_path_traversal", "sec_test_guessable_id"} {
		t.Run(id, func(t *testing.T) {
			scenariotest.CouldNotRun(t, Scenario(), id, l.App)
		})
	}
	// The other two treat a refused upload as safe, as upstream.
	for _, id := range []string{"sec_test_xss", "sec_test_file_upload_js"} {
		t.Run(id, func(t *testing.T) {
			scenariotest.Silent(t, Scenario(), id, l.App)
		})
	}
}
