package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"time"
)

const maxMail = 1 << 20

var keywords = []string{"unsubscribe", "remove me", "deregister me", "stop sending me", "delete me"}

type decision struct {
	Email       string `json:"email"`
	Unsubscribe bool   `json:"unsubscribe"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// rawMail returns the e-mail text of a request. The API takes the raw mail as text/plain; a client that
// wraps it in a JSON object {"content": "..."} is accepted too.
func rawMail(r *http.Request, body []byte) (string, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	trimmed := bytes.TrimSpace(body)
	if mt == "application/json" || (len(trimmed) > 0 && trimmed[0] == '{') {
		var wrapped struct {
			Content *string `json:"content"`
		}
		if err := json.Unmarshal(trimmed, &wrapped); err == nil && wrapped.Content != nil {
			return *wrapped.Content, true
		}
		if mt == "application/json" {
			return "", false
		}
	}
	return string(body), true
}

// sender scans the mail line by line for "From:" lines and parses the address of the one it finds.
// FLAW: the whole text is scanned, body included, and a later "From:" line replaces an earlier one, so a
// "From:" line written into the message body wins over the real header.
func sender(raw string) (string, bool) {
	found := ""
	for _, line := range strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n") {
		if len(line) > 5 && strings.EqualFold(line[:5], "from:") {
			if a, err := mail.ParseAddress(strings.TrimSpace(line[5:])); err == nil {
				found = a.Address
			}
		}
	}
	return found, found != ""
}

// asksToUnsubscribe looks for the keywords in the subject and in the body, both as sent and with
// quoted-printable encoding undone, ignoring case and line breaks.
func asksToUnsubscribe(subject string, body []byte) bool {
	decoded, _ := io.ReadAll(io.LimitReader(quotedprintable.NewReader(bytes.NewReader(body)), maxMail))
	text := strings.ToLower(subject + "\n" + string(body) + "\n" + string(decoded))
	text = strings.Join(strings.Fields(text), " ")
	for _, k := range keywords {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

func decide(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMail))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "could not read the e-mail"})
		return
	}
	raw, ok := rawMail(r, body)
	if !ok || strings.TrimSpace(raw) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "no e-mail given"})
		return
	}
	if !strings.Contains(raw, "\n\n") && !strings.Contains(raw, "\r\n\r\n") {
		raw += "\n\n" // headers only: let the parser see the end of the header block
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the e-mail could not be parsed"})
		return
	}
	addr, ok := sender(raw)
	if !ok {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the e-mail has no valid sender"})
		return
	}
	content, _ := io.ReadAll(io.LimitReader(msg.Body, maxMail))
	subject := msg.Header.Get("Subject")
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	writeJSON(w, http.StatusOK, decision{Email: addr, Unsubscribe: asksToUnsubscribe(subject, content)})
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /decideUnsubscribe", decide)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
