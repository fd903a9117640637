package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

const logFile = "logs.txt"

type server struct {
	mu sync.Mutex
}

// neutralize keeps a message on one line: backslashes and every character a reader may treat as a
// line break are written as escape sequences.
var neutralize = strings.NewReplacer(
	`\`, `\\`,
	"\r", `\r`,
	"\n", `\n`,
	"\v", `\v`,
	"\f", `\f`,
	"\x1c", `\x1c`,
	"\x1d", `\x1d`,
	"\x1e", `\x1e`,
	"\u0085", `\u0085`,
	"\u2028", `\u2028`,
	"\u2029", `\u2029`,
)

func (s *server) addLog(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Message *string `json:"message"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Message == nil {
		http.Error(w, "a JSON body with a \"message\" string is required", http.StatusBadRequest)
		return
	}
	line := neutralize.Replace(*body.Message) + "\n"
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		http.Error(w, "could not store the message", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		http.Error(w, "could not store the message", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"logged"}`))
}

func (s *server) getLogs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data, err := os.ReadFile(logFile)
	s.mu.Unlock()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		http.Error(w, "could not read the logs", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}

func main() {
	s := &server{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /log", s.addLog)
	mux.HandleFunc("GET /logs", s.getLogs)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
