package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"log"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
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

func message(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"message": msg})
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

func (s *server) register(c *fiber.Ctx) error {
	var req struct {
		Email    string `json:"email"`
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := c.BodyParser(&req); err != nil {
		return message(c, fiber.StatusBadRequest, "Email already in use or invalid data")
	}
	email, username := strings.TrimSpace(req.Email), strings.TrimSpace(req.Username)
	if _, err := mail.ParseAddress(email); err != nil || username == "" || len(username) > 64 ||
		req.Password == "" || len(req.Password) > 72 {
		return message(c, fiber.StatusBadRequest, "Email already in use or invalid data")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(req.Password), bcrypt.DefaultCost)
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if _, err := s.db.Exec("INSERT INTO users (id, email, username, password_hash) VALUES (?, ?, ?, ?)",
		uuid.NewString(), email, username, string(hash)); err != nil {
		return message(c, fiber.StatusBadRequest, "Email already in use or invalid data")
	}
	return message(c, fiber.StatusCreated, "Registration successful")
}

func (s *server) login(c *fiber.Ctx) error {
	var req struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := c.BodyParser(&req); err != nil {
		return message(c, fiber.StatusUnauthorized, "Invalid email or password")
	}
	var id, username, hash string
	err := s.db.QueryRow("SELECT id, username, password_hash FROM users WHERE email = ?", strings.TrimSpace(req.Email)).
		Scan(&id, &username, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(req.Password)) != nil {
		return message(c, fiber.StatusUnauthorized, "Invalid email or password")
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
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	return c.JSON(fiber.Map{"token": token, "message": "Login successful"})
}

// authorize accepts a request only with a valid token of the user it names; anything else is 401.
func (s *server) authorize(c *fiber.Ctx, username string) bool {
	raw, ok := strings.CutPrefix(c.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	var cl claims
	tok, err := jwt.ParseWithClaims(strings.TrimSpace(raw), &cl, func(*jwt.Token) (any, error) { return s.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithExpirationRequired())
	if err != nil || !tok.Valid || cl.Username == "" || cl.Username != username {
		return false
	}
	var n int
	err = s.db.QueryRow("SELECT COUNT(*) FROM users WHERE id = ? AND username = ?", cl.Subject, cl.Username).Scan(&n)
	return err == nil && n == 1
}

func (s *server) setSecret(c *fiber.Ctx) error {
	var req struct {
		Username string `json:"username"`
		Secret   string `json:"secret"`
	}
	if err := c.BodyParser(&req); err != nil {
		return message(c, fiber.StatusBadRequest, "Invalid data")
	}
	if !s.authorize(c, req.Username) {
		return message(c, fiber.StatusUnauthorized, "Invalid authentication token")
	}
	sealed, err := s.seal(req.Username, req.Secret)
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if _, err := s.db.Exec(`INSERT INTO secrets (username, secret) VALUES (?, ?)
		ON CONFLICT(username) DO UPDATE SET secret = excluded.secret`, req.Username, sealed); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	return message(c, fiber.StatusOK, "Secret has been set successfully")
}

func (s *server) getSecret(c *fiber.Ctx) error {
	username := c.Query("username")
	if !s.authorize(c, username) {
		return message(c, fiber.StatusUnauthorized, "Invalid authentication token")
	}
	var sealed string
	err := s.db.QueryRow("SELECT secret FROM secrets WHERE username = ?", username).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return message(c, fiber.StatusNotFound, "No secret stored")
	}
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	plain, err := s.open(username, sealed)
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	return c.JSON(fiber.Map{"secret": plain})
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
	app := fiber.New(fiber.Config{BodyLimit: maxBody, DisableStartupMessage: true})
	app.Post("/register", s.register)
	app.Post("/login", s.login)
	app.Post("/set_secret", s.setSecret)
	app.Get("/get_secret", s.getSecret)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
