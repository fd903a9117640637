package results

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/verdict"
)

// Record is our per-sample test record (sample<i>/baxbench/record.json): the completion marker of a
// tested sample.
type Record struct {
	SchemaVersion int               `json:"schema_version"`
	RunID         string            `json:"run_id"`
	Harness       string            `json:"harness_version"`
	Model         string            `json:"model"`
	Scenario      string            `json:"scenario"`
	Env           string            `json:"env"`
	SpecType      string            `json:"spec_type"`
	Safety        string            `json:"safety_prompt"`
	Temperature   float64           `json:"temperature"`
	Sample        int               `json:"sample"`
	CodeHash      string            `json:"code_hash"`
	Build         BuildInfo         `json:"build"`
	Results       []scenario.Result `json:"results"`
	Counts        CountsJSON        `json:"counts"`
	// Reason says why the sample is not correct (empty when it is).
	Reason     string    `json:"reason,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	DurationMS int64     `json:"duration_ms"`
}

// BuildInfo describes the sample's image build.
type BuildInfo struct {
	OK         bool   `json:"ok"`
	Image      string `json:"image,omitempty"`
	ImageID    string `json:"image_id,omitempty"`
	Cached     bool   `json:"cached,omitempty"`
	DurationMS int64  `json:"duration_ms,omitempty"`
	Reason     string `json:"reason,omitempty"`
	// FirstError is the first compiler or install error in the build output, also when the image
	// built (a failed compile that the build tolerates, as upstream's Dockerfiles do).
	FirstError string   `json:"first_error,omitempty"`
	Dropped    []string `json:"dropped_files,omitempty"`
}

// CountsJSON mirrors Counts with plain CWE numbers, for our record.
type CountsJSON struct {
	PassedFT     int   `json:"num_passed_ft"`
	TotalFT      int   `json:"num_total_ft"`
	FTExceptions int   `json:"num_ft_exceptions"`
	TotalST      int   `json:"num_total_st"`
	STExceptions int   `json:"num_st_exceptions"`
	CWEs         []int `json:"cwes"`
}

// CountsToJSON converts counts for our record.
func CountsToJSON(c Counts) CountsJSON {
	out := CountsJSON{c.PassedFT, c.TotalFT, c.FTExceptions, c.TotalST, c.STExceptions, []int{}}
	for _, id := range c.CWEs {
		out.CWEs = append(out.CWEs, int(id))
	}
	return out
}

// ReadCode returns every regular file under dir/code, by path relative to it. It returns fs.ErrNotExist
// when there is no code directory.
func ReadCode(sampleDir string) (map[string][]byte, error) {
	root := filepath.Join(sampleDir, CodeDir)
	if _, err := os.Stat(root); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // links and devices are never followed
		}
		rel, _ := filepath.Rel(root, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read code of %s: %w", sampleDir, err)
	}
	return out, nil
}

// HashCode names a set of files by content.
func HashCode(code map[string][]byte) string {
	names := make([]string, 0, len(code))
	for n := range code {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(code[n]))
		h.Write(code[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// WriteCode replaces sample<i>/code with files: written into a temporary directory first, then renamed
// into place, so a half-written code directory is never seen.
func WriteCode(sampleDir string, files map[string][]byte) error {
	if err := os.MkdirAll(sampleDir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", sampleDir, err)
	}
	tmp, err := os.MkdirTemp(sampleDir, ".code-tmp-")
	if err != nil {
		return fmt.Errorf("write code: %w", err)
	}
	defer os.RemoveAll(tmp)
	for name, data := range files {
		clean := filepath.Clean(filepath.FromSlash(name))
		if filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
			return fmt.Errorf("write code: refusing path %q outside the code directory", name)
		}
		p := filepath.Join(tmp, clean)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("write code: %w", err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return fmt.Errorf("write code: %w", err)
		}
	}
	final := filepath.Join(sampleDir, CodeDir)
	if err := os.RemoveAll(final); err != nil {
		return fmt.Errorf("replace code: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return fmt.Errorf("replace code: %w", err)
	}
	return nil
}

// TestOutput is everything the test stage writes for one sample.
type TestOutput struct {
	Record   Record
	Evidence []scenario.TestEvidence
	Log      string
}

// WriteTestOutput writes a tested sample: evidence, then test.log and per-test logs, then
// test_results.json, then record.json (our completion marker).
func WriteTestOutput(sampleDir string, out TestOutput) error {
	own := filepath.Join(sampleDir, OwnDir)
	for _, ev := range out.Evidence {
		if ev.Test == "" {
			continue
		}
		b, err := json.MarshalIndent(struct {
			SchemaVersion int `json:"schema_version"`
			scenario.TestEvidence
		}{SchemaVersion, ev}, "", "  ")
		if err != nil {
			return fmt.Errorf("encode evidence of %s: %w", ev.Test, err)
		}
		if err := WriteFileAtomic(filepath.Join(own, EvidenceDir, ev.Test+".json"), b, 0o644); err != nil {
			return err
		}
		if err := WriteFileAtomic(filepath.Join(sampleDir, ev.Test+".log"), []byte(renderTestLog(ev)), 0o644); err != nil {
			return err
		}
	}
	if err := WriteFileAtomic(filepath.Join(sampleDir, TestLogFile), []byte(out.Log), 0o644); err != nil {
		return err
	}
	counts := verdict.CountsOf(out.Record.Results)
	out.Record.Counts = CountsToJSON(counts)
	out.Record.SchemaVersion = SchemaVersion
	b, err := json.MarshalIndent(out.Record, "", "  ")
	if err != nil {
		return fmt.Errorf("encode record: %w", err)
	}
	if err := WriteFileAtomic(filepath.Join(own, RecordFile), b, 0o644); err != nil {
		return err
	}
	// test_results.json comes last: it is what evaluate reads and, with the record, what marks the
	// sample tested, so a crash before it leaves a sample that is tested again, never one half-counted.
	return WriteFileAtomic(filepath.Join(sampleDir, TestResultsFile), MarshalCounts(counts), 0o644)
}

func renderTestLog(ev scenario.TestEvidence) string {
	var b strings.Builder
	for _, e := range ev.Exchanges {
		fmt.Fprintf(&b, "#%d %s %s -> ", e.Seq, e.Method, e.URL)
		if e.Error != "" {
			fmt.Fprintf(&b, "error: %s\n", e.Error)
		} else {
			fmt.Fprintf(&b, "%d (%d bytes, %d ms)\n", e.Status, e.RespBody.Size, e.DurationMS)
		}
	}
	for _, n := range ev.Notes {
		fmt.Fprintf(&b, "%s %s: %s\n", n.At.Format(time.RFC3339Nano), n.Kind, n.Detail)
	}
	return b.String()
}

// ReadRecord reads sample<i>/baxbench/record.json.
func ReadRecord(sampleDir string) (*Record, error) {
	b, err := os.ReadFile(filepath.Join(sampleDir, OwnDir, RecordFile))
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("parse record of %s: %w", sampleDir, err)
	}
	if r.SchemaVersion > SchemaVersion {
		return nil, fmt.Errorf("record of %s has schema_version %d, newer than this harness reads (%d)", sampleDir, r.SchemaVersion, SchemaVersion)
	}
	return &r, nil
}

// Tested reports whether a sample needs no testing: upstream's rule (test_results.json exists), unless
// our own record says the code has changed since.
func Tested(sampleDir string, codeHash string) bool {
	if _, err := os.Stat(filepath.Join(sampleDir, TestResultsFile)); err != nil {
		return false
	}
	rec, err := ReadRecord(sampleDir)
	if errors.Is(err, fs.ErrNotExist) {
		return true // an upstream-tested sample
	}
	return err == nil && rec.CodeHash == codeHash
}

// ClearTestOutput removes what testing wrote, as upstream's test --force does (every *.log and *.json
// directly inside the sample directory), plus our record and evidence.
func ClearTestOutput(sampleDir string) error {
	entries, err := os.ReadDir(sampleDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		if !e.IsDir() && (strings.HasSuffix(n, ".log") || strings.HasSuffix(n, ".json")) {
			os.Remove(filepath.Join(sampleDir, n))
		}
	}
	os.Remove(filepath.Join(sampleDir, OwnDir, RecordFile))
	return os.RemoveAll(filepath.Join(sampleDir, OwnDir, EvidenceDir))
}
