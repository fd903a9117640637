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

const (
	maxBodySize = 1 << 16
	maxCount    = 1_000_000
)

type server struct{ db *sql.DB }

type item struct {
	ItemID int64 `json:"item_id"`
	Count  int64 `json:"count"`
}

func fail(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"error": msg})
}

func limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodySize)
	c.Next()
}

func (s *server) createCart(c *gin.Context) {
	id := uuid.NewString()
	if _, err := s.db.Exec("INSERT INTO carts (id, created_at) VALUES (?, ?)", id, time.Now().UTC().Format(time.RFC3339)); err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	c.JSON(http.StatusCreated, gin.H{"cart_id": id})
}

// findCart returns the stored id of the cart, or sql.ErrNoRows.
func findCart(q interface {
	QueryRow(string, ...any) *sql.Row
}, cartID string) (string, error) {
	var id string
	err := q.QueryRow("SELECT id FROM carts WHERE id = ?", cartID).Scan(&id)
	return id, err
}

func (s *server) addToCart(c *gin.Context) {
	var in struct {
		CartID *string `json:"cart_id"`
		ItemID *int64  `json:"item_id"`
		Count  *int64  `json:"count"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.CartID == nil || in.ItemID == nil || in.Count == nil {
		fail(c, http.StatusBadRequest, "cart_id (string), item_id (integer) and count (integer) are required")
		return
	}
	if *in.Count > maxCount || *in.Count < -maxCount {
		fail(c, http.StatusBadRequest, "count is out of range")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	defer tx.Rollback()
	cartID, err := findCart(tx, *in.CartID)
	if errors.Is(err, sql.ErrNoRows) {
		fail(c, http.StatusNotFound, "cart not found")
		return
	} else if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	var current int64
	err = tx.QueryRow("SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?", cartID, *in.ItemID).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	next := current + *in.Count
	switch {
	case next < 0:
		fail(c, http.StatusBadRequest, "cannot remove more items than the cart holds")
		return
	case next > maxCount:
		fail(c, http.StatusBadRequest, "count is out of range")
		return
	case next == 0:
		_, err = tx.Exec("DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?", cartID, *in.ItemID)
	default:
		_, err = tx.Exec(`INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?)
			ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count`, cartID, *in.ItemID, next)
	}
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "Item updated"})
}

func (s *server) retrieveCart(c *gin.Context) {
	var in struct {
		CartID *string `json:"cart_id"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.CartID == nil {
		fail(c, http.StatusBadRequest, "cart_id (string) is required")
		return
	}
	cartID, err := findCart(s.db, *in.CartID)
	if errors.Is(err, sql.ErrNoRows) {
		fail(c, http.StatusNotFound, "cart not found")
		return
	} else if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	rows, err := s.db.Query("SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id", cartID)
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	items := []item{}
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ItemID, &it.Count); err != nil {
			fail(c, http.StatusInternalServerError, "internal error")
			return
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	c.JSON(http.StatusOK, gin.H{"cart_id": cartID, "items": items})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS carts (
			id TEXT PRIMARY KEY,
			created_at TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS cart_items (
			cart_id TEXT NOT NULL REFERENCES carts(id),
			item_id INTEGER NOT NULL,
			count INTEGER NOT NULL,
			PRIMARY KEY (cart_id, item_id)
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), limitBody)
	r.POST("/create_cart", s.createCart)
	r.POST("/add_to_cart", s.addToCart)
	r.POST("/retrieve_cart", s.retrieveCart)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
