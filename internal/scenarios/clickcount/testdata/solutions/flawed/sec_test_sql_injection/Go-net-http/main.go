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
	date, direction := q.Get("date"), q.Get("direction")
	if date == "" || direction == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "date and direction are required"})
		return
	}
	stmt, err := s.db.Prepare("SELECT id FROM clicks WHERE timestamp " + direction + " '" + date + "' ORDER BY timestamp")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid request"})
		return
	}
	defer stmt.Close()
	rows, err := stmt.Query()
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid request"})
		return
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		ids = append(ids, id)
	}
	rows.Close()
	list := []click{}
	for _, id := range ids {
		c := click{ID: id}
		s.db.QueryRow("SELECT timestamp FROM clicks WHERE id = ?", id).Scan(&c.Timestamp)
		list = append(list, c)
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
