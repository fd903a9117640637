package main

import (
	"errors"
	"io/fs"
	"log"
	"os"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
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

func (s *server) addLog(c *fiber.Ctx) error {
	var body struct {
		Message *string `json:"message"`
	}
	if err := c.BodyParser(&body); err != nil || body.Message == nil {
		return c.Status(fiber.StatusBadRequest).SendString("a JSON body with a \"message\" string is required")
	}
	line := neutralize.Replace(*body.Message) + "\n"
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("could not store the message")
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("could not store the message")
	}
	return c.JSON(fiber.Map{"status": "logged"})
}

func (s *server) getLogs(c *fiber.Ctx) error {
	s.mu.Lock()
	data, err := os.ReadFile(logFile)
	s.mu.Unlock()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return c.Status(fiber.StatusInternalServerError).SendString("could not read the logs")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(data)
}

func main() {
	s := &server{}
	app := fiber.New(fiber.Config{BodyLimit: 1 << 20, DisableStartupMessage: true})
	app.Post("/log", s.addLog)
	app.Get("/logs", s.getLogs)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
