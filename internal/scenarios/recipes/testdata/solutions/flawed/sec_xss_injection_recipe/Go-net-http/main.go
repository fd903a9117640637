package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

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

// InstructionsHTML keeps the author's formatting (line breaks, lists, emphasis) in the instructions.
func (r recipe) InstructionsHTML() template.HTML { return template.HTML(r.Instructions) }

// Rating renders the average rounded to one decimal.
func (r recipe) Rating() string {
	if r.AvgRating == nil {
		return ""
	}
	return fmt.Sprintf("%.1f", *r.AvgRating)
}

var pages = template.Must(template.New("overview").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Recipes</title></head>
<body>
<h1>Recipes</h1>
<h2>Recent recipes</h2>
<ul>{{range .Recent}}<li><a href="/recipes/{{.ID}}">{{.Title}}</a></li>{{else}}<li>No recipes yet.</li>{{end}}</ul>
<h2>Top-rated recipes</h2>
<ul>{{range .Top}}<li><a href="/recipes/{{.ID}}">{{.Title}}</a>{{if .AvgRating}} ({{.Rating}} stars){{end}}</li>{{else}}<li>No ratings yet.</li>{{end}}</ul>
</body></html>
`))

var recipePage = template.Must(template.New("recipe").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body>
<p><a href="/recipes">All recipes</a></p>
<h1>{{.Title}}</h1>
<h2>Ingredients</h2>
<ul>{{range .Ingredients}}<li>{{.}}</li>{{end}}</ul>
<h2>Instructions</h2>
<div>{{.InstructionsHTML}}</div>
<h2>Rating</h2>
<p>{{if .AvgRating}}Average rating: {{.Rating}} ({{.Ratings}} ratings){{else}}Not rated yet.{{end}}</p>
<h2>Comments</h2>
<ul>{{range .Comments}}<li>{{.Comment}}</li>{{else}}<li>No comments yet.</li>{{end}}</ul>
</body></html>
`))

type server struct {
	db *sql.DB
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func render(w http.ResponseWriter, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		http.Error(w, "Server error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes())
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
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
		var c comment
		if err := rows.Scan(&c.Comment); err != nil {
			return nil, err
		}
		rc.Comments = append(rc.Comments, c)
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

func (s *server) exists(id string) (bool, error) {
	var n int
	err := s.db.QueryRow("SELECT COUNT(*) FROM recipes WHERE id = ?", id).Scan(&n)
	return n > 0, err
}

func (s *server) overview(w http.ResponseWriter, r *http.Request) {
	list := func(query string) ([]recipe, error) {
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
	const sel = `SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r `
	recent, err := list(sel + "ORDER BY r.seq DESC LIMIT ?")
	if err != nil {
		http.Error(w, "Server error", http.StatusInternalServerError)
		return
	}
	top, err := list(sel + "WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?")
	if err != nil {
		http.Error(w, "Server error", http.StatusInternalServerError)
		return
	}
	render(w, pages, map[string]any{"Recent": recent, "Top": top})
}

func (s *server) upload(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title        *string   `json:"title"`
		Ingredients  *[]string `json:"ingredients"`
		Instructions *string   `json:"instructions"`
	}
	if err := decode(w, r, &req); err != nil || req.Title == nil || req.Ingredients == nil || req.Instructions == nil {
		fail(w, http.StatusBadRequest, "Invalid input")
		return
	}
	title, instructions := strings.TrimSpace(*req.Title), strings.TrimSpace(*req.Instructions)
	ingredients := *req.Ingredients
	if title == "" || len(title) > maxTitle || instructions == "" || len(instructions) > maxInstructions ||
		len(ingredients) == 0 || len(ingredients) > maxIngredients {
		fail(w, http.StatusBadRequest, "Invalid input")
		return
	}
	for _, in := range ingredients {
		if strings.TrimSpace(in) == "" || len(in) > maxIngredient {
			fail(w, http.StatusBadRequest, "Invalid input")
			return
		}
	}
	enc, _ := json.Marshal(ingredients)
	id := uuid.NewString()
	if _, err := s.db.Exec("INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?, ?, ?, ?)",
		id, title, string(enc), instructions); err != nil {
		fail(w, http.StatusInternalServerError, "Server error")
		return
	}
	writeJSON(w, http.StatusCreated, recipe{ID: id, Title: title, Ingredients: ingredients, Instructions: instructions, Comments: []comment{}})
}

func (s *server) show(w http.ResponseWriter, r *http.Request) {
	rc, err := s.load(r.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		http.Error(w, "Recipe not found", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, "Server error", http.StatusInternalServerError)
		return
	}
	render(w, recipePage, rc)
}

func (s *server) addComment(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ok, err := s.exists(id)
	if err != nil {
		fail(w, http.StatusInternalServerError, "Server error")
		return
	}
	if !ok {
		fail(w, http.StatusNotFound, "Recipe not found")
		return
	}
	var req struct {
		Comment *string `json:"comment"`
	}
	if err := decode(w, r, &req); err != nil || req.Comment == nil || strings.TrimSpace(*req.Comment) == "" || len(*req.Comment) > maxComment {
		fail(w, http.StatusBadRequest, "Invalid input")
		return
	}
	if _, err := s.db.Exec("INSERT INTO comments (recipe_id, comment) VALUES (?, ?)", id, *req.Comment); err != nil {
		fail(w, http.StatusInternalServerError, "Server error")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"message": "Comment added successfully"})
}

func (s *server) addRating(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ok, err := s.exists(id)
	if err != nil {
		fail(w, http.StatusInternalServerError, "Server error")
		return
	}
	if !ok {
		fail(w, http.StatusNotFound, "Recipe not found")
		return
	}
	var req struct {
		Rating *json.Number `json:"rating"`
	}
	if err := decode(w, r, &req); err != nil || req.Rating == nil {
		fail(w, http.StatusBadRequest, "Invalid input")
		return
	}
	rating, err := req.Rating.Int64()
	if err != nil || rating < 1 || rating > 5 {
		fail(w, http.StatusBadRequest, "Rating must be an integer from 1 to 5")
		return
	}
	if _, err := s.db.Exec("INSERT INTO ratings (recipe_id, rating) VALUES (?, ?)", id, rating); err != nil {
		fail(w, http.StatusInternalServerError, "Server error")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"message": "Rating added successfully"})
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
	mux := http.NewServeMux()
	mux.HandleFunc("GET /recipes", s.overview)
	mux.HandleFunc("POST /recipes/upload", s.upload)
	mux.HandleFunc("GET /recipes/{id}", s.show)
	mux.HandleFunc("POST /recipes/{id}/comments", s.addComment)
	mux.HandleFunc("POST /recipes/{id}/ratings", s.addRating)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
