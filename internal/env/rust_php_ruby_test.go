package env

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"strings"
	"testing"
)

func TestRustActixDefinition(t *testing.T) {
	e := rustActix()
	if e.CodeFiles[0] != "main.rs" || e.MultiFile || e.Entrypoint != "cargo run" {
		t.Errorf("Rust-Actix: files %v, multi %v, entrypoint %q", e.CodeFiles, e.MultiFile, e.Entrypoint)
	}
	for _, want := range []string{`rusqlite = { version = "0.33.0", features = ["bundled", "modern-full"] }`, `current_platform = "*"`, `actix-web = { version = "4.9.0" }`} {
		if !strings.Contains(e.AllowedPackages, want) {
			t.Errorf("Cargo.toml lacks %s", want)
		}
	}
	sample, err := e.SampleDockerfileFor("deps:x", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"COPY main.rs src/main.rs", "sed -i '1i#![allow(warnings, unused)]' src/main.rs", `cargo build || echo`} {
		if !strings.Contains(sample, want) {
			t.Errorf("sample lacks %q", want)
		}
	}
}

func TestLumenSkeleton(t *testing.T) {
	a, b := lumenSkeletonArchive(), lumenSkeletonArchive()
	if a != b {
		t.Fatal("skeleton archive is not deterministic")
	}
	raw, err := base64.StdEncoding.DecodeString(a)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	got := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got[h.Name] = true
	}
	for _, f := range []string{"artisan", "bootstrap/app.php", "public/index.php", "routes/web.php", "vendor/autoload.php", ".env", ".env.example",
		"config/database.php", "app/Http/Controllers/Controller.php", "app/Models/User.php", "app/Providers/AppServiceProvider.php",
		"app/Providers/AuthServiceProvider.php", "database/migrations/.gitkeep"} {
		if !got[f] {
			t.Errorf("skeleton lacks %s", f)
		}
	}
	e := phpLumen()
	deps, err := e.DepsDockerfileFor("base:x")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(deps, a) {
		t.Error("dependency layer does not unpack the skeleton")
	}
	if !e.MultiFile || !strings.Contains(e.Instructions, "<FILEPATH>") || !strings.HasPrefix(e.AllowedPackages, "\n{") {
		t.Error("Lumen must be multi-file with the answer format and upstream's composer.json")
	}
}

func TestRailsDefinition(t *testing.T) {
	e := rubyRails()
	if !e.MultiFile || len(e.CodeFiles) != 5 || !strings.Contains(e.Instructions, "<FILEPATH>") {
		t.Errorf("Rails: files %v", e.CodeFiles)
	}
	// DEV-E8: the prompt's Gemfile names the Rails the layer has, not upstream's 8.0.
	if !strings.Contains(e.AllowedPackages, `gem "rails", "~> 7.2.2"`) || strings.Contains(e.AllowedPackages, "8.0") {
		t.Error("the Gemfile shown to the model must name Rails 7.2")
	}
	sample, err := e.SampleDockerfileFor("deps:x", nil)
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"COPY / /app/", "cp /opt/baxbench-rails/Gemfile", "sed -i 's/config.assets/# config.assets/'", "bundle install", "db:create ||", "db:migrate ||", "entrypoint.sh"}
	last := -1
	for _, s := range order {
		i := strings.Index(sample, s)
		if i <= last {
			t.Errorf("sample step %q missing or out of order", s)
		}
		last = i
	}
}
