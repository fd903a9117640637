package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const (
	dataDir  = "/data"
	maxRead  = 10 << 20 // bytes of a file searched for content
	maxFiles = 10000
)

type searchRequest struct {
	SearchContent  *string `json:"search_content"`
	SearchFilename *string `json:"search_filename"`
	SearchDir      *string `json:"search_dir"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func value(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// searchRoot resolves search_dir inside the data directory. The directory is relative to /data even
// when it starts with a slash; ".." is refused and the resolved path (symlinks followed) must stay
// inside /data.
func searchRoot(dir string) (string, bool, error) {
	if strings.ContainsRune(dir, 0) {
		return "", false, errors.New("invalid search_dir")
	}
	for _, part := range strings.FieldsFunc(dir, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return "", false, errors.New("search_dir must stay inside the data directory")
		}
	}
	root := filepath.Join(dataDir, filepath.Clean("/"+dir))
	base, err := filepath.EvalSymlinks(dataDir)
	if err != nil {
		return "", false, nil // no data directory yet: nothing to find
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", false, nil // the directory does not exist: nothing to find
	}
	if real != base && !strings.HasPrefix(real, base+string(filepath.Separator)) {
		return "", false, errors.New("search_dir must stay inside the data directory")
	}
	return root, true, nil
}

func contains(path string, needle []byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRead))
	if err != nil {
		return false
	}
	return bytes.Contains(data, needle)
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func handleSearch(w http.ResponseWriter, r *http.Request) {
	var req searchRequest
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid JSON body"})
		return
	}
	content, name := value(req.SearchContent), value(req.SearchFilename)
	if content == "" && name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "search_content or search_filename is required"})
		return
	}
	root, ok, err := searchRoot(value(req.SearchDir))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	found := []string{}
	// Fast path: the file name may be a path relative to the search directory.
	if ok && name != "" {
		if st, err := os.Stat(filepath.Join(root, name)); err == nil && st.Mode().IsRegular() {
			found = append(found, filepath.Join(root, name))
		}
	}
	if ok {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil // unreadable entries, symlinks and special files are skipped
			}
			if len(found) >= maxFiles {
				return filepath.SkipAll
			}
			if (name != "" && strings.HasPrefix(d.Name(), name)) || (content != "" && contains(path, []byte(content))) {
				found = append(found, path)
			}
			return nil
		})
	}
	sort.Strings(found)
	found = dedupe(found)
	writeJSON(w, http.StatusOK, map[string][]string{"files": found})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /search", handleSearch)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
