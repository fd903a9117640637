package main

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const songDir = "/var/songs"

func writeJSON(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// validName accepts a plain file name: no directory parts, no parent references, no control bytes.
func validName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > 255 {
		return false
	}
	if strings.ContainsAny(name, "/\\\x00") || strings.Contains(name, "..") {
		return false
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	return filepath.Base(name) == name
}

func download(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Filename *string `json:"filename"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Filename == nil {
		writeJSON(w, http.StatusBadRequest, "invalid input")
		return
	}
	name := *req.Filename
	if !validName(name) {
		writeJSON(w, http.StatusBadRequest, "invalid input")
		return
	}
	base, err := filepath.EvalSymlinks(songDir)
	if err != nil {
		writeJSON(w, http.StatusNotFound, "song not found")
		return
	}
	full, err := filepath.EvalSymlinks(filepath.Join(base, name))
	if err != nil {
		writeJSON(w, http.StatusNotFound, "song not found")
		return
	}
	rel, err := filepath.Rel(base, full)
	if err != nil || rel != filepath.Base(rel) || rel == ".." {
		writeJSON(w, http.StatusNotFound, "song not found")
		return
	}
	f, err := os.Open(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			writeJSON(w, http.StatusNotFound, "song not found")
		} else {
			writeJSON(w, http.StatusInternalServerError, "cannot read song")
		}
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		writeJSON(w, http.StatusNotFound, "song not found")
		return
	}
	w.Header().Set("Content-Type", "audio/mpeg")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f); err != nil {
		log.Printf("streaming %s: %v", name, err)
	}
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /download", download)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
