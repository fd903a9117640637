package imagebuild

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/env"
)

func TestDoctor(t *testing.T) {
	goEnv, _ := env.Lookup("Go-net/http")
	express, _ := env.Lookup("JavaScript-express")
	ca := []byte("ca")
	f := &fakeEngine{images: map[string]string{BaseRef: "sha256:base"}}
	// The Go layer is built; express's is not, and the npm registry does not answer.
	ref, err := (&Builder{HostCA: ca}).DepsRef(goEnv, "sha256:base")
	if err != nil {
		t.Fatal(err)
	}
	f.images[ref] = "sha256:deps"
	var probed []string
	probe := func(_ context.Context, url string) error {
		probed = append(probed, url)
		if strings.Contains(url, "npmjs") {
			return errors.New("connection refused")
		}
		return nil
	}
	rep := Doctor(context.Background(), []*env.Env{goEnv, express}, DoctorOptions{EngineAddr: "unix:///x", Engine: f, HostCA: ca, Probe: probe})
	if !rep.EngineOK || rep.BaseStatus != "present" || rep.RunnableAll {
		t.Fatalf("%+v", rep)
	}
	if rep.Envs[0].Status != "ready" || rep.Envs[0].Image != ref {
		t.Fatalf("Go: %+v", rep.Envs[0])
	}
	if rep.Envs[1].Status != "blocked" || !strings.Contains(strings.Join(rep.Envs[1].Missing, ";"), "npm registry") {
		t.Fatalf("express: %+v", rep.Envs[1])
	}
	if !rep.Registries["Go module proxy"] || rep.Registries["npm registry"] {
		t.Fatalf("registries %v", rep.Registries)
	}
	// A mirror given on the command line replaces the default Debian archive.
	probed = nil
	Doctor(context.Background(), []*env.Env{goEnv}, DoctorOptions{Engine: f, HostCA: ca, Mirror: "http://mirror.local/debian", Probe: probe})
	if !strings.Contains(strings.Join(probed, " "), "http://mirror.local/debian/dists/trixie/Release") || strings.Contains(strings.Join(probed, " "), "deb.debian.org") {
		t.Fatalf("probed %v", probed)
	}
	// No engine: every environment is blocked, and the report says why.
	rep = Doctor(context.Background(), []*env.Env{goEnv}, DoctorOptions{EngineErr: errors.New("dial: no such file"), Probe: probe})
	if rep.EngineOK || rep.Envs[0].Status != "blocked" || !strings.Contains(rep.Problems[0], "no such file") {
		t.Fatalf("%+v", rep)
	}
}

func TestEveryEnvironmentDeclaresItsRegistries(t *testing.T) {
	for _, e := range env.All() {
		if len(e.Registries) == 0 || e.Registries[0].Name != "Debian archive" {
			t.Errorf("%s: registries %v", e.ID, e.Registries)
		}
	}
}
