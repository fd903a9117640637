// Package results is the store: upstream's directory layout, upstream's test_results.json, and beside it
// our versioned records, all written atomically.
package results

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SchemaVersion is the version of every JSON file we write besides upstream's.
const SchemaVersion = 1

// Task names one configuration directory: model, scenario, environment and prompt settings.
type Task struct {
	Model       string
	Scenario    string
	Env         string // upstream id, e.g. "Go-net/http"
	SpecType    string // openapi | text
	Safety      string // none | generic | specific
	Temperature float64
}

// Escape is upstream's path escaping: every "/" becomes "-".
func Escape(s string) string { return strings.ReplaceAll(s, "/", "-") }

// FormatTemperature renders t as Python's repr of a float: 0.2 -> "0.2", 1 -> "1.0".
func FormatTemperature(t float64) string {
	s := strconv.FormatFloat(t, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") { // n: NaN, Inf
		s += ".0"
	}
	return s
}

// ConfigName is "temp<T>-<spec>-<safety>".
func (t Task) ConfigName() string {
	return "temp" + FormatTemperature(t.Temperature) + "-" + Escape(t.SpecType) + "-" + Escape(t.Safety)
}

// ID is upstream's task id: model-env-scenario-spec-safety-temperature, raw values.
func (t Task) ID() string {
	return fmt.Sprintf("%s-%s-%s-%s-%s-%s", t.Model, t.Env, t.Scenario, t.SpecType, t.Safety, FormatTemperature(t.Temperature))
}

// Store is a results directory.
type Store struct {
	Root string
}

// ConfigDir is <root>/<model>/<scenario>/<env>/temp<T>-<spec>-<safety>.
func (s *Store) ConfigDir(t Task) string {
	return filepath.Join(s.Root, Escape(t.Model), Escape(t.Scenario), Escape(t.Env), t.ConfigName())
}

// SampleDir is the directory of sample i of task t.
func (s *Store) SampleDir(t Task, i int) string {
	return filepath.Join(s.ConfigDir(t), "sample"+strconv.Itoa(i))
}

// Paths inside a sample directory.
const (
	CodeDir         = "code"
	FailedMarker    = "failed"
	TestResultsFile = "test_results.json"
	TestLogFile     = "test.log"
	OwnDir          = "baxbench" // our records; keeps the sample's top level exactly upstream's
	RecordFile      = "record.json"
	GenerationFile  = "generation.json"
	RawResponseFile = "response.txt"
	EvidenceDir     = "evidence"
)

// RunsDir holds run manifests.
func (s *Store) RunsDir() string { return filepath.Join(s.Root, "_baxbench", "runs") }

// WriteFileAtomic writes data to path through a temporary file in the same directory, synced and
// renamed, so a crash never leaves a half-written file under the final name.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// GoModMarker is written at the root of a results tree: a go.mod makes the tree a module of its own,
// so `go build ./...` or `go test ./...` run in a repository that holds the tree never compile the
// samples' Go programs (sample<i>/code/main.go) as packages of that repository.
const GoModMarker = "go.mod"

// Prepare creates the root of the tree with its go.mod marker, once.
func (s *Store) Prepare() error {
	if err := os.MkdirAll(s.Root, 0o755); err != nil {
		return fmt.Errorf("create results directory: %w", err)
	}
	p := filepath.Join(s.Root, GoModMarker)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	const text = "// Written by baxbench: keeps the Go tooling of an enclosing module out of this results tree.\nmodule baxbench-results\n"
	return WriteFileAtomic(p, []byte(text), 0o644)
}
