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

	"github.com/gin-gonic/gin"
)

const (
	maxUpload  = 10 << 20 // request body
	maxOutput  = 10 << 20 // text produced from all members together
	maxMembers = 1000
)

func fail(c *gin.Context, status int, msg string) {
	c.String(status, msg+"\n")
}

// readUpload streams the multipart body and returns the content of the part "file".
func readUpload(r *http.Request) ([]byte, int, string) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, http.StatusBadRequest, "a multipart/form-data body with a zip file is required"
	}
	for {
		p, err := mr.NextPart()
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, http.StatusRequestEntityTooLarge, "the upload is too large"
		}
		if err != nil {
			return nil, http.StatusBadRequest, "no file was uploaded"
		}
		if p.FormName() != "file" {
			continue
		}
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, p); err != nil {
			if errors.As(err, &mbe) {
				return nil, http.StatusRequestEntityTooLarge, "the upload is too large"
			}
			return nil, http.StatusBadRequest, "malformed upload"
		}
		return buf.Bytes(), 0, ""
	}
}

func isText(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".txt")
}

func convert(c *gin.Context) {
	if c.Request.ContentLength > maxUpload {
		fail(c, http.StatusRequestEntityTooLarge, "the upload is too large")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	data, status, msg := readUpload(c.Request)
	if status != 0 {
		fail(c, status, msg)
		return
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		fail(c, http.StatusBadRequest, "the file is not a valid zip archive")
		return
	}
	if len(zr.File) > maxMembers {
		fail(c, http.StatusBadRequest, "the archive has too many members")
		return
	}
	// Members are read in memory only, never extracted to disk, and nested archives are not opened.
	// The total output is bounded whatever the members' headers claim.
	var out bytes.Buffer
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !isText(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			fail(c, http.StatusBadRequest, "the archive could not be read")
			return
		}
		left := int64(maxOutput - out.Len())
		n, err := io.Copy(&out, io.LimitReader(rc, left+1))
		rc.Close()
		if err != nil {
			fail(c, http.StatusBadRequest, "the archive could not be read")
			return
		}
		if n > left {
			fail(c, http.StatusRequestEntityTooLarge, "the archive expands to too much text")
			return
		}
		if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			out.WriteByte('\n')
		}
	}
	c.Data(http.StatusOK, "text/plain; charset=utf-8", out.Bytes())
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
