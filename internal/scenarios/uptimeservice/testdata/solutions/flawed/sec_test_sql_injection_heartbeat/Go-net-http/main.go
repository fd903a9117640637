package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBodySize = 1 << 16
	maxField    = 1024
)

type server struct {
	db  *sql.DB
	key []byte
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

// tokenKey is what the database keeps instead of a token: a keyed hash, so tokens cannot be read back
// from the database but can still be looked up.
func (s *server) tokenKey(token string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
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
	key := s.tokenKey(*in.Token)
	// Refresh a known service, or register it.
	// FLAW: the service id is pasted into the UPDATE.
	res, err := s.db.Exec(fmt.Sprintf("UPDATE services SET last_notification = '%s' WHERE service_id = '%s' AND token_hash = '%s'",
		now, *in.ServiceID, key))
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			_, err = s.db.Exec("INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?)", *in.ServiceID, key, now)
		}
	}
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
	rows, err := s.db.Query("SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id", s.tokenKey(*in.Token))
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
	key := []byte(os.Getenv("APP_SECRET"))
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			log.Fatal(err)
		}
		log.Print("APP_SECRET is not set: using a random key, tokens will not survive a restart")
	}
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS services (
		service_id TEXT NOT NULL,
		token_hash TEXT NOT NULL,
		last_notification TEXT NOT NULL,
		PRIMARY KEY (service_id, token_hash)
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, key: key}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /heartbeat", s.heartbeat)
	mux.HandleFunc("POST /services", s.services)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
