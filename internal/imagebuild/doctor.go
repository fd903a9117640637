package imagebuild

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/sandbox"
)

// DoctorEnv says whether one environment can run here.
type DoctorEnv struct {
	Env     string   `json:"env"`
	OK      bool     `json:"ok"`
	Status  string   `json:"status"` // ready | buildable | blocked
	Image   string   `json:"image,omitempty"`
	Missing []string `json:"missing,omitempty"`
	Notes   []string `json:"notes,omitempty"`
}

// DoctorReport is what `envs doctor` finds.
type DoctorReport struct {
	Engine     string          `json:"engine"`
	EngineOK   bool            `json:"engine_ok"`
	Base       string          `json:"base"`
	BaseStatus string          `json:"base_status"` // present | bootstrappable | missing | registry
	HostCA     bool            `json:"host_ca"`
	Registries map[string]bool `json:"registries"`
	Envs       []DoctorEnv     `json:"envs"`
	// HostGuard says whether apps are kept from connecting to this host (see sandbox.HostGuard).
	HostGuard sandbox.GuardStatus `json:"host_guard"`
	// Leftovers are the containers and networks of runs whose baxbench process is gone; any
	// baxbench command that uses the engine, and baxbench clean, removes them.
	Leftovers   *sandbox.Orphans `json:"leftovers,omitempty"`
	Problems    []string         `json:"problems,omitempty"`
	RunnableAll bool             `json:"runnable_all"`
}

// DoctorOptions say what to check.
type DoctorOptions struct {
	// EngineAddr names the engine in the report; Engine is nil when it could not be reached, and
	// EngineErr then says why.
	EngineAddr string
	Engine     Engine
	EngineErr  error
	// BaseImage is --base-image (empty: the bootstrapped BaseRef); Mirror is --debian-mirror.
	BaseImage, Mirror string
	HostCA            []byte
	// Probe checks that a URL answers; nil uses an HTTP HEAD request with a short timeout.
	Probe func(ctx context.Context, url string) error
}

// Doctor says, per environment, whether it can run on this machine: the engine answers, the base image
// exists or can be bootstrapped, the dependency layer is built or buildable (its registries answer).
func Doctor(ctx context.Context, envs []*env.Env, o DoctorOptions) *DoctorReport {
	base := o.BaseImage
	if base == "" {
		base = BaseRef
	}
	rep := &DoctorReport{Engine: o.EngineAddr, Base: base, Registries: map[string]bool{}, HostCA: o.HostCA != nil}
	if rep.Engine == "" {
		rep.Engine = "default socket"
	}
	probe := o.Probe
	if probe == nil {
		probe = probeURL
	}
	registriesOf := func(e *env.Env) []env.Registry {
		var out []env.Registry
		for _, r := range e.Registries {
			if r.Name == env.DebianArchive("").Name && o.Mirror != "" {
				r = env.DebianArchive(o.Mirror)
			}
			out = append(out, r)
		}
		return out
	}
	// Probe every registry any selected environment needs, concurrently.
	need := map[env.Registry]bool{}
	for _, e := range envs {
		for _, r := range registriesOf(e) {
			need[r] = true
		}
	}
	need[env.DebianArchive(o.Mirror)] = true // the base image is bootstrapped from it
	reach := map[string]error{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for r := range need {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := probe(ctx, r.URL)
			mu.Lock()
			reach[r.Name] = err
			rep.Registries[r.Name] = err == nil
			mu.Unlock()
		}()
	}
	wg.Wait()

	if o.Engine == nil {
		rep.Problems = append(rep.Problems, fmt.Sprintf("container engine at %s is not reachable: %v (start it, e.g. scripts/engine-up.sh, or pass --docker-host)", rep.Engine, o.EngineErr))
		for _, e := range envs {
			rep.Envs = append(rep.Envs, DoctorEnv{Env: e.ID, Status: "blocked", Missing: []string{"container engine"}})
		}
		return rep
	}
	rep.EngineOK = true
	d := o.Engine

	// Base image.
	var baseID string
	baseOK := false
	switch {
	case o.BaseImage != "":
		rep.BaseStatus = "registry"
		if id, err := d.ImageID(ctx, o.BaseImage); err == nil && id != "" {
			rep.BaseStatus, baseID, baseOK = "present", o.BaseImage, true
		} else {
			baseOK = true // the engine pulls it at the first build; not verifiable without pulling
		}
	default:
		if id, err := d.ImageID(ctx, BaseRef); err == nil && id != "" {
			rep.BaseStatus, baseID, baseOK = "present", id, true
		} else {
			var why []string
			if _, err := exec.LookPath("debootstrap"); err != nil {
				why = append(why, "debootstrap is not installed (apt-get install debootstrap)")
			}
			if os.Geteuid() != 0 {
				why = append(why, "debootstrap needs root")
			}
			if e := reach[env.DebianArchive(o.Mirror).Name]; e != nil {
				why = append(why, "the Debian mirror is not reachable: "+e.Error())
			}
			if len(why) == 0 {
				rep.BaseStatus, baseOK = "bootstrappable", true
			} else {
				rep.BaseStatus = "missing"
				rep.Problems = append(rep.Problems, fmt.Sprintf("base image %s is missing and cannot be bootstrapped: %s (or pass --base-image debian:trixie where a registry is reachable)", BaseRef, strings.Join(why, "; ")))
			}
		}
	}
	if !rep.HostCA {
		rep.Problems = append(rep.Problems, "no host CA bundle (/etc/ssl/certs/ca-certificates.crt): builds behind an intercepting proxy will fail TLS")
	}

	b := &Builder{Engine: d, Base: o.BaseImage, HostCA: o.HostCA}
	rep.RunnableAll = true
	for _, e := range envs {
		r := DoctorEnv{Env: e.ID}
		built := false
		if baseID != "" {
			if ref, err := b.DepsRef(e, baseID); err == nil {
				r.Image = ref
				if id, err := d.ImageID(ctx, ref); err == nil && id != "" {
					built = true
				}
			}
		}
		if !baseOK {
			r.Missing = append(r.Missing, "base image "+rep.Base)
		}
		regs := registriesOf(e)
		if !built {
			for _, reg := range regs {
				if err := reach[reg.Name]; err != nil {
					r.Missing = append(r.Missing, fmt.Sprintf("%s (%s): %v", reg.Name, reg.URL, err))
				}
			}
		} else {
			// A built layer still reaches its ecosystem when a sample needs what it does not hold.
			for _, reg := range regs {
				if err := reach[reg.Name]; err != nil && reg.Name != env.DebianArchive("").Name {
					r.Notes = append(r.Notes, fmt.Sprintf("%s is unreachable: samples that need packages outside the dependency layer fail to build", reg.Name))
				}
			}
		}
		r.Notes = append(r.Notes, e.Substitutes...)
		switch {
		case len(r.Missing) > 0:
			r.Status = "blocked"
			rep.RunnableAll = false
		case built:
			r.Status, r.OK = "ready", true
		default:
			r.Status, r.OK = "buildable", true
			r.Notes = append(r.Notes, "dependency layer not built yet: `baxbench envs build "+e.ID+"` prepares it (minutes, once)")
		}
		rep.Envs = append(rep.Envs, r)
	}
	return rep
}

// probeURL reports whether url answers over HTTP(S) within a few seconds (any status below 500 counts).
func probeURL(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 8*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
