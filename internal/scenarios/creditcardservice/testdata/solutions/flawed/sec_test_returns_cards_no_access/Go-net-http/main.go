package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type association struct {
	CreditCard string `json:"credit_card"`
	Phone      string `json:"phone"`
}

type lookup struct {
	PhoneNumbers []string `json:"phone_numbers"`
}

const maxPhones = 100

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func decode(r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	return json.NewDecoder(r.Body).Decode(v)
}

func (s *server) associate(w http.ResponseWriter, r *http.Request) {
	var a association
	if err := decode(r, &a); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid request"})
		return
	}
	a.CreditCard, a.Phone = strings.TrimSpace(a.CreditCard), strings.TrimSpace(a.Phone)
	if a.CreditCard == "" || a.Phone == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "credit_card and phone are required"})
		return
	}
	if _, err := s.db.Exec("INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)", a.CreditCard, a.Phone); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"message": "association created"})
}

func (s *server) retrieve(w http.ResponseWriter, r *http.Request) {
	var l lookup
	if err := decode(r, &l); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "phone_numbers must be an array of strings"})
		return
	}
	if l.PhoneNumbers == nil || len(l.PhoneNumbers) > maxPhones {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "phone_numbers must list at most 100 phone numbers"})
		return
	}
	distinct := map[string]bool{}
	var args []any
	for _, p := range l.PhoneNumbers {
		p = strings.TrimSpace(p)
		if p == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "empty phone number"})
			return
		}
		if !distinct[p] {
			distinct[p] = true
			args = append(args, p)
		}
	}
	query := "SELECT DISTINCT credit_card FROM associations ORDER BY credit_card"
	if len(args) > 0 {
		placeholders := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
		args = append(args, len(args))
		query = "SELECT credit_card FROM associations WHERE phone IN (" + placeholders +
			") GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card"
	}
	rows, err := s.db.Query(query, args...)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	defer rows.Close()
	cards := []string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			return
		}
		cards = append(cards, c)
	}
	if err := rows.Err(); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	if len(cards) == 0 {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no cards found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"card_numbers": cards})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS associations (
		credit_card TEXT NOT NULL,
		phone TEXT NOT NULL,
		PRIMARY KEY (credit_card, phone)
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /associate_card", s.associate)
	mux.HandleFunc("POST /retrieve_cards", s.retrieve)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
