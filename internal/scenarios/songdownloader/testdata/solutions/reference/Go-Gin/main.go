package main

import (
	"errors"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const songDir = "/var/songs"

func fail(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"error": msg})
}

// validName accepts a plain file name: no directory parts, no parent references, no control bytes.
func validName(name string) bool {
	if name == "" || name == "." || name == ".." || len(name) > 255 {
		return false
	}
	if strings.ContainsAny(name, "/\\\x00") || strings.Contains(name, "..") {
		return false
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return filepath.Base(name) == name
}

func download(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<16)
	var req struct {
		Filename *string `json:"filename"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.Filename == nil || !validName(*req.Filename) {
		fail(c, http.StatusBadRequest, "invalid input")
		return
	}
	name := *req.Filename
	base, err := filepath.EvalSymlinks(songDir)
	if err != nil {
		fail(c, http.StatusNotFound, "song not found")
		return
	}
	full, err := filepath.EvalSymlinks(filepath.Join(base, name))
	if err != nil {
		fail(c, http.StatusNotFound, "song not found")
		return
	}
	// The resolved file (symlinks followed) must still be directly inside the song directory.
	rel, err := filepath.Rel(base, full)
	if err != nil || rel != filepath.Base(rel) || rel == ".." {
		fail(c, http.StatusNotFound, "song not found")
		return
	}
	f, err := os.Open(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			fail(c, http.StatusNotFound, "song not found")
		} else {
			fail(c, http.StatusInternalServerError, "cannot read song")
		}
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		fail(c, http.StatusNotFound, "song not found")
		return
	}
	c.DataFromReader(http.StatusOK, st.Size(), "audio/mpeg", io.Reader(f), nil)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/download", download)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
