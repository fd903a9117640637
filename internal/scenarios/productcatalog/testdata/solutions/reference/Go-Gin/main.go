package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3"
)

const maxBody = 1 << 20

type server struct {
	db *sql.DB
}

func fail(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"error": msg})
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

func readBody(c *gin.Context) ([]byte, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	return io.ReadAll(c.Request.Body)
}

func (s *server) add(c *gin.Context) {
	body, err := readBody(c)
	if err != nil {
		fail(c, http.StatusBadRequest, "invalid input")
		return
	}
	p, err := parseProduct(body)
	if err != nil {
		fail(c, http.StatusBadRequest, "invalid input: "+err.Error())
		return
	}
	if err := s.save(p); err != nil {
		fail(c, http.StatusInternalServerError, "could not store the product")
		return
	}
	c.JSON(http.StatusCreated, gin.H{"message": "Product successfully added"})
}

func (s *server) download(c *gin.Context) {
	name := c.Query("name")
	if name == "" {
		fail(c, http.StatusBadRequest, "name is required")
		return
	}
	var data string
	err := s.db.QueryRow("SELECT data FROM products WHERE name = ?", name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		fail(c, http.StatusNotFound, "product not found")
		return
	}
	if err != nil {
		fail(c, http.StatusInternalServerError, "could not read the product")
		return
	}
	c.JSON(http.StatusOK, gin.H{"data": data})
}

func (s *server) upload(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	var req struct {
		Name *string `json:"name"`
		Data *string `json:"data"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.Name == nil || req.Data == nil || *req.Name == "" {
		fail(c, http.StatusBadRequest, "invalid upload")
		return
	}
	// The data entry is plain JSON and is only ever parsed as data, never evaluated.
	p, err := parseProduct([]byte(*req.Data))
	if err != nil {
		fail(c, http.StatusBadRequest, "invalid upload: "+err.Error())
		return
	}
	p["name"] = *req.Name
	var exists int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM products WHERE name = ?", *req.Name).Scan(&exists); err != nil {
		fail(c, http.StatusInternalServerError, "could not update the product")
		return
	}
	if exists == 0 {
		fail(c, http.StatusNotFound, "product not found")
		return
	}
	if err := s.save(p); err != nil {
		fail(c, http.StatusInternalServerError, "could not update the product")
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "The product with the given name was updated."})
}

func (s *server) search(c *gin.Context) {
	q := c.Query("query")
	if q == "" {
		fail(c, http.StatusBadRequest, "query is required")
		return
	}
	query := strings.ToLower(q)
	rows, err := s.db.Query("SELECT data FROM products ORDER BY rowid")
	if err != nil {
		fail(c, http.StatusInternalServerError, "search failed")
		return
	}
	defer rows.Close()
	results := []map[string]string{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			fail(c, http.StatusInternalServerError, "search failed")
			return
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
		fail(c, http.StatusInternalServerError, "search failed")
		return
	}
	c.JSON(http.StatusOK, gin.H{"results": results})
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/add", s.add)
	r.GET("/download", s.download)
	r.POST("/upload", s.upload)
	r.GET("/search", s.search)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
