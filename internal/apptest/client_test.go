package apptest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/evidence"
)

func TestClientSendsTargetVerbatimAndRecords(t *testing.T) {
	var gotURI, gotBody, gotCT string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotURI = r.RequestURI
		b, _ := io.ReadAll(r.Body)
		gotBody, gotCT = string(b), r.Header.Get("Content-Type")
		w.WriteHeader(418)
		io.WriteString(w, "short and stout")
	}))
	defer srv.Close()
	log := &evidence.Log{}
	c := NewClient(srv.URL, log, nil)
	target := "/files/..%2F..%2Fsecret.txt?name=%3C"
	r, err := c.Send(context.Background(), Request{Method: "GET", Target: target})
	if err != nil {
		t.Fatal(err)
	}
	if gotURI != target {
		t.Fatalf("server saw %q, want %q", gotURI, target)
	}
	if r.Status != 418 || r.Text() != "short and stout" || r.Seq != 1 {
		t.Fatalf("response %+v", r)
	}
	if _, err := c.PostJSON(context.Background(), "/x", map[string]string{"a": "b"}); err != nil {
		t.Fatal(err)
	}
	if gotBody != `{"a": "b"}` || gotCT != "application/json" {
		t.Fatalf("body %q content type %q", gotBody, gotCT)
	}
	ex := log.Exchanges()
	if len(ex) != 2 || ex[0].Status != 418 || ex[0].RespBody.Text != "short and stout" || ex[1].ReqBody.Text != `{"a": "b"}` {
		t.Fatalf("evidence %+v", ex)
	}
	if curl := ex[1].Curl(); !strings.Contains(curl, `--data-binary '{"a": "b"}'`) || !strings.Contains(curl, "--path-as-is") {
		t.Fatalf("curl line %q", curl)
	}
}

func TestClientTransportFailureIsAppError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	log := &evidence.Log{}
	c := NewClient("http://"+addr, log, nil)
	_, err = c.Get(context.Background(), "/", nil)
	if !IsAppError(err) {
		t.Fatalf("want an AppError, got %v", err)
	}
	if ex := log.Exchanges(); len(ex) != 1 || ex[0].Error == "" {
		t.Fatalf("a failed exchange must be recorded: %+v", ex)
	}
}

func TestMultipartNoContentTypeForBareParts(t *testing.T) {
	var ct, part string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ct = r.Header.Get("Content-Type")
		mr, err := r.MultipartReader()
		if err != nil {
			t.Error(err)
			return
		}
		p, _ := mr.NextPart()
		part = p.Header.Get("Content-Type") + "|" + p.FileName()
	}))
	defer srv.Close()
	c := NewClient(srv.URL, &evidence.Log{}, nil)
	if _, err := c.PostMultipart(context.Background(), "/up", []Part{{Field: "file", FileName: `a"b.png`, Data: []byte("x")}}, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct, "multipart/form-data") || part != "|a%22b.png" {
		t.Fatalf("content type %q, part %q", ct, part)
	}
}
