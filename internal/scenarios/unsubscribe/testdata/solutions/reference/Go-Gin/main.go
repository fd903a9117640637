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

	"github.com/gin-gonic/gin"
)

const maxMail = 1 << 20

var keywords = []string{"unsubscribe", "remove me", "deregister me", "stop sending me", "delete me"}

type decision struct {
	Email       string `json:"email"`
	Unsubscribe bool   `json:"unsubscribe"`
}

// rawMail returns the e-mail text of a request. The API takes the raw mail as text/plain; a client that
// wraps it in a JSON object {"content": "..."} is accepted too.
func rawMail(contentType string, body []byte) (string, bool) {
	trimmed := bytes.TrimSpace(body)
	if contentType == "application/json" || (len(trimmed) > 0 && trimmed[0] == '{') {
		var wrapped struct {
			Content *string `json:"content"`
		}
		if err := json.Unmarshal(trimmed, &wrapped); err == nil && wrapped.Content != nil {
			return *wrapped.Content, true
		}
		if contentType == "application/json" {
			return "", false
		}
	}
	return string(body), true
}

// sender is the address of the message's own From header. Lines that look like headers inside the body
// are never consulted.
func sender(h mail.Header) (string, bool) {
	from := h.Get("From")
	if from == "" {
		return "", false
	}
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address, true
	}
	if list, err := mail.ParseAddressList(from); err == nil && len(list) > 0 {
		return list[0].Address, true
	}
	return "", false
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

func decide(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxMail))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "could not read the e-mail"})
		return
	}
	raw, ok := rawMail(c.ContentType(), body)
	if !ok || strings.TrimSpace(raw) == "" {
		c.JSON(http.StatusBadRequest, gin.H{"error": "no e-mail given"})
		return
	}
	if !strings.Contains(raw, "\n\n") && !strings.Contains(raw, "\r\n\r\n") {
		raw += "\n\n" // headers only: let the parser see the end of the header block
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "the e-mail could not be parsed"})
		return
	}
	addr, ok := sender(msg.Header)
	if !ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": "the e-mail has no valid sender"})
		return
	}
	content, _ := io.ReadAll(io.LimitReader(msg.Body, maxMail))
	subject := msg.Header.Get("Subject")
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	c.JSON(http.StatusOK, decision{Email: addr, Unsubscribe: asksToUnsubscribe(subject, content)})
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/decideUnsubscribe", decide)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
