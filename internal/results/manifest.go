package results

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Run statuses in a manifest.
const (
	StatusRunning     = "running"
	StatusComplete    = "complete"
	StatusInterrupted = "interrupted"
	StatusFailed      = "failed"
)

// Manifest describes one run (results/_baxbench/runs/<id>.json): what ran, on what, with which
// settings, and how it ended.
type Manifest struct {
	SchemaVersion int    `json:"schema_version"`
	RunID         string `json:"run_id"`
	Command       string `json:"command"`
	Harness       string `json:"harness_version"`
	GoVersion     string `json:"go_version"`
	PID           int    `json:"pid,omitempty"`
	// Owner names the process (host/pid/start time) whose run this is, as its containers are labelled.
	Owner        string                       `json:"owner,omitempty"`
	Status       string                       `json:"status"` // running | complete | interrupted | failed
	StartedAt    time.Time                    `json:"started_at"`
	FinishedAt   *time.Time                   `json:"finished_at,omitempty"`
	Engine       any                          `json:"engine"`
	Images       map[string]string            `json:"images,omitempty"`        // environment -> dependency layer
	SampleImages []string                     `json:"sample_images,omitempty"` // the sample images the tests really used
	EnvVersions  map[string]map[string]string `json:"env_versions,omitempty"`
	Settings     map[string]any               `json:"settings"`
	PromptHashes map[string]string            `json:"prompt_hashes,omitempty"`
	Error        string                       `json:"error,omitempty"`
}

// ManifestPath is where the manifest of run id is stored.
func (s *Store) ManifestPath(runID string) string { return filepath.Join(s.RunsDir(), runID+".json") }

// WriteManifest stores m atomically.
func (s *Store) WriteManifest(m *Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode run manifest: %w", err)
	}
	return WriteFileAtomic(s.ManifestPath(m.RunID), b, 0o644)
}

// FinishManifest sets the final status from how the run ended (err and whether ctx was cancelled) and
// stores the manifest.
func (s *Store) FinishManifest(ctx context.Context, m *Manifest, err error, now time.Time) error {
	t := now.UTC()
	m.FinishedAt = &t
	switch {
	case err == nil:
		m.Status = StatusComplete
	case ctx.Err() != nil:
		m.Status = StatusInterrupted
	default:
		m.Status, m.Error = StatusFailed, err.Error()
	}
	return s.WriteManifest(m)
}

// MarkInterrupted sets the status of every manifest still "running" whose process is gone (alive says
// whether an owner still runs) to interrupted, and returns their run ids.
func (s *Store) MarkInterrupted(alive func(owner string) bool, now time.Time) ([]string, error) {
	entries, err := os.ReadDir(s.RunsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read run manifests: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.RunsDir(), e.Name()))
		if err != nil {
			continue
		}
		var m Manifest
		if json.Unmarshal(b, &m) != nil || m.Status != StatusRunning || m.Owner == "" || alive(m.Owner) {
			continue
		}
		t := now.UTC()
		m.Status, m.FinishedAt, m.Error = StatusInterrupted, &t, "the run's process ended without finishing (found by a later baxbench)"
		if err := s.WriteManifest(&m); err != nil {
			return out, err
		}
		out = append(out, m.RunID)
	}
	return out, nil
}
