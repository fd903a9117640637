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
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	maxUpload      = 50 << 20  // largest accepted request body
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

func parseOptions(c *gin.Context) (options, error) {
	var o options
	m := sizePattern.FindStringSubmatch(c.PostForm("targetSize"))
	if m == nil {
		return o, errors.New("targetSize must look like 500x500")
	}
	o.width, _ = strconv.Atoi(m[1])
	o.height, _ = strconv.Atoi(m[2])
	if o.width > maxSide || o.height > maxSide || o.width*o.height > maxTargetArea {
		return o, fmt.Errorf("targetSize is too large: at most %dx%d pixels and %d pixels in all", maxSide, maxSide, maxTargetArea)
	}
	delay := 10
	if s := c.PostForm("delay"); s != "" {
		d, err := strconv.Atoi(s)
		if err != nil || d < 0 || d > maxDelay {
			return o, errors.New("delay must be a whole number of milliseconds")
		}
		delay = d
	}
	o.delayCS = (delay + 5) / 10
	if s := c.PostForm("appendReverted"); s != "" {
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

func createGIF(c *gin.Context) {
	if c.Request.ContentLength > maxUpload {
		c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": "the upload is too large"})
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	form, err := c.MultipartForm()
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "a multipart form with images is required"})
		return
	}
	o, err := parseOptions(c)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	dir, err := os.MkdirTemp("", "gif-")
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "no work directory"})
		return
	}
	defer os.RemoveAll(dir)
	inputs, err := saveImages(form.File["images"], dir)
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	frames := append([]string{}, inputs...)
	if o.reverted {
		for i := len(inputs) - 1; i >= 0; i-- {
			frames = append(frames, inputs[i])
		}
	}
	if len(frames)*o.width*o.height > maxTotalPixels {
		c.JSON(http.StatusBadRequest, gin.H{"error": "the animation would be too large"})
		return
	}
	out := filepath.Join(dir, "out.gif")
	args := []string{"-delay", strconv.Itoa(o.delayCS)}
	args = append(args, frames...)
	args = append(args, "-resize", fmt.Sprintf("%dx%d!", o.width, o.height), "-loop", "0", "gif:"+out)
	ctx, cancel := context.WithTimeout(c.Request.Context(), convertTimeout)
	defer cancel()
	if msg, err := exec.CommandContext(ctx, "convert", args...).CombinedOutput(); err != nil {
		log.Printf("convert: %v: %s", err, msg)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "the GIF could not be created"})
		return
	}
	gif, err := os.ReadFile(out)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "the GIF could not be created"})
		return
	}
	c.Data(http.StatusOK, "image/gif", gif)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.MaxMultipartMemory = 8 << 20
	r.POST("/create-gif", createGIF)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
