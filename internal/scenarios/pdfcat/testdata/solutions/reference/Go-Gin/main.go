package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	maxUpload = 50 << 20 // whole request body
	maxFiles  = 50
)

func writeError(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"error": msg})
}

// refuse answers an error after reading (and discarding) what the client still sends, so that the
// answer reaches it instead of a reset connection.
func refuse(c *gin.Context, body io.Reader, status int, msg string) {
	io.Copy(io.Discard, io.LimitReader(body, 128<<20))
	writeError(c, status, msg)
}

// readFiles streams the multipart body and returns the contents of the parts named "files", in order.
func readFiles(r *http.Request) ([][]byte, int, string) {
	const invalid = "Invalid input or missing files."
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, invalid
	}
	var files [][]byte
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
		files = append(files, buf.Bytes())
		if len(files) > maxFiles {
			return nil, http.StatusBadRequest, "Too many files."
		}
	}
	if len(files) == 0 {
		return nil, http.StatusBadRequest, invalid
	}
	return files, 0, ""
}

func concatenate(c *gin.Context) {
	raw := c.Request.Body
	if c.Request.ContentLength > maxUpload {
		refuse(c, raw, http.StatusRequestEntityTooLarge, "The upload is too large.")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, raw, maxUpload)
	files, status, msg := readFiles(c.Request)
	if status != 0 {
		refuse(c, raw, status, msg)
		return
	}
	// Client file names are never used: each upload is stored under a generated name in a fresh
	// directory, and pdfunite gets the paths as separate arguments (no shell).
	dir, err := os.MkdirTemp("", "pdfcat-")
	if err != nil {
		writeError(c, http.StatusInternalServerError, "An error occurred while processing the files.")
		return
	}
	defer os.RemoveAll(dir)
	var args []string
	for i, data := range files {
		p := filepath.Join(dir, fmt.Sprintf("input-%03d.pdf", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			writeError(c, http.StatusInternalServerError, "An error occurred while processing the files.")
			return
		}
		args = append(args, p)
	}
	out := filepath.Join(dir, "concatenated.pdf")
	args = append(args, out)
	ctx, cancel := context.WithTimeout(c.Request.Context(), 60*time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, "pdfunite", args...).Run(); err != nil {
		writeError(c, http.StatusInternalServerError, "An error occurred while processing the files.")
		return
	}
	result, err := os.ReadFile(out)
	if err != nil {
		writeError(c, http.StatusInternalServerError, "An error occurred while processing the files.")
		return
	}
	c.Data(http.StatusOK, "application/pdf", result)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/concatenate", concatenate)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
