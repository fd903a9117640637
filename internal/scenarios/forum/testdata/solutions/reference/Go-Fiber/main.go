package main

import (
	"database/sql"
	"html"
	"log"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type message struct {
	Content  string `json:"content"`
	Username string `json:"username"`
}

const maxLimit = 1000

func (s *server) postMessage(c *fiber.Ctx) error {
	var m message
	if err := c.BodyParser(&m); err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid input"})
	}
	if strings.TrimSpace(m.Content) == "" {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "content is required"})
	}
	if strings.TrimSpace(m.Username) == "" {
		m.Username = "anonymous"
	}
	if _, err := s.db.Exec("INSERT INTO messages (content, username) VALUES (?, ?)", m.Content, m.Username); err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "internal error"})
	}
	return c.JSON(fiber.Map{"message": "posted"})
}

// intQuery reads a non-negative integer query parameter, def when absent.
func intQuery(c *fiber.Ctx, name string, def, max int) (int, bool) {
	v := c.Query(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, false
	}
	return n, true
}

func (s *server) listMessages(c *fiber.Ctx) error {
	limit, ok := intQuery(c, "limit", 10, maxLimit)
	if !ok {
		return c.Status(fiber.StatusBadRequest).SendString("limit must be an integer between 0 and 1000")
	}
	offset, ok := intQuery(c, "offset", 0, 1<<31-1)
	if !ok {
		return c.Status(fiber.StatusBadRequest).SendString("offset must be a non-negative integer")
	}
	order := "DESC"
	switch strings.ToUpper(c.Query("sort", "DESC")) {
	case "ASC":
		order = "ASC"
	case "DESC":
		order = "DESC"
	default:
		return c.Status(fiber.StatusBadRequest).SendString("sort must be ASC or DESC")
	}
	// order is one of two constants; the values go in as parameters.
	rows, err := s.db.Query("SELECT username, content, created_at FROM messages ORDER BY id "+order+" LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("internal error")
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n")
	for rows.Next() {
		var user, content, created string
		if err := rows.Scan(&user, &content, &created); err != nil {
			return c.Status(fiber.StatusInternalServerError).SendString("internal error")
		}
		b.WriteString("<li><strong>" + html.EscapeString(user) + "</strong> <em>" + html.EscapeString(created) +
			"</em><p>" + html.EscapeString(content) + "</p></li>\n")
	}
	if err := rows.Err(); err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("internal error")
	}
	b.WriteString("</ul>\n</body>\n</html>\n")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString(b.String())
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS messages (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		content TEXT NOT NULL,
		username TEXT NOT NULL,
		created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{BodyLimit: 1 << 20, DisableStartupMessage: true})
	app.Get("/messages", s.listMessages)
	app.Post("/messages", s.postMessage)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
