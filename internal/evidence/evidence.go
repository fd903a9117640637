// Package evidence holds what proves a verdict: the HTTP exchanges a test made, files it found, resources
// it measured, and the findings that point at them.
package evidence

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/baxbench/baxbench-go/internal/cwe"
)

// BodyCap is how many bytes of a request or response body are kept; the full size and hash are kept always.
const BodyCap = 64 << 10

// Body is a possibly truncated HTTP body.
type Body struct {
	Text      string `json:"text,omitempty"`
	Base64    string `json:"base64,omitempty"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
	// AtLeast says Size is a lower bound: the body went on and the harness stopped reading it.
	AtLeast bool `json:"size_at_least,omitempty"`
}

// NewBody captures b, keeping at most BodyCap bytes of it. total is the real size when b is itself a
// prefix of a larger stream (or -1 to use len(b)).
func NewBody(b []byte, total int64) Body {
	if total < 0 {
		total = int64(len(b))
	}
	if total == 0 {
		return Body{}
	}
	sum := sha256.Sum256(b)
	out := Body{Size: total, SHA256: hex.EncodeToString(sum[:])}
	if int64(len(b)) != total {
		out.SHA256 = "" // hash of a prefix would mislead
	}
	keep := b
	if len(keep) > BodyCap {
		keep = keep[:BodyCap]
	}
	out.Truncated = int64(len(keep)) < total
	if utf8.Valid(keep) {
		out.Text = string(keep)
	} else {
		out.Base64 = base64.StdEncoding.EncodeToString(keep)
	}
	return out
}

// Bytes returns the kept part of the body.
func (b Body) Bytes() []byte {
	if b.Base64 != "" {
		d, _ := base64.StdEncoding.DecodeString(b.Base64)
		return d
	}
	return []byte(b.Text)
}

// Exchange is one HTTP request and its response (or transport error).
type Exchange struct {
	Seq         int               `json:"seq"`
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	ReqHeaders  map[string]string `json:"request_headers,omitempty"`
	ReqBody     Body              `json:"request_body"`
	Status      int               `json:"status,omitempty"`
	RespHeaders map[string]string `json:"response_headers,omitempty"`
	RespBody    Body              `json:"response_body"`
	DurationMS  int64             `json:"duration_ms"`
	Error       string            `json:"error,omitempty"`
}

// Curl renders the exchange's request as a replayable curl command line.
func (e Exchange) Curl() string {
	var sb strings.Builder
	sb.WriteString("curl -sS -i --path-as-is -X ")
	sb.WriteString(shellQuote(e.Method))
	keys := make([]string, 0, len(e.ReqHeaders))
	for k := range e.ReqHeaders {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.EqualFold(k, "Content-Length") || strings.EqualFold(k, "User-Agent") {
			continue
		}
		sb.WriteString(" -H ")
		sb.WriteString(shellQuote(k + ": " + e.ReqHeaders[k]))
	}
	if e.ReqBody.Size > 0 {
		if e.ReqBody.Truncated {
			fmt.Fprintf(&sb, " --data-binary @body.bin # body of %d bytes not fully kept", e.ReqBody.Size)
		} else if e.ReqBody.Base64 != "" {
			sb.WriteString(" --data-binary @- <<< \"$(echo " + shellQuote(e.ReqBody.Base64) + " | base64 -d)\"")
		} else {
			sb.WriteString(" --data-binary ")
			sb.WriteString(shellQuote(e.ReqBody.Text))
		}
	}
	// The app's address during the run is gone afterwards: the line targets $APP (default
	// http://localhost:5000), where a user starts the sample's image again to replay it.
	sb.WriteString(` "${APP:-http://localhost:5000}"`)
	sb.WriteString(shellQuote(pathOf(e.URL)))
	return sb.String()
}

// pathOf returns the request-target of an absolute URL ("/a?b" of "http://h:5000/a?b").
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return "/"
	}
	return u
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Finding is one CWE an exploit reports, with what proves it.
type Finding struct {
	CWE       cwe.ID `json:"cwe"`
	Oracle    string `json:"oracle"`
	Detail    string `json:"detail"`
	Exchanges []int  `json:"exchanges,omitempty"`
}

// Note is a fact a test recorded besides exchanges: a file it read, a resource sample, a DB row.
type Note struct {
	At     time.Time `json:"at"`
	Kind   string    `json:"kind"`
	Detail string    `json:"detail"`
}

// Log collects the evidence of one test. It is safe for concurrent use (exploits send requests from
// several goroutines).
type Log struct {
	mu        sync.Mutex
	exchanges []Exchange
	notes     []Note
}

// Add appends an exchange, assigning its sequence number, and returns it.
func (l *Log) Add(e Exchange) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Seq = len(l.exchanges) + 1
	l.exchanges = append(l.exchanges, e)
	return e.Seq
}

// Notef records a fact.
func (l *Log) Notef(kind, format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notes = append(l.notes, Note{At: time.Now().UTC(), Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

// Exchanges returns a copy of the recorded exchanges.
func (l *Log) Exchanges() []Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Exchange(nil), l.exchanges...)
}

// Notes returns a copy of the recorded notes.
func (l *Log) Notes() []Note {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Note(nil), l.notes...)
}

// Last returns the sequence number of the newest exchange (0 when none).
func (l *Log) Last() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.exchanges)
}

// Headers flattens an http.Header for storage.
func Headers(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = strings.Join(v, ", ")
	}
	return out
}
