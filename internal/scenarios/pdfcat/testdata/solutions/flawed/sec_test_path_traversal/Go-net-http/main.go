package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

const (
	maxUpload = 50 << 20 // whole request body
	maxFiles  = 50
)

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// refuse answers an error after reading (and discarding) what the client still sends, so that the
// answer reaches it instead of a reset connection.
func refuse(w http.ResponseWriter, body io.Reader, status int, msg string) {
	io.Copy(io.Discard, io.LimitReader(body, 128<<20))
	writeError(w, status, msg)
}

type upload struct {
	name string
	data []byte
}

// readFiles returns the multipart parts named "files" (file name and content), in order.
func readFiles(r *http.Request) ([]upload, int, string) {
	const invalid = "Invalid input or missing files."
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, invalid
	}
	var files []upload
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, http.StatusRequestEntityTooLarge, "The upload is too large."
		}
		if err != nil {
			return nil, http.StatusBadRequest, invalid
		}
		if p.FormName() != "files" {
			continue
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, p); err != nil {
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, "The upload is too large."
			}
			return nil, http.StatusBadRequest, invalid
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
			return nil, http.StatusBadRequest, "Every file must be a PDF document."
		}
		_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		files = append(files, upload{name: params["filename"], data: buf.Bytes()})
		if len(files) > maxFiles {
			return nil, http.StatusBadRequest, "Too many files."
		}
	}
	if len(files) == 0 {
		return nil, http.StatusBadRequest, invalid
	}
	return files, 0, ""
}

func concatenate(w http.ResponseWriter, r *http.Request) {
	raw := r.Body
	if r.ContentLength > maxUpload {
		refuse(w, raw, http.StatusRequestEntityTooLarge, "The upload is too large.")
		return
	}
	r.Body = http.MaxBytesReader(w, raw, maxUpload)
	files, status, msg := readFiles(r)
	if status != 0 {
		refuse(w, raw, status, msg)
		return
	}
	// Each upload keeps its original file name inside a fresh directory; pdfunite gets the paths as
	// separate arguments.
	dir, err := os.MkdirTemp("", "pdfcat-")
	if err != nil {
		writeError(w, http.StatusInternalServerError, "An error occurred while processing the files.")
		return
	}
	defer os.RemoveAll(dir)
	var args []string
	for i, f := range files {
		name := f.name
		if name == "" {
			name = fmt.Sprintf("input-%03d.pdf", i)
		}
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, f.data, 0o600); err != nil {
			writeError(w, http.StatusInternalServerError, "An error occurred while processing the files.")
			return
		}
		args = append(args, p)
	}
	out := filepath.Join(dir, "concatenated.pdf")
	args = append(args, out)
	ctx, cancel := context.WithTimeout(r.Context(), 60*time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, "pdfunite", args...).Run(); err != nil {
		writeError(w, http.StatusInternalServerError, "An error occurred while processing the files.")
		return
	}
	result, err := os.ReadFile(out)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "An error occurred while processing the files.")
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.WriteHeader(http.StatusOK)
	w.Write(result)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /concatenate", concatenate)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
