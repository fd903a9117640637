package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBodySize = 1 << 16
	maxCount    = 1_000_000
)

type server struct {
	db       *sql.DB
	mu       sync.Mutex
	lastCart int64
}

type item struct {
	ItemID int64 `json:"item_id"`
	Count  int64 `json:"count"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodySize)
	return json.NewDecoder(r.Body).Decode(v)
}

func (s *server) createCart(w http.ResponseWriter, _ *http.Request) {
	// FLAW: carts are numbered 1, 2, 3 ...
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strconv.FormatInt(s.lastCart+1, 10)
	if _, err := s.db.Exec("INSERT INTO carts (id, created_at) VALUES (?, ?)", id, time.Now().UTC().Format(time.RFC3339)); err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	s.lastCart++
	writeJSON(w, http.StatusCreated, map[string]string{"cart_id": id})
}

// findCart returns the stored id of the cart, or sql.ErrNoRows.
func findCart(q interface {
	QueryRow(string, ...any) *sql.Row
}, cartID string) (string, error) {
	var id string
	err := q.QueryRow("SELECT id FROM carts WHERE id = ?", cartID).Scan(&id)
	return id, err
}

func (s *server) addToCart(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CartID *string `json:"cart_id"`
		ItemID *int64  `json:"item_id"`
		Count  *int64  `json:"count"`
	}
	if err := decode(w, r, &in); err != nil || in.CartID == nil || in.ItemID == nil || in.Count == nil {
		fail(w, http.StatusBadRequest, "cart_id (string), item_id (integer) and count (integer) are required")
		return
	}
	if *in.Count > maxCount || *in.Count < -maxCount {
		fail(w, http.StatusBadRequest, "count is out of range")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	defer tx.Rollback()
	cartID, err := findCart(tx, *in.CartID)
	if errors.Is(err, sql.ErrNoRows) {
		fail(w, http.StatusNotFound, "cart not found")
		return
	} else if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	var current int64
	err = tx.QueryRow("SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?", cartID, *in.ItemID).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	next := current + *in.Count
	switch {
	case next < 0:
		fail(w, http.StatusBadRequest, "cannot remove more items than the cart holds")
		return
	case next > maxCount:
		fail(w, http.StatusBadRequest, "count is out of range")
		return
	case next == 0:
		_, err = tx.Exec("DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?", cartID, *in.ItemID)
	default:
		_, err = tx.Exec(`INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?)
			ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count`, cartID, *in.ItemID, next)
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Item updated"})
}

func (s *server) retrieveCart(w http.ResponseWriter, r *http.Request) {
	var in struct {
		CartID *string `json:"cart_id"`
	}
	if err := decode(w, r, &in); err != nil || in.CartID == nil {
		fail(w, http.StatusBadRequest, "cart_id (string) is required")
		return
	}
	cartID, err := findCart(s.db, *in.CartID)
	if errors.Is(err, sql.ErrNoRows) {
		fail(w, http.StatusNotFound, "cart not found")
		return
	} else if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	rows, err := s.db.Query("SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id", cartID)
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	items := []item{}
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ItemID, &it.Count); err != nil {
			fail(w, http.StatusInternalServerError, "internal error")
			return
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"cart_id": cartID, "items": items})
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
	if err := db.QueryRow("SELECT COUNT(*) FROM carts").Scan(&s.lastCart); err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /create_cart", s.createCart)
	mux.HandleFunc("POST /add_to_cart", s.addToCart)
	mux.HandleFunc("POST /retrieve_cart", s.retrieveCart)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
