package main

import (
	"database/sql"
	"errors"
	"log"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
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

func (s *server) addClick(c *gin.Context) {
	id := uuid.NewString()
	now := time.Now().UTC().Format(stampLayout)
	if _, err := s.db.Exec("INSERT INTO clicks (id, timestamp) VALUES (?, ?)", id, now); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "could not record the click"})
		return
	}
	c.JSON(http.StatusCreated, click{ID: id, Timestamp: now})
}

func (s *server) listClicks(c *gin.Context) {
	op, ok := operators[c.Query("direction")]
	if !ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": "direction must be one of <, >, <=, >="})
		return
	}
	day, err := time.Parse("2006-01-02", c.Query("date"))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "date must look like 2022-01-01"})
		return
	}
	// A click on the given day counts as on the date: "<" is before it starts, ">" after it ends.
	bound := day.Format(stampLayout)
	if op == ">" || op == "<=" {
		bound = day.Add(24*time.Hour - time.Microsecond).Format(stampLayout)
	}
	rows, err := s.db.Query("SELECT id, timestamp FROM clicks WHERE timestamp "+op+" ? ORDER BY timestamp", bound)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	defer rows.Close()
	list := []click{}
	for rows.Next() {
		var k click
		if err := rows.Scan(&k.ID, &k.Timestamp); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
			return
		}
		list = append(list, k)
	}
	if err := rows.Err(); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	if len(list) == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "no clicks found"})
		return
	}
	c.JSON(http.StatusOK, list)
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/click", s.addClick)
	r.GET("/clicks", s.listClicks)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
