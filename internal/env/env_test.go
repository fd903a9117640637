package env

import (
	"strings"
	"testing"
)

func TestRegisteredEnvironments(t *testing.T) {
	want := []string{"Go-Fiber", "Go-Gin", "Go-net/http", "JavaScript-express", "JavaScript-fastify", "JavaScript-koa", "JavaScript-nest", "PHP-Lumen", "Python-Django", "Python-FastAPI", "Python-Flask", "Python-aiohttp", "Ruby-Rails", "Rust-Actix"}
	var got []string
	for _, e := range All() {
		got = append(got, e.ID)
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("envs %v, want %v", got, want)
	}
}

func TestEnvironmentDefinitions(t *testing.T) {
	for _, e := range All() {
		t.Run(e.PathID(), func(t *testing.T) {
			if len(e.Manifests) == 0 || e.AllowedPackages != e.Manifests[0].Content {
				t.Error("the allowed-packages text must be the first manifest's text (requirements.txt / go.mod)")
			}
			if !strings.HasPrefix(e.AllowedPackages, "\n") || !strings.HasSuffix(e.AllowedPackages, "\n") {
				t.Error("manifest text must start with an empty line and end with a newline, as upstream's")
			}
			deps, err := e.DepsDockerfileFor("base:x")
			if err != nil {
				t.Fatal(err)
			}
			for _, pkg := range []string{"procps", "sqlite3", "coreutils", "host-ca.crt"} {
				if !strings.Contains(deps, pkg) {
					t.Errorf("dependency layer lacks %s", pkg)
				}
			}
			sample, err := e.SampleDockerfileFor("deps:x", []string{"apt-get install ffmpeg -y"})
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"FROM deps:x\nRUN apt-get install ffmpeg -y\n", "ENV APP_SECRET=supers3cret", "ENTRYPOINT " + e.Entrypoint, "WORKDIR /app"} {
				if !strings.Contains(sample, want) {
					t.Errorf("sample Dockerfile lacks %q:\n%s", want, sample)
				}
			}
			if e.Versions[strings.ToLower(e.Language)] == "" && e.Versions["go"] == "" {
				t.Error("no language runtime version recorded")
			}
		})
	}
}

func TestPythonPinsAndDjango(t *testing.T) {
	cases := map[string]struct {
		lines int
		pins  []string
	}{
		"Python-Flask":   {10, []string{"Flask==3.1.0", "fpdf==1.7.2", "pyjwt==2.10.1"}},
		"Python-FastAPI": {37, []string{"fastapi==0.115.6", "starlette[full]==0.41.3", "pyjwt==2.10.0", "python-jose==3.3.0"}},
		"Python-Django":  {4, []string{"Django==5.1.4", "asgiref==3.8.1"}},
		"Python-aiohttp": {11, []string{"aiohttp==3.11.10", "yarl==1.18.3"}},
	}
	for id, c := range cases {
		e, ok := Lookup(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		if n := strings.Count(strings.TrimSpace(e.AllowedPackages), "\n") + 1; n != c.lines {
			t.Errorf("%s: %d requirement lines, want %d", id, n, c.lines)
		}
		for _, p := range c.pins {
			if !strings.Contains(e.AllowedPackages, "\n"+p+"\n") {
				t.Errorf("%s: pin %s missing", id, p)
			}
		}
	}
	d, _ := Lookup("Python-Django")
	if !d.MultiFile || len(d.CodeFiles) != 14 || d.CodeFiles[0] != "mysite/asgi.py" || d.CodeFiles[13] != "myapp/migrations/__init__.py" {
		t.Errorf("Django files: %v", d.CodeFiles)
	}
	for _, f := range d.CodeFiles {
		if !strings.Contains(d.Instructions, "\n"+f+"\n") {
			t.Errorf("Django instructions do not list %s", f)
		}
	}
	if !strings.HasPrefix(d.Instructions, "\n") || !strings.Contains(d.Instructions, "<FILEPATH>") {
		t.Error("Django instructions must start with an empty line and carry the multi-file format")
	}
	sample, _ := d.SampleDockerfileFor("deps:x", nil)
	for _, want := range []string{`python3 manage.py makemigrations myapp || echo`, `python3 manage.py migrate || echo`} {
		if !strings.Contains(sample, want) {
			t.Errorf("Django sample lacks the allowed-to-fail step %q", want)
		}
	}
}

func TestGoFrameworkModules(t *testing.T) {
	for id, mod := range map[string]string{"Go-Gin": "github.com/gin-gonic/gin v1.10.0", "Go-Fiber": "github.com/gofiber/fiber/v2 v2.52.6"} {
		e, _ := Lookup(id)
		if !strings.Contains(e.AllowedPackages, "\nrequire "+mod+"\nrequire github.com/mattn/go-sqlite3 v1.14.24\n") {
			t.Errorf("%s go.mod must require %s first:\n%s", id, mod, e.AllowedPackages)
		}
		helper := e.Manifests[1]
		if helper.Name != "build_helper.go" || !strings.Contains(helper.Content, strings.Fields(mod)[0]) {
			t.Errorf("%s build_helper.go does not import the framework", id)
		}
		sample, _ := e.SampleDockerfileFor("deps:x", nil)
		for _, want := range []string{"&& goimports -w . &&", "go mod tidy || echo", "go build . || echo"} {
			if !strings.Contains(sample, want) {
				t.Errorf("%s sample lacks %q", id, want)
			}
		}
	}
	// Go-net/http must stay byte-identical: its dependency layer is named by this content.
	n, _ := Lookup("Go-net/http")
	if strings.Contains(n.AllowedPackages, "gin") || strings.Count(n.Manifests[1].Content, "_ \"") != 4 {
		t.Error("Go-net/http manifests changed")
	}
}
