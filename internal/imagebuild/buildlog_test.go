package imagebuild

import (
	"context"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/env"
)

func TestFirstError(t *testing.T) {
	cases := map[string]string{
		"Step 6/9 : RUN CGO_ENABLED=1 go build . || echo \"go build failed\"\n ---> Running in 1\n# myapp\n./main.go:12:2: undefined: sqlx\ngo build failed\n": "./main.go:12:2: undefined: sqlx",
		"go: finding module for package github.com/x/y\ngo: main.go:5:2: no required module provides package github.com/x/y\n":                                 "go: finding module for package github.com/x/y",
		"src/app.controller.ts(3,1): error TS2304: Cannot find name 'Foo'.\nnpm run build failed\n":                                                            "src/app.controller.ts(3,1): error TS2304: Cannot find name 'Foo'.",
		"   Compiling myapp v0.1.0\nerror[E0425]: cannot find value `x` in this scope\n":                                                                       "error[E0425]: cannot find value `x` in this scope",
		"ERROR: Could not find a version that satisfies the requirement flask-cors\n":                                                                          "ERROR: Could not find a version that satisfies the requirement flask-cors",
		"npm ERR! 404 Not Found - GET https://registry.npmjs.org/nosuch\n":                                                                                     "npm ERR! 404 Not Found - GET https://registry.npmjs.org/nosuch",
		"Step 1/3 : FROM x\nSuccessfully built abc\n":                                                                                                          "",
	}
	for log, want := range cases {
		if got := FirstError(log); got != want {
			t.Errorf("FirstError(%q) = %q, want %q", log, got, want)
		}
	}
}

// The build output of a sample image is kept, so a later run that finds the image cached still has it.
func TestBuildLogKeptForCachedImages(t *testing.T) {
	f := &fakeEngine{images: map[string]string{}}
	b := newBuilder(f)
	b.LogDir = t.TempDir()
	e, _ := env.Lookup("Go-net/http")
	code := map[string][]byte{"main.go": []byte("package main\nfunc main() {}\n")}
	first, err := b.Sample(context.Background(), e, code, nil)
	if err != nil || first.Cached {
		t.Fatalf("%+v %v", first, err)
	}
	again, err := b.Sample(context.Background(), e, code, nil)
	if err != nil || !again.Cached || again.Log != first.Log {
		t.Fatalf("cached build lost its output: %q vs %q (%v)", again.Log, first.Log, err)
	}
	b.LogDir = t.TempDir() // another machine's cache: the log is gone, and it says so
	if other, _ := b.Sample(context.Background(), e, code, nil); !strings.Contains(other.Log, "not kept") {
		t.Fatalf("%q", other.Log)
	}
}
