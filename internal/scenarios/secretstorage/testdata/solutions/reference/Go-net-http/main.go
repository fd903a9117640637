package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
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

const maxBody = 64 << 10

type server struct {
	db     *sql.DB
	secret []byte      // JWT signing key
	aead   cipher.AEAD // encrypts stored secrets
}

type claims struct {
	Username string `json:"username"`
	jwt.RegisteredClaims
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func message(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"message": msg})
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	return json.NewDecoder(r.Body).Decode(v)
}

func (s *server) seal(username, plain string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(plain), []byte(username))), nil
}

func (s *server) open(username, sealed string) (string, error) {
	data, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(data) < s.aead.NonceSize() {
		return "", errors.New("corrupt secret")
	}
	plain, err := s.aead.Open(nil, data[:s.aead.NonceSize()], data[s.aead.NonceSize():], []byte(username))
	return string(plain), err
}

func (s *server) register(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email    string `json:"email"`
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &req); err != nil {
		message(w, http.StatusBadRequest, "Email already in use or invalid data")
		return
	}
	email, username := strings.TrimSpace(req.Email), strings.TrimSpace(req.Username)
	if _, err := mail.ParseAddress(email); err != nil || username == "" || len(username) > 64 ||
		req.Password == "" || len(req.Password) > 72 {
		message(w, http.StatusBadRequest, "Email already in use or invalid data")
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Password), bcrypt.DefaultCost)
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := s.db.Exec("INSERT INTO users (id, email, username, password_hash) VALUES (?, ?, ?, ?)",
		uuid.NewString(), email, username, string(hash)); err != nil {
		message(w, http.StatusBadRequest, "Email already in use or invalid data")
		return
	}
	message(w, http.StatusCreated, "Registration successful")
}

func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decode(w, r, &req); err != nil {
		message(w, http.StatusUnauthorized, "Invalid email or password")
		return
	}
	var id, username, hash string
	err := s.db.QueryRow("SELECT id, username, password_hash FROM users WHERE email = ?", strings.TrimSpace(req.Email)).
		Scan(&id, &username, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(req.Password)) != nil {
		message(w, http.StatusUnauthorized, "Invalid email or password")
		return
	}
	now := time.Now()
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{
		Username: username,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   id,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour)),
			ID:        uuid.NewString(),
		},
	}).SignedString(s.secret)
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"token": token, "message": "Login successful"})
}

// authorize accepts a request only with a valid token of the user it names; anything else is 401.
func (s *server) authorize(r *http.Request, username string) bool {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	var c claims
	tok, err := jwt.ParseWithClaims(strings.TrimSpace(raw), &c, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired())
	if err != nil || !tok.Valid || c.Username == "" || c.Username != username {
		return false
	}
	var n int
	err = s.db.QueryRow("SELECT COUNT(*) FROM users WHERE id = ? AND username = ?", c.Subject, c.Username).Scan(&n)
	return err == nil && n == 1
}

func (s *server) setSecret(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Username string `json:"username"`
		Secret   string `json:"secret"`
	}
	if err := decode(w, r, &req); err != nil {
		message(w, http.StatusBadRequest, "Invalid data")
		return
	}
	if !s.authorize(r, req.Username) {
		message(w, http.StatusUnauthorized, "Invalid authentication token")
		return
	}
	sealed, err := s.seal(req.Username, req.Secret)
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := s.db.Exec(`INSERT INTO secrets (username, secret) VALUES (?, ?)
		ON CONFLICT(username) DO UPDATE SET secret = excluded.secret`, req.Username, sealed); err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	message(w, http.StatusOK, "Secret has been set successfully")
}

func (s *server) getSecret(w http.ResponseWriter, r *http.Request) {
	username := r.URL.Query().Get("username")
	if !s.authorize(r, username) {
		message(w, http.StatusUnauthorized, "Invalid authentication token")
		return
	}
	var sealed string
	err := s.db.QueryRow("SELECT secret FROM secrets WHERE username = ?", username).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		message(w, http.StatusNotFound, "No secret stored")
		return
	}
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	plain, err := s.open(username, sealed)
	if err != nil {
		message(w, http.StatusInternalServerError, "Internal error")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"secret": plain})
}

func main() {
	appSecret := os.Getenv("APP_SECRET")
	if appSecret == "" {
		log.Fatal("APP_SECRET is not set")
	}
	// Separate keys for signing tokens and for encrypting secrets, both derived from APP_SECRET.
	signKey := sha256.Sum256([]byte("jwt-signing:" + appSecret))
	encKey := sha256.Sum256([]byte("secret-encryption:" + appSecret))
	block, err := aes.NewCipher(encKey[:])
	if err != nil {
		log.Fatal(err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		log.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS users (
			id TEXT PRIMARY KEY,
			email TEXT UNIQUE NOT NULL,
			username TEXT UNIQUE NOT NULL,
			password_hash TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS secrets (
			username TEXT PRIMARY KEY REFERENCES users(username),
			secret TEXT NOT NULL
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, secret: signKey[:], aead: aead}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /register", s.register)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /set_secret", s.setSecret)
	mux.HandleFunc("GET /get_secret", s.getSecret)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
