// Package env defines the environments (language and framework) a sample is written for: what the model
// must produce, the manifests the harness adds, and how the image is built and started.
package env

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/baxbench/baxbench-go/internal/results"
)

// Runtime constants shared by every environment (upstream's values).
const (
	Workdir   = "/app"
	DBFile    = "db.sqlite3"
	Port      = 5000
	AppSecret = "supers3cret"
)

// File is a file the harness adds to a build.
type File struct {
	Name    string
	Content string
}

// Env is one environment.
type Env struct {
	ID        string // upstream id, e.g. "Go-net/http"
	Language  string // "Go"
	Framework string // string inserted in the prompt, e.g. "net/http"
	Extension string // informational: "go"
	// CodeFiles are the files the model writes; one entry for single-file environments.
	CodeFiles []string
	MultiFile bool
	// Manifests are added to the sample's build context by the harness (not written by the model).
	Manifests []File
	// AllowedPackages is the text shown to the model (upstream: the manifest text).
	AllowedPackages string
	// Instructions are the environment-specific rules shown to the model.
	Instructions string
	// Entrypoint is the shell-form command that starts the app.
	Entrypoint string
	// DepsDockerfile builds the dependency layer FROM the base image ({{.Base}}); its build context
	// holds the manifests and host-ca.crt.
	DepsDockerfile string
	// SampleDockerfile builds the sample FROM the dependency layer ({{.Deps}}), with the scenario's
	// extra commands ({{.Extra}}, one RUN line each) and the sample's files plus manifests in context.
	SampleDockerfile string
	// Versions are the component versions the dependency layer pins, for the manifest and `envs show`.
	Versions map[string]string
	// Substitutes say where this environment knowingly differs from upstream's, and what is used
	// instead (e.g. when a registry upstream installs from cannot be reached); `envs doctor` shows them.
	Substitutes []string
	// Registries are the network services building the dependency layer fetches from; `envs doctor`
	// checks that each answers.
	Registries []Registry
}

// Registry is a network service an environment's dependency layer is built from.
type Registry struct {
	Name string `json:"name"`
	// URL is a small document that answers when the service is reachable.
	URL string `json:"url"`
}

// DebianMirror is where the base image and every layer's Debian packages come from by default.
const DebianMirror = "http://deb.debian.org/debian"

// DebianArchive is the Debian archive at mirror (DebianMirror when empty).
func DebianArchive(mirror string) Registry {
	if mirror == "" {
		mirror = DebianMirror
	}
	return Registry{Name: "Debian archive", URL: strings.TrimRight(mirror, "/") + "/dists/trixie/Release"}
}

// The registries of the language ecosystems.
func pythonRegistries() []Registry {
	return []Registry{DebianArchive(""), {"PyPI", "https://pypi.org/simple/pip/"}, {"PyPI files", "https://files.pythonhosted.org/"}}
}

func goRegistries() []Registry {
	return []Registry{DebianArchive(""), {"Go module proxy", "https://proxy.golang.org/github.com/google/uuid/@v/v1.6.0.info"},
		{"Go checksum database (via the proxy)", "https://proxy.golang.org/sumdb/sum.golang.org/supported"}}
}

func npmRegistries() []Registry {
	return []Registry{DebianArchive(""), {"npm registry", "https://registry.npmjs.org/is-number"}}
}

func rustRegistries() []Registry {
	return []Registry{DebianArchive(""), {"crates.io index", "https://index.crates.io/config.json"}, {"crates.io downloads", "https://static.crates.io/"}}
}

func debianOnly() []Registry { return []Registry{DebianArchive("")} }

// PathID is the id as written in result paths: every "/" becomes "-".
func (e *Env) PathID() string { return results.Escape(e.ID) }

// Slug is a lower-case name usable in image tags.
func (e *Env) Slug() string {
	return strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(e.ID))
}

// DepsDockerfileFor renders the dependency layer's Dockerfile.
func (e *Env) DepsDockerfileFor(base string) (string, error) {
	return render(e.DepsDockerfile, map[string]any{"Base": base, "Crypt": cryptStep()})
}

// SampleDockerfileFor renders the sample layer's Dockerfile.
func (e *Env) SampleDockerfileFor(deps string, extra []string) (string, error) {
	var lines []string
	for _, c := range extra {
		lines = append(lines, "RUN "+c)
	}
	return render(e.SampleDockerfile, map[string]any{"Deps": deps, "Extra": strings.Join(lines, "\n"), "Entrypoint": e.Entrypoint, "Secret": AppSecret})
}

func render(tmpl string, data map[string]any) (string, error) {
	t, err := template.New("Dockerfile").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return "", fmt.Errorf("parse Dockerfile template: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render Dockerfile: %w", err)
	}
	return b.String(), nil
}

// All returns every environment, sorted by id.
func All() []*Env {
	envs := []*Env{goNetHTTP(), goGin(), goFiber(), pythonFlask(), pythonFastAPI(), pythonDjango(), pythonAiohttp(), jsExpress(), jsKoa(), jsFastify(), jsNest(), rustActix(), phpLumen(), rubyRails()}
	slices.SortFunc(envs, func(a, b *Env) int { return strings.Compare(a.ID, b.ID) })
	return envs
}

// Lookup finds an environment by its id as upstream writes it ("Go-net/http") or as escaped in paths
// ("Go-net-http").
func Lookup(id string) (*Env, bool) {
	for _, e := range All() {
		if e.ID == id || e.PathID() == id {
			return e, true
		}
	}
	return nil, false
}
