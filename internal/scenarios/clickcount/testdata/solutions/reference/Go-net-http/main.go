package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"time"

	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type click struct {
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
}

// operators maps the accepted directions to SQL comparison operators; nothing else reaches the query.
var operators = map[string]string{"<": "<", ">": ">", "<=": "<=", ">=": ">="}

const stampLayout = "2006-01-02T15:04:05.000000Z"

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *server) addClick(w http.ResponseWriter, r *http.Request) {
	id := uuid.NewString()
	now := time.Now().UTC().Format(stampLayout)
	if _, err := s.db.Exec("INSERT INTO clicks (id, timestamp) VALUES (?, ?)", id, now); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "could not record the click"})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"id": id, "timestamp": now})
}

func (s *server) listClicks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op, ok := operators[q.Get("direction")]
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "direction must be one of <, >, <=, >="})
		return
	}
	day, err := time.Parse("2006-01-02", q.Get("date"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "date must look like 2022-01-01"})
		return
	}
	// Timestamps are stored in a fixed-width UTC layout, so text order is time order. A click on the
	// given day counts as "on" the date: "<" means before the day starts, ">" after it ends.
	bound := day.Format(stampLayout)
	if op == ">" || op == "<=" {
		bound = day.Add(24*time.Hour - time.Microsecond).Format(stampLayout)
	}
	rows, err := s.db.Query("SELECT id, timestamp FROM clicks WHERE timestamp "+op+" ? ORDER BY timestamp", bound)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	defer rows.Close()
	list := []click{}
	for rows.Next() {
		var c click
		if err := rows.Scan(&c.ID, &c.Timestamp); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		list = append(list, c)
	}
	if err := rows.Err(); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	if len(list) == 0 {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no clicks found"})
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS clicks (
		id TEXT PRIMARY KEY,
		timestamp TEXT NOT NULL
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /click", s.addClick)
	mux.HandleFunc("GET /clicks", s.listClicks)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
