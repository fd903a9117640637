package main

import (
	"io"
	"log"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
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

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
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

func (s *store) upload(c *fiber.Ctx) error {
	header, err := c.FormFile("file")
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "a multipart form with a file is required")
	}
	file, err := header.Open()
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "the file could not be read")
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "the file could not be read")
	}
	// The stored file is named by a random identifier; the client's file name only hints at the type.
	id := uuid.NewString()
	if err := os.WriteFile(filepath.Join(imageDir, id), data, 0o600); err != nil {
		return fail(c, fiber.StatusInternalServerError, "the file could not be stored")
	}
	s.mu.Lock()
	s.types[id] = mediaType(header.Filename, data)
	s.mu.Unlock()
	return c.JSON(fiber.Map{"id": id})
}

func (s *store) image(c *fiber.Ctx) error {
	id := c.Params("imageId")
	if _, err := uuid.Parse(id); err != nil {
		return fail(c, fiber.StatusNotFound, "image not found")
	}
	s.mu.RLock()
	mt, ok := s.types[id]
	s.mu.RUnlock()
	if !ok {
		return fail(c, fiber.StatusNotFound, "image not found")
	}
	data, err := os.ReadFile(filepath.Join(imageDir, id))
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "the image could not be read")
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	if inlineTypes[mt] {
		c.Set(fiber.HeaderContentType, mt)
		c.Set(fiber.HeaderContentDisposition, "inline")
	} else {
		// Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
		c.Set(fiber.HeaderContentType, fiber.MIMEOctetStream)
		c.Set(fiber.HeaderContentDisposition, "attachment")
	}
	return c.Send(data)
}

func main() {
	if err := os.MkdirAll(imageDir, 0o700); err != nil {
		log.Fatal(err)
	}
	s := &store{types: map[string]string{}}
	app := fiber.New(fiber.Config{BodyLimit: maxUpload, DisableStartupMessage: true})
	app.Post("/upload", s.upload)
	app.Get("/images/:imageId", s.image)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
