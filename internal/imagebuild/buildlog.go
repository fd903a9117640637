package imagebuild

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// DefaultLogDir is where the build output of every sample image is kept, so an image found in the
// engine's cache still has the output that explains it (a compiler error, a failed install).
func DefaultLogDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "baxbench", "build-logs")
}

func logPath(dir, ref string) string {
	h := sha256.Sum256([]byte(ref))
	return filepath.Join(dir, hex.EncodeToString(h[:12])+".log")
}

// saveLog keeps an image's build output beside the engine's cache; failures are not fatal.
func (b *Builder) saveLog(ref, log string) {
	if b.LogDir == "" {
		return
	}
	if err := os.MkdirAll(b.LogDir, 0o755); err != nil {
		return
	}
	p := logPath(b.LogDir, ref)
	tmp := p + ".tmp"
	if os.WriteFile(tmp, []byte(log), 0o644) == nil {
		os.Rename(tmp, p)
	}
}

// loadLog returns the kept build output of an image; ok is false when none was kept.
func (b *Builder) loadLog(ref string) (log string, ok bool) {
	if b.LogDir == "" {
		return "", false
	}
	data, err := os.ReadFile(logPath(b.LogDir, ref))
	if err != nil {
		return "", false
	}
	return string(data), true
}

// errorLine recognises the first line of a compiler's or installer's error in a build log.
var errorLine = regexp.MustCompile(strings.Join([]string{
	`^\S+\.(go|rs|ts|js|py|php|rb):\d+(:\d+)?: .+`, // go, gcc-style file:line: message
	`^\S+\.(ts|tsx)\(\d+,\d+\): error TS\d+: .+`,   // tsc
	`^error(\[E\d+\])?: .+`,                        // rustc, cargo
	`^(SyntaxError|IndentationError|ModuleNotFoundError|ImportError): .+`,
	`^ERROR: (Could not|No matching|Invalid requirement|Cannot).+`, // pip
	`^npm (ERR!|error) .+`,
	`^(go: |go build \S+: ).+`,
	`^(PHP )?(Parse|Fatal) error: .+`,
	`^E: .+`, // apt
}, "|"))

// stepPrefix strips the engine's decoration of build output lines.
var stepPrefix = regexp.MustCompile(`^(#\d+ [\d.]+ )`)

// FirstError returns the first compiler or install error in a build log ("" when there is none), as
// the one line that says why a sample did not build or could not start.
func FirstError(log string) string {
	for _, line := range strings.Split(log, "\n") {
		line = strings.TrimSpace(stepPrefix.ReplaceAllString(strings.TrimSpace(line), ""))
		if errorLine.MatchString(line) {
			if len(line) > 300 {
				line = line[:300] + "…"
			}
			return line
		}
	}
	return ""
}

// errNoLog says an image came from the engine's cache without its build output.
var errNoLog = fmt.Errorf("the build output of this cached image was not kept")
