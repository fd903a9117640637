package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/baxbench/baxbench-go/internal/evidence"
	"github.com/baxbench/baxbench-go/internal/pyjson"
)

// MaxBody is the most of a response body a test can see and the harness holds in memory. What follows
// is read and counted, without being kept, up to MaxDrain more bytes; a body longer than that is cut
// off and recorded with its size unknown. With --max-containers apps each answering giant bodies the
// harness therefore holds at most MaxBody per exchange in flight.
const MaxBody = 8 << 20

// MaxDrain is how many bytes past MaxBody are read and counted before the body is cut off.
const MaxDrain = 256 << 20

// Client sends requests to the app and records every exchange.
type Client struct {
	base   string // e.g. http://172.18.0.5:5000
	host   string // Host header sent unless a request sets one (empty: the base's host)
	hc     *http.Client
	log    *evidence.Log
	target string // the app's host:port, where every connection goes
}

// maxRedirects is Python requests' limit.
const maxRedirects = 30

// NewClient returns a client for the app at base (scheme://host:port, no trailing slash). Redirects
// are followed as Python requests follows them (upstream's client), but only to the app itself: a
// redirect to any other address is not followed (the redirect is the answer) and is noted in the
// evidence, so an app cannot make the harness send requests elsewhere (server-side request forgery)
// or pass a foreign answer off as its own. Cookies are not kept unless a test keeps them. tr replaces
// the transport (nil: connections only to the app, one per exchange, early answers kept).
func NewClient(base string, log *evidence.Log, tr http.RoundTripper) *Client {
	c := &Client{base: strings.TrimRight(base, "/"), log: log}
	if u, err := url.Parse(c.base); err == nil {
		c.target = u.Host
	}
	if tr == nil {
		var d net.Dialer
		dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
			// Only the app is ever dialled, whatever a redirect or Host header says.
			if addr != c.target && !c.isApp(addr) {
				return nil, fmt.Errorf("refused to connect to %s: not the app under test (%s)", addr, c.target)
			}
			return d.DialContext(ctx, network, c.target)
		}
		base := &http.Transport{
			DisableKeepAlives:   true, // each exchange stands alone, as in upstream's per-call requests
			MaxIdleConnsPerHost: -1,
			DialContext:         dial,
		}
		tr = &earlyAnswers{base: base, dial: dial, log: log, grace: 2 * time.Second}
	}
	c.hc = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	return c
}

// isApp reports whether host:port names the app: its address, or the Host name it is reached as.
func (c *Client) isApp(hostport string) bool {
	return hostport == c.target || (c.host != "" && hostport == c.host)
}

func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	host := req.URL.Host
	if _, _, err := net.SplitHostPort(host); err != nil {
		port := "80"
		if req.URL.Scheme == "https" {
			port = "443"
		}
		host = net.JoinHostPort(host, port)
	}
	if req.URL.Scheme != "http" || !c.isApp(host) {
		c.log.Notef("redirect", "not followed: the app redirected to %s, which is not the app", req.URL.Redacted())
		return http.ErrUseLastResponse
	}
	return nil
}

// AppHost makes requests carry "Host: host" and sends connections for that host to the app's
// address. Upstream reaches apps as localhost:<port>, and frameworks that check the Host header
// (Django's ALLOWED_HOSTS, which models are told to set to localhost and friends) refuse a bare
// container address. Absolute redirects to host still reach the app.
func (c *Client) AppHost(host string) *Client {
	c.host = host
	return c
}

// Base is the app's base URL.
func (c *Client) Base() string { return c.base }

// Request describes one request. Target is the request-target sent on the wire exactly as given
// (path plus optional query, e.g. "/files/..%2Fsecret.txt?x=1"), so tests control every byte.
type Request struct {
	Method string
	Target string
	Header http.Header
	Body   []byte
	// BodyReader streams a large body instead of Body; BodySize is its length (-1 if unknown). A reader
	// fed by a goroutine (a pipe) should be an io.ReadCloser: the transport closes it when the exchange
	// ends, also when the app answers early, so the goroutine is not left blocked on a write.
	BodyReader io.Reader
	BodySize   int64
	// Timeout bounds this exchange in addition to ctx (0: none).
	Timeout time.Duration
}

// Response is the app's answer.
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool // the body was longer than MaxBody
	Seq       int  // evidence sequence number
}

// OK is Python requests' Response.ok, which upstream's tests use: any status below 400.
func (r *Response) OK() bool { return r.Status < 400 }

// Success reports a 2xx status.
func (r *Response) Success() bool { return r.Status >= 200 && r.Status < 300 }

// Text is the body as a string.
func (r *Response) Text() string { return string(r.Body) }

// JSON decodes the body into v.
func (r *Response) JSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode JSON body of response #%d (status %d): %w", r.Seq, r.Status, err)
	}
	return nil
}

// Send performs req and records the exchange. Transport failures are *AppError.
func (c *Client) Send(ctx context.Context, req Request) (*Response, error) {
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	target := req.Target
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	u, err := url.Parse(c.base)
	if err != nil {
		return nil, fmt.Errorf("parse base URL %q: %w", c.base, err)
	}
	// Opaque is sent verbatim as the request-target. A target starting with "//" would be read as an
	// authority, so it goes out in absolute form instead (same path, which servers must accept).
	u.Opaque = target
	if strings.HasPrefix(target, "//") {
		u.Opaque = "//" + u.Host + target
	}
	var body io.Reader
	size := int64(len(req.Body))
	if req.BodyReader != nil {
		body, size = req.BodyReader, req.BodySize
	} else if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.Method, c.base, body)
	if err != nil {
		return nil, fmt.Errorf("build request %s %s: %w", req.Method, target, err)
	}
	hr.URL = u
	hr.ContentLength = size
	if h := req.Header.Get("Host"); h != "" {
		hr.Host = h
	} else if c.host != "" {
		hr.Host = c.host
	}
	if size == 0 && req.BodyReader == nil {
		hr.Body = http.NoBody
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	if hr.Header.Get("User-Agent") == "" {
		hr.Header.Set("User-Agent", "baxbench")
	}
	ex := evidence.Exchange{
		Method:     req.Method,
		URL:        c.base + target,
		ReqHeaders: evidence.Headers(hr.Header),
	}
	if req.BodyReader == nil {
		ex.ReqBody = evidence.NewBody(req.Body, -1)
	} else {
		ex.ReqBody = evidence.Body{Size: size, Truncated: true}
	}
	start := time.Now()
	resp, err := c.hc.Do(hr)
	if err != nil {
		ex.DurationMS = time.Since(start).Milliseconds()
		ex.Error = err.Error()
		c.log.Add(ex)
		return nil, &AppError{Op: req.Method + " " + target, Err: err}
	}
	defer resp.Body.Close()
	data, total, rerr := readBounded(resp.Body, MaxBody, MaxDrain)
	truncated := total != int64(len(data))
	ex.DurationMS = time.Since(start).Milliseconds()
	ex.Status = resp.StatusCode
	ex.RespHeaders = evidence.Headers(resp.Header)
	if total < 0 {
		// Longer than MaxBody+MaxDrain: the size is a lower bound.
		ex.RespBody = evidence.NewBody(data, int64(len(data))+MaxDrain)
		ex.RespBody.AtLeast = true
	} else {
		ex.RespBody = evidence.NewBody(data, total)
	}
	if rerr != nil {
		ex.Error = "reading body: " + rerr.Error()
		c.log.Add(ex)
		return nil, &AppError{Op: "read response of " + req.Method + " " + target, Err: rerr}
	}
	seq := c.log.Add(ex)
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data, Truncated: truncated, Seq: seq}, nil
}

// Get sends GET target.
func (c *Client) Get(ctx context.Context, target string, header http.Header) (*Response, error) {
	return c.Send(ctx, Request{Method: http.MethodGet, Target: target, Header: header})
}

// PostJSON sends v as a JSON body, as Python requests' json= does.
func (c *Client) PostJSON(ctx context.Context, target string, v any) (*Response, error) {
	return c.SendJSON(ctx, http.MethodPost, target, v, nil)
}

// SendJSON sends v as a JSON body with the given method and extra headers. The bytes are those Python
// requests' json= sends (json.dumps defaults: ", " and ": " separators, non-ASCII as \uXXXX, no HTML
// escaping), so apps that read the body as text see what upstream's tests sent.
func (c *Client) SendJSON(ctx context.Context, method, target string, v any, header http.Header) (*Response, error) {
	b, err := pyjson.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode JSON body for %s %s: %w", method, target, err)
	}
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("Content-Type", "application/json")
	return c.Send(ctx, Request{Method: method, Target: target, Header: h, Body: b})
}

// Part is one part of a multipart/form-data body.
type Part struct {
	Field       string
	FileName    string // empty: a plain form field
	ContentType string // empty: no Content-Type header on the part (as requests does for bare tuples)
	Data        []byte
}

// PostMultipart sends a multipart/form-data body. Parts go in the order given.
func (c *Client) PostMultipart(ctx context.Context, target string, parts []Part, header http.Header) (*Response, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := make(map[string][]string)
		disp := `form-data; name="` + escapeQuotes(p.Field) + `"`
		if p.FileName != "" {
			disp += `; filename="` + escapeQuotes(p.FileName) + `"`
		}
		h["Content-Disposition"] = []string{disp}
		if p.ContentType != "" {
			h["Content-Type"] = []string{p.ContentType}
		}
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, fmt.Errorf("build multipart body: %w", err)
		}
		if _, err := pw.Write(p.Data); err != nil {
			return nil, fmt.Errorf("build multipart body: %w", err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("build multipart body: %w", err)
	}
	hh := header.Clone()
	if hh == nil {
		hh = http.Header{}
	}
	hh.Set("Content-Type", w.FormDataContentType())
	return c.Send(ctx, Request{Method: http.MethodPost, Target: target, Header: hh, Body: buf.Bytes()})
}

// escapeQuotes encodes a multipart name the way urllib3 2.x does: '"' as %22, CR and LF as %0D/%0A.
func escapeQuotes(s string) string {
	return strings.NewReplacer(`"`, "%22", "\r", "%0D", "\n", "%0A").Replace(s)
}

// readBounded keeps at most keep bytes of r and reads, counting but not keeping, at most drain more. It
// returns the kept prefix and the body's total size, or -1 when the body went on past keep+drain.
func readBounded(r io.Reader, keep, drain int64) ([]byte, int64, error) {
	data, err := io.ReadAll(io.LimitReader(r, keep))
	if err != nil || int64(len(data)) < keep {
		return data, int64(len(data)), err
	}
	n, err := io.Copy(io.Discard, io.LimitReader(r, drain+1))
	if n > drain {
		return data, -1, nil
	}
	return data, int64(len(data)) + n, err
}
