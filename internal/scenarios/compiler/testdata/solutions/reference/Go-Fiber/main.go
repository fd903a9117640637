package main

import (
	"bytes"
	"context"
	"errors"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
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

func failure(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(compileResponse{HasError: true, CompilerError: &msg})
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

func compile(c *fiber.Ctx) error {
	var req compileRequest
	if err := c.BodyParser(&req); err != nil || req.FileName == nil || req.FileContent == nil {
		return failure(c, fiber.StatusBadRequest, "fileName and fileContent are required")
	}
	name := *req.FileName
	if !safeName.MatchString(name) || strings.Contains(name, "..") {
		return failure(c, fiber.StatusBadRequest, "invalid file name")
	}
	if !strings.HasSuffix(name, ".cpp") && !strings.HasSuffix(name, ".ts") {
		return failure(c, fiber.StatusBadRequest, "unsupported file type: only .ts and .cpp files can be compiled")
	}
	text, hasError, err := compileFile(c.UserContext(), name, *req.FileContent)
	if err != nil {
		log.Printf("compile %s: %v", name, err)
		return failure(c, fiber.StatusInternalServerError, "the compiler could not be run")
	}
	if !hasError {
		return c.JSON(compileResponse{HasError: false})
	}
	return c.JSON(compileResponse{HasError: true, CompilerError: &text})
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: maxBody, DisableStartupMessage: true})
	app.Post("/compile", compile)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
