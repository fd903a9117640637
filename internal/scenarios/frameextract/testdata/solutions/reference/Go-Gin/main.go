package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	maxUpload     = 100 << 20 // largest accepted request body
	memoryForForm = 8 << 20   // larger file parts are buffered on disk by the multipart parser
	ffmpegTimeout = 60 * time.Second
)

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

func extract(c *gin.Context) {
	if c.Request.ContentLength > maxUpload {
		c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": "the upload is too large"})
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxUpload)
	if _, err := c.MultipartForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": "the upload is too large"})
			return
		}
		c.JSON(http.StatusBadRequest, gin.H{"error": "a multipart form with a video is required"})
		return
	}
	frame, err := strconv.Atoi(strings.TrimSpace(c.PostForm("frameNumber")))
	if err != nil || frame < 0 {
		c.JSON(http.StatusBadRequest, gin.H{"error": "frameNumber must be a non-negative integer"})
		return
	}
	upload, err := c.FormFile("video")
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "the video file is missing"})
		return
	}
	// The client's file name (videoFileName and the part's file name) is never used as a path.
	dir, err := os.MkdirTemp("", "extract-")
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "no work directory"})
		return
	}
	defer os.RemoveAll(dir)
	video := filepath.Join(dir, "input")
	if err := c.SaveUploadedFile(upload, video); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not store the video"})
		return
	}
	png, err := extractFrame(c.Request.Context(), video, frame, dir)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "frame extraction failed"})
		return
	}
	if png == nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "Frame at index " + strconv.Itoa(frame) + " could not be found."})
		return
	}
	c.Data(http.StatusOK, "image/png", png)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.MaxMultipartMemory = memoryForForm
	r.POST("/extract", extract)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
