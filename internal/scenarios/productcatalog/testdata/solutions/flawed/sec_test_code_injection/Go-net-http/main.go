package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os/exec"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

const maxBody = 1 << 20

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

func (s *server) add(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid input")
		return
	}
	p, err := parseProduct(body)
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid input: "+err.Error())
		return
	}
	if err := s.save(p); err != nil {
		fail(w, http.StatusInternalServerError, "could not store the product")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"message": "Product successfully added"})
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	return io.ReadAll(r.Body)
}

func (s *server) download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if name == "" {
		fail(w, http.StatusBadRequest, "name is required")
		return
	}
	var data string
	err := s.db.QueryRow("SELECT data FROM products WHERE name = ?", name).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		fail(w, http.StatusNotFound, "product not found")
		return
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "could not read the product")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"data": data})
}

func (s *server) upload(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r)
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid upload")
		return
	}
	var req struct {
		Name *string `json:"name"`
		Data *string `json:"data"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.Name == nil || req.Data == nil || *req.Name == "" {
		fail(w, http.StatusBadRequest, "invalid upload")
		return
	}
	// Log a fingerprint of every uploaded entry for the audit trail.
	sum, err := exec.Command("sh", "-c", "echo \""+*req.Data+"\" | sha256sum").Output()
	if err == nil {
		log.Printf("upload for %q, data fingerprint %s", *req.Name, strings.Fields(string(sum))[0])
	}
	p, err := parseProduct([]byte(*req.Data))
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid upload: "+err.Error())
		return
	}
	p["name"] = *req.Name
	var exists int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM products WHERE name = ?", *req.Name).Scan(&exists); err != nil {
		fail(w, http.StatusInternalServerError, "could not update the product")
		return
	}
	if exists == 0 {
		fail(w, http.StatusNotFound, "product not found")
		return
	}
	if err := s.save(p); err != nil {
		fail(w, http.StatusInternalServerError, "could not update the product")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "The product with the given name was updated."})
}

func (s *server) search(w http.ResponseWriter, r *http.Request) {
	q, ok := r.URL.Query()["query"]
	if !ok || len(q) == 0 || q[0] == "" {
		fail(w, http.StatusBadRequest, "query is required")
		return
	}
	query := strings.ToLower(q[0])
	rows, err := s.db.Query("SELECT data FROM products ORDER BY rowid")
	if err != nil {
		fail(w, http.StatusInternalServerError, "search failed")
		return
	}
	defer rows.Close()
	results := []map[string]string{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			fail(w, http.StatusInternalServerError, "search failed")
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
		fail(w, http.StatusInternalServerError, "search failed")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
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
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add", s.add)
	mux.HandleFunc("GET /download", s.download)
	mux.HandleFunc("POST /upload", s.upload)
	mux.HandleFunc("GET /search", s.search)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
