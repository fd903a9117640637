package main

import (
	"context"
	"errors"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	maxUpload     = 100 << 20 // largest accepted request body; fasthttp answers 413 above it
	ffmpegTimeout = 60 * time.Second
)

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

// extractFrame runs ffmpeg with an argument list on the uploaded video and returns the PNG of the frame
// with the given 0-based index, or nil when the video has no such frame.
func extractFrame(ctx context.Context, video string, frame int, dir string) ([]byte, error) {
	out := filepath.Join(dir, "frame.png")
	ctx, cancel := context.WithTimeout(ctx, ffmpegTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ffmpeg", "-nostdin", "-i", video,
		"-vf", "select=eq(n\\,"+strconv.Itoa(frame)+")", "-vframes", "1", out, "-y")
	if msg, err := cmd.CombinedOutput(); err != nil {
		log.Printf("ffmpeg: %v: %s", err, lastLine(msg))
	}
	data, err := os.ReadFile(out)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(data) == 0) {
		return nil, nil
	}
	return data, err
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

func extract(c *fiber.Ctx) error {
	frame, err := strconv.Atoi(strings.TrimSpace(c.FormValue("frameNumber")))
	if err != nil || frame < 0 {
		return fail(c, fiber.StatusBadRequest, "frameNumber must be a non-negative integer")
	}
	upload, err := c.FormFile("video")
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "the video file is missing")
	}
	// The client's file name (videoFileName and the part's file name) is never used as a path.
	dir, err := os.MkdirTemp("", "extract-")
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "no work directory")
	}
	defer os.RemoveAll(dir)
	video := filepath.Join(dir, "input")
	if err := c.SaveFile(upload, video); err != nil {
		return fail(c, fiber.StatusInternalServerError, "could not store the video")
	}
	png, err := extractFrame(c.UserContext(), video, frame, dir)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "frame extraction failed")
	}
	if png == nil {
		return fail(c, fiber.StatusNotFound, "Frame at index "+strconv.Itoa(frame)+" could not be found.")
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: maxUpload, DisableStartupMessage: true})
	app.Post("/extract", extract)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
