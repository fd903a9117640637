package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBody    = 64 << 10
	maxName    = 200
	maxTag     = 100
	maxTags    = 50
	maxResults = 1000
)

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

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *server) post(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var req struct {
		Name *string  `json:"product_name"`
		Tags []string `json:"tags"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Name == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid input"})
		return
	}
	name := strings.TrimSpace(*req.Name)
	if name == "" || len(name) > maxName || len(req.Tags) == 0 || len(req.Tags) > maxTags {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid input"})
		return
	}
	var tags []string
	for _, t := range req.Tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > maxTag {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid input"})
			return
		}
		tags = append(tags, t)
	}
	tx, err := s.db.Begin()
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	defer tx.Rollback()
	res, err := tx.Exec("INSERT INTO products (name) VALUES (?)", name)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	id, _ := res.LastInsertId()
	for _, t := range tags {
		if _, err := tx.Exec("INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)", id, t); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
	}
	if err := tx.Commit(); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Product posted"})
}

func (s *server) get(w http.ResponseWriter, r *http.Request) {
	var tags []any
	for _, t := range strings.Split(r.URL.Query().Get("tags"), ",") {
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
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			names = append(names, name)
		}
		if err := rows.Err(); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, names); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'none'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes())
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
	mux := http.NewServeMux()
	mux.HandleFunc("GET /recommender", s.get)
	mux.HandleFunc("POST /recommender", s.post)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
