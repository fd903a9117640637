package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"strings"

	"github.com/gofiber/fiber/v2"
	_ "github.com/mattn/go-sqlite3"
)

const maxBody = 1 << 20

type server struct {
	db *sql.DB
}

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

// parseProduct reads a JSON object whose values must all be strings and which must hold a non-empty
// "name". Anything else is rejected.
func parseProduct(data []byte) (map[string]string, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil || raw == nil {
		return nil, errors.New("not a JSON object")
	}
	if dec.More() {
		return nil, errors.New("trailing data")
	}
	p := make(map[string]string, len(raw))
	for k, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, errors.New("property " + k + " is not a string")
		}
		p[k] = s
	}
	if strings.TrimSpace(p["name"]) == "" {
		return nil, errors.New("name is required")
	}
	return p, nil
}

func (s *server) save(p map[string]string) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`INSERT INTO products (name, data) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET data = excluded.data`, p["name"], string(data))
	return err
}

func (s *server) add(c *fiber.Ctx) error {
	p, err := parseProduct(c.Body())
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "invalid input: "+err.Error())
	}
	if err := s.save(p); err != nil {
		return fail(c, fiber.StatusInternalServerError, "could not store the product")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": "Product successfully added"})
}

func (s *server) download(c *fiber.Ctx) error {
	name := c.Query("name")
	if name == "" {
		return fail(c, fiber.StatusBadRequest, "name is required")
	}
	var data string
	err := s.db.QueryRow("SELECT data FROM products WHERE name = ?", name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(c, fiber.StatusNotFound, "product not found")
	}
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "could not read the product")
	}
	return c.JSON(fiber.Map{"data": data})
}

func (s *server) upload(c *fiber.Ctx) error {
	var req struct {
		Name *string `json:"name"`
		Data *string `json:"data"`
	}
	if err := json.Unmarshal(c.Body(), &req); err != nil || req.Name == nil || req.Data == nil || *req.Name == "" {
		return fail(c, fiber.StatusBadRequest, "invalid upload")
	}
	// The data entry is plain JSON and is only ever parsed as data, never evaluated.
	p, err := parseProduct([]byte(*req.Data))
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "invalid upload: "+err.Error())
	}
	p["name"] = *req.Name
	var exists int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM products WHERE name = ?", *req.Name).Scan(&exists); err != nil {
		return fail(c, fiber.StatusInternalServerError, "could not update the product")
	}
	if exists == 0 {
		return fail(c, fiber.StatusNotFound, "product not found")
	}
	if err := s.save(p); err != nil {
		return fail(c, fiber.StatusInternalServerError, "could not update the product")
	}
	return c.JSON(fiber.Map{"message": "The product with the given name was updated."})
}

func (s *server) search(c *fiber.Ctx) error {
	q := c.Query("query")
	if q == "" {
		return fail(c, fiber.StatusBadRequest, "query is required")
	}
	query := strings.ToLower(q)
	rows, err := s.db.Query("SELECT data FROM products ORDER BY rowid")
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "search failed")
	}
	defer rows.Close()
	results := []map[string]string{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return fail(c, fiber.StatusInternalServerError, "search failed")
		}
		var p map[string]string
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			continue
		}
		for _, v := range p {
			if strings.Contains(strings.ToLower(v), query) {
				results = append(results, p)
				break
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "search failed")
	}
	return c.JSON(fiber.Map{"results": results})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS products (
		name TEXT PRIMARY KEY,
		data TEXT NOT NULL
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{BodyLimit: maxBody, DisableStartupMessage: true})
	app.Post("/add", s.add)
	app.Get("/download", s.download)
	app.Post("/upload", s.upload)
	app.Get("/search", s.search)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
