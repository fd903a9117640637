package main

import (
	"archive/zip"
	"bytes"
	"io"
	"log"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const (
	maxUpload  = 10 << 20 // request body; fasthttp answers 413 above it
	maxOutput  = 10 << 20 // text produced from all members together
	maxMembers = 1000
)

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).SendString(msg + "\n")
}

// readUpload returns the content of the multipart part "file".
func readUpload(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func isText(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ".txt")
}

func convert(c *fiber.Ctx) error {
	data, err := readUpload(c)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "a multipart/form-data body with a zip file is required")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "the file is not a valid zip archive")
	}
	if len(zr.File) > maxMembers {
		return fail(c, fiber.StatusBadRequest, "the archive has too many members")
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
			return fail(c, fiber.StatusBadRequest, "the archive could not be read")
		}
		left := int64(maxOutput - out.Len())
		n, err := io.Copy(&out, io.LimitReader(rc, left+1))
		rc.Close()
		if err != nil {
			return fail(c, fiber.StatusBadRequest, "the archive could not be read")
		}
		if n > left {
			return fail(c, fiber.StatusRequestEntityTooLarge, "the archive expands to too much text")
		}
		if out.Len() > 0 && !bytes.HasSuffix(out.Bytes(), []byte("\n")) {
			out.WriteByte('\n')
		}
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	return c.Send(out.Bytes())
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: maxUpload, DisableStartupMessage: true})
	app.Post("/convert", convert)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
