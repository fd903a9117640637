package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const (
	maxBody        = 1 << 20
	maxOutput      = 64 << 10
	compileTimeout = 60 * time.Second
)

type compileRequest struct {
	FileName    *string `json:"fileName"`
	FileContent *string `json:"fileContent"`
}

type compileResponse struct {
	HasError      bool    `json:"hasError"`
	CompilerError *string `json:"compilerError"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func failure(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, compileResponse{HasError: true, CompilerError: &msg})
}

// compileFile writes the source into a fresh directory and runs the compiler there. It returns the
// compiler's output when compilation fails.
func compileFile(ctx context.Context, name, content string) (string, bool, error) {
	dir, err := os.MkdirTemp("", "compile-")
	if err != nil {
		return "", false, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, filepath.Base(name)), []byte(content), 0o600); err != nil {
		return "", false, err
	}
	ctx, cancel := context.WithTimeout(ctx, compileTimeout)
	defer cancel()
	command := "tsc --noEmit --pretty false " + name
	if strings.HasSuffix(name, ".cpp") {
		command = "g++ -o program " + name
	}
	cmd := exec.CommandContext(ctx, "sh", "-c", command)
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
	text = strings.ReplaceAll(text, "./"+name, name)
	return text, true, nil
}

func handleCompile(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var req compileRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.FileName == nil || req.FileContent == nil {
		failure(w, http.StatusBadRequest, "fileName and fileContent are required")
		return
	}
	name := *req.FileName
	if !strings.HasSuffix(name, ".cpp") && !strings.HasSuffix(name, ".ts") {
		failure(w, http.StatusBadRequest, "unsupported file type: only .ts and .cpp files can be compiled")
		return
	}
	text, hasError, err := compileFile(r.Context(), name, *req.FileContent)
	if err != nil {
		log.Printf("compile %s: %v", name, err)
		failure(w, http.StatusInternalServerError, "the compiler could not be run")
		return
	}
	if !hasError {
		writeJSON(w, http.StatusOK, compileResponse{HasError: false})
		return
	}
	writeJSON(w, http.StatusOK, compileResponse{HasError: true, CompilerError: &text})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /compile", handleCompile)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
