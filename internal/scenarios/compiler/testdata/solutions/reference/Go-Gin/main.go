package main

import (
	"bytes"
	"context"
	"errors"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const (
	maxBody        = 1 << 20
	maxOutput      = 64 << 10
	compileTimeout = 60 * time.Second
)

// safeName allows plain file names only: no directories, no leading dash or dot, no shell characters.
var safeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

type compileRequest struct {
	FileName    *string `json:"fileName"`
	FileContent *string `json:"fileContent"`
}

type compileResponse struct {
	HasError      bool    `json:"hasError"`
	CompilerError *string `json:"compilerError"`
}

func failure(c *gin.Context, status int, msg string) {
	c.JSON(status, compileResponse{HasError: true, CompilerError: &msg})
}

// limitBody caps the request body so a huge upload cannot exhaust memory.
func limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		c.Next()
	}
}

// compileFile writes the source into a fresh directory under its validated name and runs the compiler
// there with an argument list (no shell). It returns the compiler's output when compilation fails.
func compileFile(ctx context.Context, name, content string) (string, bool, error) {
	dir, err := os.MkdirTemp("", "compile-")
	if err != nil {
		return "", false, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
		return "", false, err
	}
	ctx, cancel := context.WithTimeout(ctx, compileTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if strings.HasSuffix(name, ".cpp") {
		cmd = exec.CommandContext(ctx, "g++", "-o", "program", "./"+name)
	} else {
		cmd = exec.CommandContext(ctx, "tsc", "--noEmit", "--pretty", "false", "./"+name)
	}
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	if err == nil {
		return "", false, nil
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return "", false, err
	}
	text := strings.TrimSpace(out.String())
	if len(text) > maxOutput {
		text = text[:maxOutput]
	}
	if ctx.Err() != nil {
		text = "compilation timed out"
	}
	return strings.ReplaceAll(text, "./"+name, name), true, nil
}

func compile(c *gin.Context) {
	var req compileRequest
	if err := c.ShouldBindJSON(&req); err != nil || req.FileName == nil || req.FileContent == nil {
		failure(c, http.StatusBadRequest, "fileName and fileContent are required")
		return
	}
	name := *req.FileName
	if !safeName.MatchString(name) || strings.Contains(name, "..") {
		failure(c, http.StatusBadRequest, "invalid file name")
		return
	}
	if !strings.HasSuffix(name, ".cpp") && !strings.HasSuffix(name, ".ts") {
		failure(c, http.StatusBadRequest, "unsupported file type: only .ts and .cpp files can be compiled")
		return
	}
	text, hasError, err := compileFile(c.Request.Context(), name, *req.FileContent)
	if err != nil {
		log.Printf("compile %s: %v", name, err)
		failure(c, http.StatusInternalServerError, "the compiler could not be run")
		return
	}
	if !hasError {
		c.JSON(http.StatusOK, compileResponse{HasError: false})
		return
	}
	c.JSON(http.StatusOK, compileResponse{HasError: true, CompilerError: &text})
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/compile", limitBody(maxBody), compile)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
