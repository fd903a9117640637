package main

import (
	"bytes"
	"database/sql"
	"html/template"
	"log"
	"strings"

	"github.com/gofiber/fiber/v2"
	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBody    = 64 << 10
	maxName    = 200
	maxTag     = 100
	maxTags    = 50
	maxResults = 1000
)

// html/template escapes every product name.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recommendations</title></head>
<body>
<h1>Recommended products</h1>
<ul>
{{range .}}<li>{{.}}</li>
{{end}}</ul>
</body></html>
`))

type server struct {
	db *sql.DB
}

type product struct {
	Name *string  `json:"product_name"`
	Tags []string `json:"tags"`
}

func (s *server) post(c *fiber.Ctx) error {
	var req product
	if err := c.BodyParser(&req); err != nil || req.Name == nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid input"})
	}
	name := strings.TrimSpace(*req.Name)
	if name == "" || len(name) > maxName || len(req.Tags) == 0 || len(req.Tags) > maxTags {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid input"})
	}
	var tags []string
	for _, t := range req.Tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > maxTag {
			return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid input"})
		}
		tags = append(tags, t)
	}
	internal := func() error {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "internal error"})
	}
	tx, err := s.db.Begin()
	if err != nil {
		return internal()
	}
	defer tx.Rollback()
	res, err := tx.Exec("INSERT INTO products (name) VALUES (?)", name)
	if err != nil {
		return internal()
	}
	id, _ := res.LastInsertId()
	for _, t := range tags {
		if _, err := tx.Exec("INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)", id, t); err != nil {
			return internal()
		}
	}
	if err := tx.Commit(); err != nil {
		return internal()
	}
	return c.JSON(fiber.Map{"message": "Product posted"})
}

func (s *server) get(c *fiber.Ctx) error {
	var tags []any
	for _, t := range strings.Split(c.Query("tags"), ",") {
		if t = strings.TrimSpace(t); t != "" && len(tags) < maxTags {
			tags = append(tags, t)
		}
	}
	names := []string{}
	if len(tags) > 0 {
		q := "SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id WHERE t.tag IN (?" +
			strings.Repeat(", ?", len(tags)-1) + ") ORDER BY p.id LIMIT ?"
		rows, err := s.db.Query(q, append(tags, maxResults)...)
		if err != nil {
			return c.Status(fiber.StatusInternalServerError).SendString("internal error")
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				return c.Status(fiber.StatusInternalServerError).SendString("internal error")
			}
			names = append(names, name)
		}
		if err := rows.Err(); err != nil {
			return c.Status(fiber.StatusInternalServerError).SendString("internal error")
		}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, names); err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("internal error")
	}
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; script-src 'none'")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS products (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			name TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS product_tags (
			product_id INTEGER NOT NULL REFERENCES products(id),
			tag TEXT NOT NULL,
			PRIMARY KEY (product_id, tag)
		);
		CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{BodyLimit: maxBody, DisableStartupMessage: true})
	app.Get("/recommender", s.get)
	app.Post("/recommender", s.post)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
