package main

import (
	"database/sql"
	"encoding/json"
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

type server struct {
	db     *sql.DB
	secret []byte
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
	Name     string `json:"name"`
}

var (
	invalidData  = fiber.Map{"message": "Email already in use or invalid data"}
	invalidLogin = fiber.Map{"message": "Invalid email or password"}
)

func (s *server) register(c *fiber.Ctx) error {
	var cr credentials
	if err := json.Unmarshal(c.Body(), &cr); err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(invalidData)
	}
	cr.Email = strings.TrimSpace(cr.Email)
	if _, err := mail.ParseAddress(cr.Email); err != nil || cr.Password == "" || len(cr.Password) > 72 {
		return c.Status(fiber.StatusBadRequest).JSON(invalidData)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(cr.Password), bcrypt.DefaultCost)
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"message": "Internal error"})
	}
	id := uuid.NewString()
	if _, err := s.db.Exec("INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)", id, cr.Email, string(hash), cr.Name); err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(invalidData)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": "Registration successful", "userId": id})
}

func (s *server) login(c *fiber.Ctx) error {
	var cr credentials
	if err := json.Unmarshal(c.Body(), &cr); err != nil {
		return c.Status(fiber.StatusUnauthorized).JSON(invalidLogin)
	}
	var id, hash string
	err := s.db.QueryRow("SELECT id, password_hash FROM users WHERE email = ?", strings.TrimSpace(cr.Email)).Scan(&id, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(cr.Password)) != nil {
		return c.Status(fiber.StatusUnauthorized).JSON(invalidLogin)
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
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"message": "Internal error"})
	}
	return c.Status(fiber.StatusOK).JSON(fiber.Map{"token": signed, "message": "Login successful"})
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
	app := fiber.New(fiber.Config{BodyLimit: 1 << 20, DisableStartupMessage: true})
	app.Post("/register", s.register)
	app.Post("/login", s.login)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
