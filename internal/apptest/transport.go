package apptest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/baxbench/baxbench-go/internal/evidence"
)

// earlyAnswers is the transport of requests that carry a body. It writes the request and reads the
// answer at the same time, so an app that answers before the body is sent (413 for an upload too
// large, 400 for a bad one) and then stops reading or resets the connection is seen answering, as
// upstream's client (urllib3 2.x, which ignores broken pipes and resets while sending) sees it. Only
// when no answer arrived is the write error the outcome. Requests without a body go to base.
type earlyAnswers struct {
	base *http.Transport
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
	log  *evidence.Log
	// grace is how long an answer may still arrive after the body could not be written.
	grace time.Duration
}

func (t *earlyAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return t.base.RoundTrip(req)
	}
	body := req.Body
	closeBody := sync.OnceFunc(func() { body.Close() })
	req = req.Clone(req.Context()) // a RoundTripper must not change the caller's request
	req.Close = true               // one exchange per connection, as with the base transport
	addr := req.URL.Host
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "80")
	}
	conn, err := t.dial(req.Context(), "tcp", addr)
	if err != nil {
		closeBody()
		return nil, err
	}
	stop := context.AfterFunc(req.Context(), func() { conn.Close() })
	release := func() { stop(); conn.Close(); closeBody() }

	written := make(chan error, 1)
	go func() {
		written <- req.Write(conn) // closes the body when done
	}()
	type answer struct {
		resp *http.Response
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		br := bufio.NewReader(conn)
		for {
			resp, err := http.ReadResponse(br, req)
			if err == nil && resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
				continue // an interim answer (100 Continue): the real one follows
			}
			answered <- answer{resp, err}
			return
		}
	}()

	keep := func(resp *http.Response) *http.Response {
		resp.Body = &connBody{ReadCloser: resp.Body, release: release}
		return resp
	}
	select {
	case a := <-answered:
		if a.err != nil {
			// No answer: a write error, when there is one, says more.
			var werr error
			select {
			case werr = <-written:
			case <-time.After(100 * time.Millisecond):
			}
			release()
			if werr != nil {
				return nil, werr
			}
			return nil, a.err
		}
		return keep(a.resp), nil
	case werr := <-written:
		if werr == nil {
			a := <-answered // the context bounds the wait: it closes the connection
			if a.err != nil {
				release()
				if err := req.Context().Err(); err != nil {
					return nil, err
				}
				return nil, a.err
			}
			return keep(a.resp), nil
		}
		// The body could not be sent; the app may have answered already.
		select {
		case a := <-answered:
			if a.err == nil {
				t.log.Notef("early-answer", "the app answered (status %d) before the request body was sent; the send stopped with: %v", a.resp.StatusCode, werr)
				return keep(a.resp), nil
			}
		case <-time.After(t.grace):
		}
		release()
		return nil, fmt.Errorf("write request: %w", werr)
	}
}

// connBody closes the connection (and the request body's producer) with the response body.
type connBody struct {
	io.ReadCloser
	release func()
	once    sync.Once
}

func (b *connBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}
