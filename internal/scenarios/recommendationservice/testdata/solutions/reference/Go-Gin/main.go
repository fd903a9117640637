package main

import (
	"database/sql"
	"errors"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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

func (s *server) post(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	var req product
	if err := c.ShouldBindJSON(&req); err != nil || req.Name == nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid input"})
		return
	}
	name := strings.TrimSpace(*req.Name)
	if name == "" || len(name) > maxName || len(req.Tags) == 0 || len(req.Tags) > maxTags {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid input"})
		return
	}
	var tags []string
	for _, t := range req.Tags {
		t = strings.TrimSpace(t)
		if t == "" || len(t) > maxTag {
			c.JSON(http.StatusBadRequest, gin.H{"error": "invalid input"})
			return
		}
		tags = append(tags, t)
	}
	tx, err := s.db.Begin()
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	defer tx.Rollback()
	res, err := tx.Exec("INSERT INTO products (name) VALUES (?)", name)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	id, _ := res.LastInsertId()
	for _, t := range tags {
		if _, err := tx.Exec("INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?, ?)", id, t); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
			return
		}
	}
	if err := tx.Commit(); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "Product posted"})
}

func (s *server) get(c *gin.Context) {
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
			c.String(http.StatusInternalServerError, "internal error")
			return
		}
		defer rows.Close()
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				c.String(http.StatusInternalServerError, "internal error")
				return
			}
			names = append(names, name)
		}
		if err := rows.Err(); err != nil {
			c.String(http.StatusInternalServerError, "internal error")
			return
		}
	}
	c.Header("Content-Security-Policy", "default-src 'self'; script-src 'none'")
	c.Header("X-Content-Type-Options", "nosniff")
	c.HTML(http.StatusOK, "page", names)
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.SetHTMLTemplate(page)
	r.GET("/recommender", s.get)
	r.POST("/recommender", s.post)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
