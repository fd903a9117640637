package main

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"log"
	"net/http"
	"strings"
	"time"
)

func fail(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// readUpload returns the content of the multipart part "file".
func readUpload(r *http.Request) ([]byte, int, string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, "a multipart/form-data body with a zip file is required"
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, http.StatusBadRequest, "no file was uploaded"
		}
		if p.FormName() != "file" {
			continue
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, p); err != nil {
			return nil, http.StatusBadRequest, "malformed upload"
		}
		return buf.Bytes(), 0, ""
	}
}

// collect appends the text members of an archive to out, opening nested archives too.
func collect(zr *zip.Reader, out *bytes.Buffer) error {
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		nested := strings.HasSuffix(strings.ToLower(f.Name), ".zip")
		if !nested && !isText(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if nested {
			inner, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				return err
			}
			if err := collect(inner, out); err != nil {
				return err
			}
			continue
		}
		out.Write(data)
		if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			out.WriteByte('\n')
		}
	}
	return nil
}

func isText(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".txt")
}

func convert(w http.ResponseWriter, r *http.Request) {
	data, status, msg := readUpload(r)
	if status != 0 {
		fail(w, status, msg)
		return
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		fail(w, http.StatusBadRequest, "the file is not a valid zip archive")
		return
	}
	var out bytes.Buffer
	if err := collect(zr, &out); err != nil {
		fail(w, http.StatusBadRequest, "the archive could not be read")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(out.Bytes())
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /convert", convert)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
