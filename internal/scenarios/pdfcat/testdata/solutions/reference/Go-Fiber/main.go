package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	maxUpload = 50 << 20 // whole request body; fasthttp answers 413 above it
	maxFiles  = 50
	invalid   = "Invalid input or missing files."
)

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

// readPDFs returns the contents of the uploaded files, in order, after checking each is a PDF.
func readPDFs(files []*multipart.FileHeader) ([][]byte, string) {
	if len(files) == 0 {
		return nil, invalid
	}
	if len(files) > maxFiles {
		return nil, "Too many files."
	}
	var out [][]byte
	for _, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, invalid
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, invalid
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			return nil, "Every file must be a PDF document."
		}
		out = append(out, data)
	}
	return out, ""
}

func concatenate(c *fiber.Ctx) error {
	form, err := c.MultipartForm()
	if err != nil {
		return fail(c, fiber.StatusBadRequest, invalid)
	}
	files, msg := readPDFs(form.File["files"])
	if msg != "" {
		return fail(c, fiber.StatusBadRequest, msg)
	}
	// Client file names are never used: each upload is stored under a generated name in a fresh
	// directory, and pdfunite gets the paths as separate arguments (no shell).
	dir, err := os.MkdirTemp("", "pdfcat-")
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "An error occurred while processing the files.")
	}
	defer os.RemoveAll(dir)
	var args []string
	for i, data := range files {
		p := filepath.Join(dir, fmt.Sprintf("input-%03d.pdf", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return fail(c, fiber.StatusInternalServerError, "An error occurred while processing the files.")
		}
		args = append(args, p)
	}
	out := filepath.Join(dir, "concatenated.pdf")
	args = append(args, out)
	ctx, cancel := context.WithTimeout(c.UserContext(), 60*time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, "pdfunite", args...).Run(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "An error occurred while processing the files.")
	}
	result, err := os.ReadFile(out)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "An error occurred while processing the files.")
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	return c.Send(result)
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: maxUpload, DisableStartupMessage: true})
	app.Post("/concatenate", concatenate)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
