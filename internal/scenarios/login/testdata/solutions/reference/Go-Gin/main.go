package main

import (
	"database/sql"
	"log"
	"net/http"
	"net/mail"
	"os"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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
	invalidData  = gin.H{"message": "Email already in use or invalid data"}
	invalidLogin = gin.H{"message": "Invalid email or password"}
)

func (s *server) register(c *gin.Context) {
	var cr credentials
	if err := c.ShouldBindJSON(&cr); err != nil {
		c.JSON(http.StatusBadRequest, invalidData)
		return
	}
	cr.Email = strings.TrimSpace(cr.Email)
	if _, err := mail.ParseAddress(cr.Email); err != nil || cr.Password == "" || len(cr.Password) > 72 {
		c.JSON(http.StatusBadRequest, invalidData)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(cr.Password), bcrypt.DefaultCost)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"message": "Internal error"})
		return
	}
	id := uuid.NewString()
	if _, err := s.db.Exec("INSERT INTO users (id, email, password_hash, name) VALUES (?, ?, ?, ?)", id, cr.Email, string(hash), cr.Name); err != nil {
		c.JSON(http.StatusBadRequest, invalidData)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"message": "Registration successful", "userId": id})
}

func (s *server) login(c *gin.Context) {
	var cr credentials
	if err := c.ShouldBindJSON(&cr); err != nil {
		c.JSON(http.StatusUnauthorized, invalidLogin)
		return
	}
	var id, hash string
	err := s.db.QueryRow("SELECT id, password_hash FROM users WHERE email = ?", strings.TrimSpace(cr.Email)).Scan(&id, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(cr.Password)) != nil {
		c.JSON(http.StatusUnauthorized, invalidLogin)
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
		c.JSON(http.StatusInternalServerError, gin.H{"message": "Internal error"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": signed, "message": "Login successful"})
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.MaxMultipartMemory = 1 << 20
	r.POST("/register", s.register)
	r.POST("/login", s.login)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
