package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

const maxBodySize = 1 << 16

type server struct{ db *sql.DB }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func message(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodySize)
	return json.NewDecoder(r.Body).Decode(v)
}

func (s *server) inviteUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email string `json:"email"`
	}
	if err := decode(w, r, &in); err != nil {
		message(w, http.StatusBadRequest, "Invalid request")
		return
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		message(w, http.StatusBadRequest, "Invalid email")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRow("SELECT invite_id FROM invitations WHERE email = ?", email).Scan(&id)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, map[string]string{"invite_id": id, "message": "Invitation already exists for this email"})
		return
	case !errors.Is(err, sql.ErrNoRows):
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	id = uuid.NewString()
	if _, err := tx.Exec("INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)", id, email, time.Now().UTC().Format(time.RFC3339)); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"invite_id": id, "message": "Invitation created"})
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	var in struct {
		InviteID string `json:"invite_id"`
		UserName string `json:"user_name"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &in); err != nil {
		message(w, http.StatusBadRequest, "Invalid request")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	defer tx.Rollback()
	var inviteID, email string
	// FLAW: the invite id is pasted into the query.
	err = tx.QueryRow("SELECT invite_id, email FROM invitations WHERE invite_id = '"+in.InviteID+"' AND used = 0").Scan(&inviteID, &email)
	if errors.Is(err, sql.ErrNoRows) {
		message(w, http.StatusUnauthorized, "Invalid invite_id")
		return
	} else if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	name := strings.TrimSpace(in.UserName)
	if name == "" || len(name) > 100 || in.Password == "" || len(in.Password) > 72 {
		message(w, http.StatusBadRequest, "A user name and a password of at most 72 bytes are required")
		return
	}
	var exists int
	if err := tx.QueryRow("SELECT COUNT(*) FROM users WHERE user_name = ?", name).Scan(&exists); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if exists > 0 {
		message(w, http.StatusBadRequest, "Username already exists. Try providing different username.")
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := tx.Exec("INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)", name, email, string(hash)); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := tx.Exec("UPDATE invitations SET used = 1 WHERE invite_id = ?", inviteID); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	message(w, http.StatusOK, "User created")
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS invitations (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			invite_id TEXT UNIQUE NOT NULL,
			email TEXT UNIQUE NOT NULL,
			used INTEGER NOT NULL DEFAULT 0,
			created_at TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS users (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			user_name TEXT UNIQUE NOT NULL,
			email TEXT NOT NULL,
			password_hash TEXT NOT NULL
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /invite_user", s.inviteUser)
	mux.HandleFunc("POST /create_user", s.createUser)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
