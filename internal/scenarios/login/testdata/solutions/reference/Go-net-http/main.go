package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

type server struct {
	db     *sql.DB
	secret []byte
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func decode(r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	return json.NewDecoder(r.Body).Decode(v)
}

func (s *server) register(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if err := decode(r, &c); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Email already in use or invalid data"})
		return
	}
	c.Email = strings.TrimSpace(c.Email)
	if _, err := mail.ParseAddress(c.Email); err != nil || c.Password == "" || len(c.Password) > 72 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Email already in use or invalid data"})
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(c.Password), bcrypt.DefaultCost)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error"})
		return
	}
	id := uuid.NewString()
	_, err = s.db.Exec("INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)", id, c.Email, string(hash), c.Name)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Email already in use or invalid data"})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"message": "Registration successful", "userId": id})
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var c credentials
	if err := decode(r, &c); err != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Invalid email or password"})
		return
	}
	var id, hash string
	err := s.db.QueryRow("SELECT id, password_hash FROM users WHERE email = ?", strings.TrimSpace(c.Email)).Scan(&id, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(c.Password)) != nil {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Invalid email or password"})
		return
	}
	now := time.Now()
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": id,
		"iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
		"jti": uuid.NewString(),
	})
	signed, err := token.SignedString(s.secret)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"message": "Internal error"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": signed, "message": "Login successful"})
}

func main() {
	secret := os.Getenv("APP_SECRET")
	if secret == "" {
		log.Fatal("APP_SECRET is not set")
	}
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS users (
		id TEXT PRIMARY KEY,
		email TEXT UNIQUE NOT NULL,
		password_hash TEXT NOT NULL,
		name TEXT
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, secret: []byte(secret)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /register", s.register)
	mux.HandleFunc("POST /login", s.login)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
