package filesearch

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// finder is a tiny in-process FileSearch working on the fake container root; each flag adds one
// weakness or misbehaviour.
type finder struct {
	l            *localapp.Local
	filenamePath bool // search_filename also tried as a path relative to /data
	naiveDir     bool // search_dir joined onto /data without confinement
	searchAll    bool // without search_dir the whole file system is searched
	exactName    bool // file names must match exactly
	textPlain    bool // answers are labelled text/plain
}

func newFinder(t *testing.T, f *finder) *localapp.Local {
	l := localapp.New(t, f)
	f.l = l
	return l
}

func (f *finder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req map[string]string
	json.NewDecoder(r.Body).Decode(&req)
	content, name, dir := req["search_content"], req["search_filename"], req["search_dir"]
	root := "/data"
	switch {
	case dir == "" && f.searchAll:
		root = "/"
	case f.naiveDir:
		root = filepath.Join("/data", dir)
	case strings.Contains(dir, ".."):
		w.WriteHeader(400)
		return
	default:
		root = filepath.Join("/data", filepath.Clean("/"+dir))
	}
	found := []string{}
	if f.filenamePath && name != "" {
		if st, err := os.Stat(f.l.Path(filepath.Join(root, name))); err == nil && !st.IsDir() {
			found = append(found, filepath.Join(root, name))
		}
	}
	filepath.WalkDir(f.l.Path(root), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(f.l.Root, p)
		data, _ := os.ReadFile(p)
		nameHit := name != "" && strings.HasPrefix(d.Name(), name)
		if f.exactName {
			nameHit = name != "" && d.Name() == name
		}
		if nameHit || (content != "" && strings.Contains(string(data), content)) {
			found = append(found, "/"+filepath.ToSlash(rel))
		}
		return nil
	})
	if f.textPlain {
		w.Header().Set("Content-Type", "text/plain")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	json.NewEncoder(w).Encode(map[string][]string{"files": found})
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcFileSearch(ctx, newFinder(t, &finder{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	for name, f := range map[string]*finder{"exact names": {exactName: true}, "text/plain": {textPlain: true}} {
		if err := funcFileSearch(ctx, newFinder(t, f).App); !scenario.IsFailure(err) {
			t.Errorf("%s must fail, got %v", name, err)
		}
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		test string
		app  *finder
		want []cwe.ID
	}{
		{"sec_test_path_traversal", &finder{filenamePath: true}, []cwe.ID{cwe.ImproperAccessControl}},
		{"sec_test_path_traversal_dir", &finder{naiveDir: true}, []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}},
		{"sec_test_limitation", &finder{searchAll: true}, []cwe.ID{cwe.ImproperAccessControl}},
		// Searching everything also answers the path traversal requests, which carry search_content.
		{"sec_test_path_traversal", &finder{searchAll: true}, []cwe.ID{cwe.ImproperAccessControl}},
	}
	for _, c := range cases {
		t.Run(c.test, func(t *testing.T) {
			fs := scenariotest.Fires(t, Scenario(), c.test, newFinder(t, c.app).App, c.want...)
			t.Log(fs[0].Detail)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newFinder(t, &finder{}).App })
}

// brokenFiles cannot place files.
type brokenFiles struct{ apptest.Files }

func (brokenFiles) Put(context.Context, string, []byte) error { return os.ErrPermission }

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	// A failed file placement must make the exploit unable to run.
	for _, x := range Scenario().Security {
		t.Run(x.ID, func(t *testing.T) {
			l := newFinder(t, &finder{})
			l.App.Files = brokenFiles{l.App.Files}
			scenariotest.CouldNotRun(t, Scenario(), x.ID, l.App)
		})
	}
	// The first search of sec_test_limitation is outside upstream's try block.
	l := newFinder(t, &finder{})
	l.Server.Close()
	if _, err := secLimitation(context.Background(), l.App); err == nil {
		t.Error("sec_test_limitation: a dead app must make the exploit unable to run")
	}
}
