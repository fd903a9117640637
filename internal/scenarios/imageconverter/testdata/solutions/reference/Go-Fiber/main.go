package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"log"
	"mime/multipart"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	maxUpload      = 50 << 20  // largest accepted request body; fasthttp answers 413 above it
	maxImages      = 50        // images in one GIF
	maxSide        = 4000      // largest target width or height in pixels
	maxTargetArea  = 4_000_000 // largest target area in pixels
	maxTotalPixels = 64_000_000
	maxInputPixels = 40_000_000 // largest uploaded image, against decompression bombs
	maxDelay       = 655350     // GIF delays are 16-bit hundredths of a second
	convertTimeout = 60 * time.Second
)

var sizePattern = regexp.MustCompile(`^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$`)

type options struct {
	width, height int
	delayCS       int
	reverted      bool
}

func parseOptions(c *fiber.Ctx) (options, error) {
	var o options
	m := sizePattern.FindStringSubmatch(c.FormValue("targetSize"))
	if m == nil {
		return o, errors.New("targetSize must look like 500x500")
	}
	o.width, _ = strconv.Atoi(m[1])
	o.height, _ = strconv.Atoi(m[2])
	if o.width > maxSide || o.height > maxSide || o.width*o.height > maxTargetArea {
		return o, fmt.Errorf("targetSize is too large: at most %dx%d pixels and %d pixels in all", maxSide, maxSide, maxTargetArea)
	}
	delay := 10
	if s := c.FormValue("delay"); s != "" {
		d, err := strconv.Atoi(s)
		if err != nil || d < 0 || d > maxDelay {
			return o, errors.New("delay must be a whole number of milliseconds")
		}
		delay = d
	}
	o.delayCS = (delay + 5) / 10
	if s := c.FormValue("appendReverted"); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return o, errors.New("appendReverted must be true or false")
		}
		o.reverted = b
	}
	return o, nil
}

// saveImages stores each upload under a name of our own, after checking that Go can read its header as
// PNG, JPEG or GIF; the returned inputs name the format explicitly so ImageMagick picks no other coder.
func saveImages(files []*multipart.FileHeader, dir string) ([]string, error) {
	if len(files) == 0 || len(files) > maxImages {
		return nil, fmt.Errorf("between 1 and %d images are required", maxImages)
	}
	var inputs []string
	for i, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, err
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("image %d is not a PNG, JPEG or GIF image", i+1)
		}
		if cfg.Width*cfg.Height > maxInputPixels {
			return nil, fmt.Errorf("image %d is too large", i+1)
		}
		p := filepath.Join(dir, fmt.Sprintf("input-%03d.%s", i, format))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			return nil, err
		}
		inputs = append(inputs, format+":"+p)
	}
	return inputs, nil
}

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

func createGIF(c *fiber.Ctx) error {
	form, err := c.MultipartForm()
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "a multipart form with images is required")
	}
	o, err := parseOptions(c)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, err.Error())
	}
	dir, err := os.MkdirTemp("", "gif-")
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "no work directory")
	}
	defer os.RemoveAll(dir)
	inputs, err := saveImages(form.File["images"], dir)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, err.Error())
	}
	frames := append([]string{}, inputs...)
	if o.reverted {
		for i := len(inputs) - 1; i >= 0; i-- {
			frames = append(frames, inputs[i])
		}
	}
	if len(frames)*o.width*o.height > maxTotalPixels {
		return fail(c, fiber.StatusBadRequest, "the animation would be too large")
	}
	out := filepath.Join(dir, "out.gif")
	args := []string{"-delay", strconv.Itoa(o.delayCS)}
	args = append(args, frames...)
	args = append(args, "-resize", fmt.Sprintf("%dx%d!", o.width, o.height), "-loop", "0", "gif:"+out)
	ctx, cancel := context.WithTimeout(c.UserContext(), convertTimeout)
	defer cancel()
	if msg, err := exec.CommandContext(ctx, "convert", args...).CombinedOutput(); err != nil {
		log.Printf("convert: %v: %s", err, msg)
		return fail(c, fiber.StatusInternalServerError, "the GIF could not be created")
	}
	gif, err := os.ReadFile(out)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "the GIF could not be created")
	}
	c.Set(fiber.HeaderContentType, "image/gif")
	return c.Send(gif)
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: maxUpload, DisableStartupMessage: true})
	app.Post("/create-gif", createGIF)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
