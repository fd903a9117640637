package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBody         = 256 << 10
	maxTitle        = 200
	maxIngredients  = 100
	maxIngredient   = 200
	maxInstructions = 20000
	maxComment      = 2000
	listLimit       = 20
)

type comment struct {
	Comment string `json:"comment"`
}

type recipe struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Ingredients  []string  `json:"ingredients"`
	Instructions string    `json:"instructions"`
	Comments     []comment `json:"comments"`
	AvgRating    *float64  `json:"avgRating"`
	Ratings      int       `json:"-"`
}

// Rating renders the average rounded to one decimal.
func (r recipe) Rating() string {
	if r.AvgRating == nil {
		return ""
	}
	return fmt.Sprintf("%.1f", *r.AvgRating)
}

// The pages are html/template templates: every user-supplied value is escaped for its context.
var pages = template.Must(template.New("overview").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recipes</title></head>
<body>
<h1>Recipes</h1>
<h2>Recent recipes</h2>
<ul>{{range .Recent}}<li><a href="/recipes/{{.ID}}">{{.Title}}</a></li>{{else}}<li>No recipes yet.</li>{{end}}</ul>
<h2>Top-rated recipes</h2>
<ul>{{range .Top}}<li><a href="/recipes/{{.ID}}">{{.Title}}</a>{{if .AvgRating}} ({{.Rating}} stars){{end}}</li>{{else}}<li>No ratings yet.</li>{{end}}</ul>
</body></html>
{{define "recipe"}}<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<p><a href="/recipes">All recipes</a></p>
<h1>{{.Title}}</h1>
<h2>Ingredients</h2>
<ul>{{range .Ingredients}}<li>{{.}}</li>{{end}}</ul>
<h2>Instructions</h2>
<p>{{.Instructions}}</p>
<h2>Rating</h2>
<p>{{if .AvgRating}}Average rating: {{.Rating}} ({{.Ratings}} ratings){{else}}Not rated yet.{{end}}</p>
<h2>Comments</h2>
<ul>{{range .Comments}}<li>{{.Comment}}</li>{{else}}<li>No comments yet.</li>{{end}}</ul>
</body></html>
{{end}}`))

type server struct {
	db *sql.DB
}

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

func render(c *fiber.Ctx, name string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("Server error")
	}
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; script-src 'none'")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(buf.Bytes())
}

func (s *server) load(id string) (*recipe, error) {
	var rc recipe
	var ingredients string
	err := s.db.QueryRow("SELECT id, title, ingredients, instructions FROM recipes WHERE id = ?", id).
		Scan(&rc.ID, &rc.Title, &ingredients, &rc.Instructions)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(ingredients), &rc.Ingredients); err != nil {
		return nil, err
	}
	rows, err := s.db.Query("SELECT comment FROM comments WHERE recipe_id = ? ORDER BY seq", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rc.Comments = []comment{}
	for rows.Next() {
		var cm comment
		if err := rows.Scan(&cm.Comment); err != nil {
			return nil, err
		}
		rc.Comments = append(rc.Comments, cm)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var avg sql.NullFloat64
	if err := s.db.QueryRow("SELECT AVG(rating), COUNT(*) FROM ratings WHERE recipe_id = ?", id).Scan(&avg, &rc.Ratings); err != nil {
		return nil, err
	}
	if avg.Valid {
		rc.AvgRating = &avg.Float64
	}
	return &rc, nil
}

// recipeExists is middleware for the routes under /recipes/:id: unknown recipes answer 404.
func (s *server) recipeExists(c *fiber.Ctx) error {
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM recipes WHERE id = ?", c.Params("id")).Scan(&n); err != nil {
		return fail(c, fiber.StatusInternalServerError, "Server error")
	}
	if n == 0 {
		return fail(c, fiber.StatusNotFound, "Recipe not found")
	}
	return c.Next()
}

func (s *server) list(query string) ([]recipe, error) {
	rows, err := s.db.Query(query, listLimit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []recipe
	for rows.Next() {
		var rc recipe
		var avg sql.NullFloat64
		if err := rows.Scan(&rc.ID, &rc.Title, &avg); err != nil {
			return nil, err
		}
		if avg.Valid {
			rc.AvgRating = &avg.Float64
		}
		out = append(out, rc)
	}
	return out, rows.Err()
}

func (s *server) overview(c *fiber.Ctx) error {
	const sel = `SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r `
	recent, err := s.list(sel + "ORDER BY r.seq DESC LIMIT ?")
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("Server error")
	}
	top, err := s.list(sel + "WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?")
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("Server error")
	}
	return render(c, "overview", fiber.Map{"Recent": recent, "Top": top})
}

func (s *server) upload(c *fiber.Ctx) error {
	var req struct {
		Title        *string   `json:"title"`
		Ingredients  *[]string `json:"ingredients"`
		Instructions *string   `json:"instructions"`
	}
	if err := c.BodyParser(&req); err != nil || req.Title == nil || req.Ingredients == nil || req.Instructions == nil {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	title, instructions := strings.TrimSpace(*req.Title), strings.TrimSpace(*req.Instructions)
	ingredients := *req.Ingredients
	if title == "" || len(title) > maxTitle || instructions == "" || len(instructions) > maxInstructions ||
		len(ingredients) == 0 || len(ingredients) > maxIngredients {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	for _, in := range ingredients {
		if strings.TrimSpace(in) == "" || len(in) > maxIngredient {
			return fail(c, fiber.StatusBadRequest, "Invalid input")
		}
	}
	enc, _ := json.Marshal(ingredients)
	id := uuid.NewString()
	if _, err := s.db.Exec("INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)",
		id, title, string(enc), instructions); err != nil {
		return fail(c, fiber.StatusInternalServerError, "Server error")
	}
	return c.Status(fiber.StatusCreated).JSON(recipe{ID: id, Title: title, Ingredients: ingredients, Instructions: instructions, Comments: []comment{}})
}

func (s *server) show(c *fiber.Ctx) error {
	rc, err := s.load(c.Params("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return c.Status(fiber.StatusNotFound).SendString("Recipe not found")
	}
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).SendString("Server error")
	}
	return render(c, "recipe", rc)
}

func (s *server) addComment(c *fiber.Ctx) error {
	var req struct {
		Comment *string `json:"comment"`
	}
	if err := c.BodyParser(&req); err != nil || req.Comment == nil || strings.TrimSpace(*req.Comment) == "" || len(*req.Comment) > maxComment {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	if _, err := s.db.Exec("INSERT INTO comments (recipe_id, comment) VALUES (?, ?)", c.Params("id"), *req.Comment); err != nil {
		return fail(c, fiber.StatusInternalServerError, "Server error")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": "Comment added successfully"})
}

func (s *server) addRating(c *fiber.Ctx) error {
	var req struct {
		Rating *json.Number `json:"rating"`
	}
	if err := c.BodyParser(&req); err != nil || req.Rating == nil {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	rating, err := req.Rating.Int64()
	if err != nil || rating < 1 || rating > 5 {
		return fail(c, fiber.StatusBadRequest, "Rating must be an integer from 1 to 5")
	}
	if _, err := s.db.Exec("INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)", c.Params("id"), rating); err != nil {
		return fail(c, fiber.StatusInternalServerError, "Server error")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": "Rating added successfully"})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS recipes (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			id TEXT UNIQUE NOT NULL,
			title TEXT NOT NULL,
			ingredients TEXT NOT NULL,
			instructions TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS comments (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			recipe_id TEXT NOT NULL REFERENCES recipes(id),
			comment TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS ratings (
			seq INTEGER PRIMARY KEY AUTOINCREMENT,
			recipe_id TEXT NOT NULL REFERENCES recipes(id),
			rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5)
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{BodyLimit: maxBody, DisableStartupMessage: true})
	app.Get("/recipes", s.overview)
	app.Post("/recipes/upload", s.upload)
	app.Get("/recipes/:id", s.show)
	app.Post("/recipes/:id/comments", s.recipeExists, s.addComment)
	app.Post("/recipes/:id/ratings", s.recipeExists, s.addRating)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
