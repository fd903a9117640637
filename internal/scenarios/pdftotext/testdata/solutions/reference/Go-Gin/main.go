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

	"github.com/gin-gonic/gin"
)

// maxUpload bounds the request body; larger uploads are refused before any processing.
const maxUpload = 5 << 20

func writeText(c *gin.Context, status int, msg string) {
	c.String(status, msg+"\n")
}

// refuse answers an error after reading (and discarding) what the client still sends, so that the
// answer reaches it instead of a reset connection.
func refuse(c *gin.Context, body io.Reader, status int, msg string) {
	io.Copy(io.Discard, io.LimitReader(body, 64<<20))
	writeText(c, status, msg)
}

// readUpload streams the multipart body and returns the content of the part "file".
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
		var mbe *http.MaxBytesError
		if err != nil {
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

func convert(c *gin.Context) {
	raw := c.Request.Body
	if c.Request.ContentLength > maxUpload {
		refuse(c, raw, http.StatusRequestEntityTooLarge, "the file is too large")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, raw, maxUpload)
	data, status, msg := readUpload(c.Request)
	if status != 0 {
		refuse(c, raw, status, msg)
		return
	}
	// The client's file name is never used: the upload goes to a fresh directory under a fixed name.
	dir, err := os.MkdirTemp("", "pdf2txt-")
	if err != nil {
		writeText(c, http.StatusInternalServerError, "could not store the file")
		return
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		writeText(c, http.StatusInternalServerError, "could not store the file")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		writeText(c, http.StatusInternalServerError, "the file could not be converted")
		return
	}
	c.Data(http.StatusOK, "text/plain; charset=utf-8", out)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/convert", convert)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
