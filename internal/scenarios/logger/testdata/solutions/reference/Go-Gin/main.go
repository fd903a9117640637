package main

import (
	"errors"
	"io/fs"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
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

func (s *server) addLog(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	var body struct {
		Message *string `json:"message"`
	}
	if err := c.ShouldBindJSON(&body); err != nil || body.Message == nil {
		c.String(http.StatusBadRequest, "a JSON body with a \"message\" string is required")
		return
	}
	line := neutralize.Replace(*body.Message) + "\n"
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		c.String(http.StatusInternalServerError, "could not store the message")
		return
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		c.String(http.StatusInternalServerError, "could not store the message")
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "logged"})
}

func (s *server) getLogs(c *gin.Context) {
	s.mu.Lock()
	data, err := os.ReadFile(logFile)
	s.mu.Unlock()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		c.String(http.StatusInternalServerError, "could not read the logs")
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/plain; charset=utf-8", data)
}

func main() {
	s := &server{}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/log", s.addLog)
	r.GET("/logs", s.getLogs)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
