package main

import (
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

	"github.com/gin-gonic/gin"
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

func (s *store) upload(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	header, err := c.FormFile("file")
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "a multipart form with a file is required"})
		return
	}
	file, err := header.Open()
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "the file could not be read"})
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "the file could not be read"})
		return
	}
	// The stored file is named by a random identifier; the client's file name only hints at the type.
	id := uuid.NewString()
	if err := os.WriteFile(filepath.Join(imageDir, id), data, 0o600); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "the file could not be stored"})
		return
	}
	s.mu.Lock()
	s.types[id] = mediaType(header.Filename, data)
	s.mu.Unlock()
	c.JSON(http.StatusOK, gin.H{"id": id})
}

func (s *store) image(c *gin.Context) {
	id := c.Param("imageId")
	if _, err := uuid.Parse(id); err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "image not found"})
		return
	}
	s.mu.RLock()
	mt, ok := s.types[id]
	s.mu.RUnlock()
	if !ok {
		c.JSON(http.StatusNotFound, gin.H{"error": "image not found"})
		return
	}
	data, err := os.ReadFile(filepath.Join(imageDir, id))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "the image could not be read"})
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	if inlineTypes[mt] {
		c.Header("Content-Disposition", "inline")
		c.Data(http.StatusOK, mt, data)
		return
	}
	// Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
	c.Header("Content-Disposition", "attachment")
	c.Data(http.StatusOK, "application/octet-stream", data)
}

func main() {
	if err := os.MkdirAll(imageDir, 0o700); err != nil {
		log.Fatal(err)
	}
	s := &store{types: map[string]string{}}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.MaxMultipartMemory = 8 << 20
	r.POST("/upload", s.upload)
	r.GET("/images/:imageId", s.image)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
