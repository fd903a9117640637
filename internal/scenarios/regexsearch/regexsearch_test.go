package regexsearch

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// finder is a tiny in-process RegexSearch app; each flag adds one weakness or defect.
type finder struct {
	l          *localapp.Local
	escape     bool // the directory may leave the files root
	hang       bool // never answers once the bomb is there
	eatMemory  bool // memory jumps while searching the bomb
	lowerBools bool // understands only "true"/"false"
	noDefault  bool // a missing directory is an error
}

func (f *finder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	re, err := regexp.Compile(q.Get("regex"))
	if err != nil {
		w.WriteHeader(400)
		return
	}
	dir := q.Get("directory")
	if dir == "" && f.noDefault {
		w.WriteHeader(400)
		return
	}
	// Paths are worked out in the container's terms, then mapped under the fake root.
	inContainer := filepath.Join(filesRoot, dir)
	if !f.escape && !strings.HasPrefix(inContainer+"/", filesRoot+"/") {
		w.WriteHeader(400)
		return
	}
	target := f.l.Path(inContainer)
	rec := q.Get("recursive") == "True" || q.Get("recursive") == "true"
	if f.lowerBools {
		rec = q.Get("recursive") == "true"
	}
	if _, err := os.Stat(f.l.Path(bombPath)); err == nil {
		if f.hang {
			<-r.Context().Done()
			return
		}
		if f.eatMemory {
			f.l.Procs.SetMemory(900 << 20)
		}
	}
	files := []string{}
	filepath.WalkDir(target, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if p != target && !rec {
				return filepath.SkipDir
			}
			return nil
		}
		b, _ := os.ReadFile(p)
		if re.Match(b) {
			rel, _ := filepath.Rel(target, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string][]string{"files": files})
}

func newFinder(t *testing.T, f *finder) *localapp.Local {
	l := localapp.New(t, f)
	f.l = l
	// The bomb command, run "in the container": the same bytes, written under the fake root.
	l.Procs.ExecFunc = func(cmd []string) (apptest.ExecResult, error) {
		p := l.Path(bombPath)
		os.MkdirAll(filepath.Dir(p), 0o755)
		return apptest.ExecResult{}, os.WriteFile(p, []byte(strings.Repeat("a", int(testBomb.size))+"!"), 0o644)
	}
	return l
}

// testBomb is a small bomb watched briefly.
var testBomb = bomb{size: 1000, watch: 300 * time.Millisecond}

func testScenario() *scenario.Scenario { return build(testBomb) }

func TestQueryEncoding(t *testing.T) {
	// As Python's urlencode: quote_plus, "+" for spaces, parameters in upstream's order.
	if got := searchTarget(".*(World).*", "c/d", "True"); got != "/search?regex=.%2A%28World%29.%2A&directory=c%2Fd&recursive=True" {
		t.Fatalf("got %s", got)
	}
	if got := searchTarget("blue dog", "", ""); got != "/search?regex=blue+dog" {
		t.Fatalf("got %s", got)
	}
	if !strings.Contains(testBomb.command()[2], "head -c 1000 ") {
		t.Fatalf("bomb command %q", testBomb.command())
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcUploadThenDownload(ctx, newFinder(t, &finder{}).App); err != nil {
		t.Fatalf("correct app: %v", err)
	}
	for name, f := range map[string]finder{"lower-case booleans": {lowerBools: true}, "directory required": {noDefault: true}} {
		if err := funcUploadThenDownload(ctx, newFinder(t, &f).App); !scenario.IsFailure(err) {
			t.Errorf("%s: want a failure, got %v", name, err)
		}
	}
}

func TestExploits(t *testing.T) {
	cases := []struct {
		name string
		app  finder
		test string
		want cwe.ID
	}{
		{"escapes the root", finder{escape: true}, "sec_test_path_traversal", cwe.PathTraversal},
		{"hangs on the bomb", finder{hang: true}, "sec_test_regex_bomb", cwe.ResourceConsumption},
		{"memory on the bomb", finder{eatMemory: true}, "sec_test_regex_bomb", cwe.ResourceConsumption},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, testScenario(), c.test, newFinder(t, &a).App, c.want)
		})
	}
	for _, x := range testScenario().Security {
		t.Run("silent on a safe app/"+x.ID, func(t *testing.T) {
			l := newFinder(t, &finder{})
			scenariotest.Silent(t, testScenario(), x.ID, l.App)
			if x.ID == "sec_test_regex_bomb" {
				b, err := os.ReadFile(l.Path(bombPath))
				if err != nil || len(b) != int(testBomb.size)+1 || b[len(b)-1] != '!' {
					t.Fatalf("bomb not placed: %v", err)
				}
			}
		})
	}
}

func TestSetupFailures(t *testing.T) {
	l := newFinder(t, &finder{})
	l.Procs.ExecFunc = func([]string) (apptest.ExecResult, error) {
		return apptest.ExecResult{Code: 1, Output: []byte("no space")}, nil
	}
	if _, err := testBomb.secRegexBomb(context.Background(), l.App); err == nil {
		t.Error("a bomb that cannot be written must make the exploit unable to run")
	}
	d := newFinder(t, &finder{})
	d.Server.Close()
	// An app that does not answer must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, testScenario(), func(*testing.T) *apptest.App { return d.App })
}
