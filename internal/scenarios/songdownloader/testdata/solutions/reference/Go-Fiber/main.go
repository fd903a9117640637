package main

import (
	"errors"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const songDir = "/var/songs"

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
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

func download(c *fiber.Ctx) error {
	var req struct {
		Filename *string `json:"filename"`
	}
	if err := c.BodyParser(&req); err != nil || req.Filename == nil || !validName(*req.Filename) {
		return fail(c, fiber.StatusBadRequest, "invalid input")
	}
	name := *req.Filename
	base, err := filepath.EvalSymlinks(songDir)
	if err != nil {
		return fail(c, fiber.StatusNotFound, "song not found")
	}
	full, err := filepath.EvalSymlinks(filepath.Join(base, name))
	if err != nil {
		return fail(c, fiber.StatusNotFound, "song not found")
	}
	// The resolved file (symlinks followed) must still be directly inside the song directory.
	rel, err := filepath.Rel(base, full)
	if err != nil || rel != filepath.Base(rel) || rel == ".." {
		return fail(c, fiber.StatusNotFound, "song not found")
	}
	f, err := os.Open(full)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fail(c, fiber.StatusNotFound, "song not found")
		}
		return fail(c, fiber.StatusInternalServerError, "cannot read song")
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return fail(c, fiber.StatusNotFound, "song not found")
	}
	// fasthttp streams the file and closes it when the response is sent.
	c.Set(fiber.HeaderContentType, "audio/mpeg")
	return c.SendStream(f, int(st.Size()))
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: 1 << 16, DisableStartupMessage: true})
	app.Post("/download", download)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
