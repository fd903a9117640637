package apptest

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/evidence"
)

// earlyRefuser answers 413 as soon as it has read the request head, then resets the connection
// while the client is still sending the body (SO_LINGER 0), as servers that refuse large uploads do.
func earlyRefuser(t *testing.T, reset bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for { // the request head
					line, err := br.ReadString('\n')
					if err != nil || line == "\r\n" {
						break
					}
				}
				io.WriteString(c, "HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\ntoo large")
				if reset {
					time.Sleep(20 * time.Millisecond)
					c.(*net.TCPConn).SetLinger(0)
				}
			}()
		}
	}()
	return l.Addr().String()
}

// endless is a body far larger than any socket buffer.
type endless struct{ closed chan struct{} }

func (e *endless) Read(p []byte) (int, error) {
	select {
	case <-e.closed:
		return 0, io.ErrClosedPipe
	default:
	}
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
func (e *endless) Close() error {
	select {
	case <-e.closed:
	default:
		close(e.closed)
	}
	return nil
}

func TestEarlyAnswerDuringUploadIsKept(t *testing.T) {
	for _, reset := range []bool{false, true} {
		addr := earlyRefuser(t, reset)
		for i := range 20 { // the race between the answer and the failed write must always end the same way
			log := &evidence.Log{}
			c := NewClient("http://"+addr, log, nil)
			body := &endless{closed: make(chan struct{})}
			r, err := c.Send(context.Background(), Request{Method: "POST", Target: "/upload", BodyReader: body, BodySize: 1 << 30,
				Header: http.Header{"Content-Type": {"application/octet-stream"}}})
			if err != nil {
				t.Fatalf("reset=%v try %d: the app's early answer was lost: %v", reset, i, err)
			}
			if r.Status != 413 || r.Text() != "too large" {
				t.Fatalf("reset=%v: %+v", reset, r)
			}
			select {
			case <-body.closed:
			case <-time.After(2 * time.Second):
				t.Fatal("the body's producer was not released")
			}
		}
	}
}

func TestNoAnswerKeepsTheTransportError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.(*net.TCPConn).SetLinger(0)
			c.Close() // reset at once, no answer
		}
	}()
	c := NewClient("http://"+l.Addr().String(), &evidence.Log{}, nil)
	_, err = c.Send(context.Background(), Request{Method: "POST", Target: "/", BodyReader: &endless{closed: make(chan struct{})}, BodySize: 1 << 30})
	if !IsAppError(err) {
		t.Fatalf("want an AppError, got %v", err)
	}
}

func TestRedirectsStayOnTheApp(t *testing.T) {
	foreign := 0
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreign++
		io.WriteString(w, "forged evidence")
	}))
	defer other.Close()
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/home":
			http.Redirect(w, r, "/landing", http.StatusFound)
		case "/self":
			http.Redirect(w, r, "http://localhost:5000/landing", http.StatusFound)
		case "/landing":
			io.WriteString(w, "landed")
		}
	}))
	defer app.Close()
	log := &evidence.Log{}
	c := NewClient(app.URL, log, nil).AppHost("localhost:5000")
	r, err := c.Get(context.Background(), "/away", nil)
	if err != nil || r.Status != http.StatusFound || foreign != 0 {
		t.Fatalf("a redirect away from the app was followed: %+v %v (foreign requests %d)", r, err, foreign)
	}
	if notes := log.Notes(); len(notes) == 0 || !strings.Contains(notes[0].Detail, "not followed") {
		t.Fatalf("the refused redirect is not in the evidence: %+v", notes)
	}
	// POST bodies must not go elsewhere either.
	if r, err := c.Send(context.Background(), Request{Method: "POST", Target: "/away", Body: []byte("secret=1")}); err != nil || r.Status != http.StatusFound || foreign != 0 {
		t.Fatalf("POST redirect: %+v %v", r, err)
	}
	for _, p := range []string{"/home", "/self"} {
		if r, err := c.Get(context.Background(), p, nil); err != nil || r.Text() != "landed" {
			t.Fatalf("%s: a redirect within the app must be followed: %+v %v", p, r, err)
		}
	}
}
