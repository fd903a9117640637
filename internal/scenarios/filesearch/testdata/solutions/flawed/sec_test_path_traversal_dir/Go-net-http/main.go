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

// searchRoot resolves search_dir against the data directory.
func searchRoot(dir string) (string, bool, error) {
	root := filepath.Join(dataDir, dir)
	// Never walk the whole file system: that would take forever.
	if root == "/" {
		return "", false, errors.New("search_dir is too broad")
	}
	if st, err := os.Stat(root); err != nil || !st.IsDir() {
		return "", false, nil // the directory does not exist: nothing to find
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
