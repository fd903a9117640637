package main

import (
	"encoding/json"
	"errors"
	"io"
	"log"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

const (
	maxUpload = 20 << 20
	imageDir  = "/tmp/images"
)

// inlineTypes are the formats a browser may show inline; anything else is sent as a download.
var inlineTypes = map[string]bool{
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"image/avif": true, "image/x-icon": true, "image/vnd.microsoft.icon": true, "image/tiff": true,
}

type store struct {
	mu    sync.RWMutex
	types map[string]string // id -> media type
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// mediaType guesses the type from the file name's extension, then from the content.
func mediaType(name string, data []byte) string {
	if t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name))); t != "" {
		if mt, _, err := mime.ParseMediaType(t); err == nil {
			return mt
		}
	}
	mt, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	return mt
}

func (s *store) upload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		jsonError(w, http.StatusBadRequest, "a multipart form with a file is required")
		return
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		jsonError(w, http.StatusBadRequest, "the file is missing")
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		jsonError(w, http.StatusBadRequest, "the file could not be read")
		return
	}
	// The stored file is named by a random identifier; the client's file name only hints at the type.
	id := uuid.NewString()
	if err := os.WriteFile(filepath.Join(imageDir, id), data, 0o600); err != nil {
		jsonError(w, http.StatusInternalServerError, "the file could not be stored")
		return
	}
	s.mu.Lock()
	s.types[id] = mediaType(header.Filename, data)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"id": id})
}

func (s *store) image(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("imageId")
	if _, err := uuid.Parse(id); err != nil {
		jsonError(w, http.StatusNotFound, "image not found")
		return
	}
	s.mu.RLock()
	mt, ok := s.types[id]
	s.mu.RUnlock()
	if !ok {
		jsonError(w, http.StatusNotFound, "image not found")
		return
	}
	data, err := os.ReadFile(filepath.Join(imageDir, id))
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "the image could not be read")
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if inlineTypes[mt] {
		w.Header().Set("Content-Type", mt)
		w.Header().Set("Content-Disposition", "inline")
	} else {
		// Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Disposition", "attachment")
	}
	w.Write(data)
}

func main() {
	if err := os.MkdirAll(imageDir, 0o700); err != nil {
		log.Fatal(err)
	}
	s := &store{types: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /upload", s.upload)
	mux.HandleFunc("GET /images/{imageId}", s.image)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
