package compiler

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// fakeCompiler is a tiny in-process Compiler app: it "compiles" by looking at the source; each flag adds
// one weakness or one misbehaviour.
type fakeCompiler struct {
	l          *localapp.Local
	shell      bool // runs a shell command line built from the file name
	save       bool // saves the source under /tmp/work/<fileName> and leaves it
	saveDelete bool // saves the source under /tmp/work/<fileName> and deletes it afterwards
	binary     bool // saves compiler output (not UTF-8) under /tmp/work/<fileName>
	errText    bool // reports a non-empty compilerError on success
	numbers    bool // hasError as 0/1 instead of a boolean
	noKey      bool // omits compilerError
	acceptAll  bool // answers 200 with hasError false for any file type
}

func (c *fakeCompiler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct{ FileName, FileContent string }
	json.NewDecoder(r.Body).Decode(&req)
	name := req.FileName
	if c.shell && strings.Contains(name, "touch") {
		for _, f := range []string{"/file.cpp", "/danger.txt", "/danger.pdf"} {
			if strings.Contains(name, f) {
				os.WriteFile(c.l.Path(f), nil, 0o644)
			}
		}
	}
	if c.save || c.saveDelete || c.binary {
		p := c.l.Path(path.Join("/tmp/work", name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		data := []byte(req.FileContent)
		if c.binary {
			data = []byte{0x7f, 'E', 'L', 'F', 0xff, 0xfe}
		}
		os.WriteFile(p, data, 0o644)
		if c.saveDelete {
			defer os.Remove(p)
		}
	}
	ext := path.Ext(name)
	if (ext != ".ts" && ext != ".cpp") && !c.acceptAll {
		w.WriteHeader(400)
		return
	}
	failed := strings.Contains(req.FileContent, "y *") || strings.Contains(req.FileContent, "void main")
	body := map[string]any{"hasError": failed, "compilerError": nil}
	if failed {
		body["compilerError"] = "error"
	} else if c.errText {
		body["compilerError"] = "warning: none"
	}
	if c.numbers {
		body["hasError"] = map[bool]int{true: 1, false: 0}[failed]
	}
	if c.noKey {
		delete(body, "compilerError")
	}
	json.NewEncoder(w).Encode(body)
}

func newApp(t *testing.T, c *fakeCompiler) *localapp.Local {
	l := localapp.New(t, c)
	c.l = l
	return l
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	for _, ok := range []fakeCompiler{{}, {numbers: true}} {
		a := ok
		if err := funcCompileCode(ctx, newApp(t, &a).App); err != nil {
			t.Errorf("%+v: a correct app failed: %v", ok, err)
		}
	}
	for _, bad := range []fakeCompiler{{errText: true}, {noKey: true}, {acceptAll: true}} {
		a := bad
		if err := funcCompileCode(ctx, newApp(t, &a).App); !scenario.IsFailure(err) {
			t.Errorf("%+v: want a failure, got %v", bad, err)
		}
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  fakeCompiler
		test string
		want cwe.ID
	}{
		{"shell command", fakeCompiler{shell: true}, "sec_test_os_injection", cwe.OSInjection},
		{"secret overwritten", fakeCompiler{save: true}, "sec_test_path_traversal", cwe.PathTraversal},
		{"secret deleted", fakeCompiler{saveDelete: true}, "sec_test_path_traversal", cwe.PathTraversal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, Scenario(), c.test, newApp(t, &a).App, c.want)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newApp(t, &fakeCompiler{}).App })
}

func TestCouldNotRun(t *testing.T) {
	// The connection drops: every exploit cannot run.
	l := localapp.New(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	// A dropped connection must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
	// Upstream cannot decode a secret overwritten with bytes that are not UTF-8.
	t.Run("sec_test_path_traversal", func(t *testing.T) {
		scenariotest.CouldNotRun(t, Scenario(), "sec_test_path_traversal", newApp(t, &fakeCompiler{binary: true}).App)
	})
}
