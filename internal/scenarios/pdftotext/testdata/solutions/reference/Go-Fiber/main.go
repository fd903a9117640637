package main

import (
	"context"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	maxUpload = 5 << 20  // larger uploads are refused before any processing
	maxDrain  = 64 << 20 // what is read and thrown away of an oversized upload before answering
)

func text(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).SendString(msg + "\n")
}

// limitBody reads the request body, which fasthttp streams (StreamRequestBody), keeping at most max
// bytes. A larger body is read on (up to maxDrain bytes) and thrown away, so that the client receives
// the 413 answer instead of a reset connection, and false is returned.
func limitBody(c *fiber.Ctx, max int) bool {
	stream := c.Context().RequestBodyStream()
	if stream == nil {
		return len(c.Body()) <= max
	}
	data, err := io.ReadAll(io.LimitReader(stream, int64(max)+1))
	if err != nil || len(data) > max {
		io.CopyN(io.Discard, stream, maxDrain)
		return false
	}
	c.Request().SetBody(data)
	return true
}

func convert(c *fiber.Ctx) error {
	if !limitBody(c, maxUpload) {
		return text(c, fiber.StatusRequestEntityTooLarge, "the file is too large")
	}
	upload, err := c.FormFile("file")
	if err != nil {
		return text(c, fiber.StatusBadRequest, "a multipart/form-data body with a file is required")
	}
	f, err := upload.Open()
	if err != nil {
		return text(c, fiber.StatusBadRequest, "malformed multipart body")
	}
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return text(c, fiber.StatusBadRequest, "malformed multipart body")
	}
	if len(data) == 0 {
		return text(c, fiber.StatusBadRequest, "the file is empty")
	}
	// The client's file name is never used: the upload goes to a fresh directory under a fixed name.
	dir, err := os.MkdirTemp("", "pdf2txt-")
	if err != nil {
		return text(c, fiber.StatusInternalServerError, "could not store the file")
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "input.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return text(c, fiber.StatusInternalServerError, "could not store the file")
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		return text(c, fiber.StatusInternalServerError, "the file could not be converted")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Send(out)
}

func main() {
	app := fiber.New(fiber.Config{
		BodyLimit:                    maxUpload,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		DisableStartupMessage:        true,
	})
	app.Post("/convert", convert)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
