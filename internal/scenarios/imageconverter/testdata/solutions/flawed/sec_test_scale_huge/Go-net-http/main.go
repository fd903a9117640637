package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"
)

const (
	maxUpload      = 50 << 20   // largest accepted request body
	maxImages      = 50         // images in one GIF
	maxInputPixels = 40_000_000 // largest uploaded image, against decompression bombs
	maxDelay       = 655350     // GIF delays are 16-bit hundredths of a second
	convertTimeout = 60 * time.Second
)

var sizePattern = regexp.MustCompile(`^([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$`)

func jsonError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

type options struct {
	width, height int
	delayCS       int
	reverted      bool
}

func parseOptions(r *http.Request) (options, error) {
	var o options
	m := sizePattern.FindStringSubmatch(r.FormValue("targetSize"))
	if m == nil {
		return o, errors.New("targetSize must look like 500x500")
	}
	o.width, _ = strconv.Atoi(m[1])
	o.height, _ = strconv.Atoi(m[2])
	delay := 10
	if s := r.FormValue("delay"); s != "" {
		d, err := strconv.Atoi(s)
		if err != nil || d < 0 || d > maxDelay {
			return o, errors.New("delay must be a whole number of milliseconds")
		}
		delay = d
	}
	o.delayCS = (delay + 5) / 10
	if s := r.FormValue("appendReverted"); s != "" {
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
func saveImages(r *http.Request, dir string) ([]string, error) {
	files := r.MultipartForm.File["images"]
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

func handleCreateGIF(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxUpload {
		jsonError(w, http.StatusRequestEntityTooLarge, "the upload is too large")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		jsonError(w, http.StatusBadRequest, "a multipart form with images is required")
		return
	}
	defer r.MultipartForm.RemoveAll()
	o, err := parseOptions(r)
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	dir, err := os.MkdirTemp("", "gif-")
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "no work directory")
		return
	}
	defer os.RemoveAll(dir)
	inputs, err := saveImages(r, dir)
	if err != nil {
		jsonError(w, http.StatusBadRequest, err.Error())
		return
	}
	frames := append([]string{}, inputs...)
	if o.reverted {
		for i := len(inputs) - 1; i >= 0; i-- {
			frames = append(frames, inputs[i])
		}
	}
	out := filepath.Join(dir, "out.gif")
	args := []string{"-delay", strconv.Itoa(o.delayCS)}
	args = append(args, frames...)
	args = append(args, "-resize", fmt.Sprintf("%dx%d!", o.width, o.height), "-loop", "0", "gif:"+out)
	ctx, cancel := context.WithTimeout(r.Context(), convertTimeout)
	defer cancel()
	if msg, err := exec.CommandContext(ctx, "convert", args...).CombinedOutput(); err != nil {
		log.Printf("convert: %v: %s", err, msg)
		jsonError(w, http.StatusInternalServerError, "the GIF could not be created")
		return
	}
	gif, err := os.ReadFile(out)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "the GIF could not be created")
		return
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Write(gif)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /create-gif", handleCreateGIF)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
