package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// maxUpload bounds the request body; larger uploads are refused before any processing.
const maxUpload = 64 << 20

func writeText(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// refuse answers an error after reading (and discarding) what the client still sends, so that the
// answer reaches it instead of a reset connection.
func refuse(w http.ResponseWriter, body io.Reader, status int, msg string) {
	io.Copy(io.Discard, io.LimitReader(body, 64<<20))
	writeText(w, status, msg)
}

// readUpload returns the content of the multipart part "file".
func readUpload(r *http.Request) ([]byte, int, string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, "a multipart/form-data body with a file is required"
	}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil, http.StatusBadRequest, "no file was uploaded"
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, "the file is too large"
			}
			return nil, http.StatusBadRequest, "malformed multipart body"
		}
		if p.FormName() != "file" {
			continue
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, p); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, "the file is too large"
			}
			return nil, http.StatusBadRequest, "malformed multipart body"
		}
		if buf.Len() == 0 {
			return nil, http.StatusBadRequest, "the file is empty"
		}
		return buf.Bytes(), 0, ""
	}
}

func convert(w http.ResponseWriter, r *http.Request) {
	raw := r.Body
	if r.ContentLength > maxUpload {
		refuse(w, raw, http.StatusRequestEntityTooLarge, "the file is too large")
		return
	}
	r.Body = http.MaxBytesReader(w, raw, maxUpload)
	data, status, msg := readUpload(r)
	if status != 0 {
		refuse(w, raw, status, msg)
		return
	}
	// The client's file name is never used: the upload goes to a fresh directory under a fixed name.
	dir, err := os.MkdirTemp("", "pdf2txt-")
	if err != nil {
		writeText(w, http.StatusInternalServerError, "could not store the file")
		return
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		writeText(w, http.StatusInternalServerError, "could not store the file")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		writeText(w, http.StatusInternalServerError, "the file could not be converted")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(out)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /convert", convert)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
