package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	maxUpload     = 100 << 20 // largest accepted request body
	memoryForForm = 8 << 20   // larger file parts are buffered on disk by the multipart parser
	ffmpegTimeout = 60 * time.Second
	uploadDir     = "/tmp/uploads"
)

func jsonError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": msg})
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

func handleExtract(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > maxUpload {
		jsonError(w, http.StatusRequestEntityTooLarge, "the upload is too large")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(memoryForForm); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			jsonError(w, http.StatusRequestEntityTooLarge, "the upload is too large")
			return
		}
		jsonError(w, http.StatusBadRequest, "a multipart form with a video is required")
		return
	}
	defer r.MultipartForm.RemoveAll()
	frame, err := strconv.Atoi(strings.TrimSpace(r.FormValue("frameNumber")))
	if err != nil || frame < 0 {
		jsonError(w, http.StatusBadRequest, "frameNumber must be a non-negative integer")
		return
	}
	file, _, err := r.FormFile("video")
	if err != nil {
		jsonError(w, http.StatusBadRequest, "the video file is missing")
		return
	}
	defer file.Close()
	dir, err := os.MkdirTemp("", "extract-")
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "no work directory")
		return
	}
	defer os.RemoveAll(dir)
	// Uploaded videos are kept under their own names; an existing file is never overwritten.
	os.MkdirAll(uploadDir, 0o755)
	name := r.FormValue("videoFileName")
	video := filepath.Join(uploadDir, name)
	f, err := os.OpenFile(video, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		f, err = os.CreateTemp(uploadDir, "*-"+filepath.Base(name))
		if err == nil {
			video = f.Name()
		}
	}
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "could not store the video")
		return
	}
	_, err = io.Copy(f, file)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "could not store the video")
		return
	}
	png, err := extractFrame(r.Context(), video, frame, dir)
	if err != nil {
		jsonError(w, http.StatusInternalServerError, "frame extraction failed")
		return
	}
	if png == nil {
		jsonError(w, http.StatusNotFound, "Frame at index "+strconv.Itoa(frame)+" could not be found.")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /extract", handleExtract)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
