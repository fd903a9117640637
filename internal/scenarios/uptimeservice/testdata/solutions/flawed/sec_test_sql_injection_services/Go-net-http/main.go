package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBodySize = 1 << 16
	maxField    = 1024
)

type server struct {
	db *sql.DB
}

type service struct {
	ServiceID        string `json:"serviceId"`
	LastNotification string `json:"lastNotification"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodySize)
	return json.NewDecoder(r.Body).Decode(v)
}

func (s *server) heartbeat(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ServiceID *string `json:"serviceId"`
		Token     *string `json:"token"`
	}
	if err := decode(w, r, &in); err != nil || in.ServiceID == nil || in.Token == nil ||
		*in.ServiceID == "" || *in.Token == "" || len(*in.ServiceID) > maxField || len(*in.Token) > maxField {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Invalid request payload"})
		return
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := s.db.Exec(`INSERT INTO services (service_id, token, last_notification) VALUES (?, ?, ?)
		ON CONFLICT (service_id, token) DO UPDATE SET last_notification = excluded.last_notification`,
		*in.ServiceID, *in.Token, now)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Heartbeat registered successfully"})
}

func (s *server) services(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token *string `json:"token"`
	}
	if err := decode(w, r, &in); err != nil || in.Token == nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "Invalid request payload"})
		return
	}
	// FLAW: the token is pasted into the query.
	rows, err := s.db.Query("SELECT service_id, last_notification FROM services WHERE token = '" + *in.Token + "' ORDER BY service_id")
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
		return
	}
	defer rows.Close()
	out := []service{}
	for rows.Next() {
		var sv service
		if err := rows.Scan(&sv.ServiceID, &sv.LastNotification); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
			return
		}
		out = append(out, sv)
	}
	if err := rows.Err(); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "Internal server error"})
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS services (
		service_id TEXT NOT NULL,
		token TEXT NOT NULL,
		last_notification TEXT NOT NULL,
		PRIMARY KEY (service_id, token)
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /heartbeat", s.heartbeat)
	mux.HandleFunc("POST /services", s.services)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
