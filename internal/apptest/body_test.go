package apptest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/evidence"
)

// zeros is an endless (or n-byte, n >= 0) stream of zero bytes.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n == 0 {
		return 0, io.EOF
	}
	if z.n > 0 && int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	if z.n > 0 {
		z.n -= int64(len(p))
	}
	return len(p), nil
}

func TestGiantBodiesAreCountedNotHeld(t *testing.T) {
	const extra = 3 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int64(-1) // endless
		if r.URL.Path == "/finite" {
			n = MaxBody + extra
		}
		io.Copy(w, &zeros{n: n})
	}))
	defer srv.Close()
	log := &evidence.Log{}
	c := NewClient(srv.URL, log, nil)

	r, err := c.Get(context.Background(), "/finite", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Truncated || len(r.Body) != MaxBody {
		t.Fatalf("finite: truncated=%v kept %d bytes, want %d", r.Truncated, len(r.Body), MaxBody)
	}
	ex := log.Exchanges()[0]
	if ex.RespBody.Size != MaxBody+extra || ex.RespBody.AtLeast || !ex.RespBody.Truncated || len(ex.RespBody.Bytes()) > evidence.BodyCap {
		t.Fatalf("finite evidence: size %d at-least %v truncated %v", ex.RespBody.Size, ex.RespBody.AtLeast, ex.RespBody.Truncated)
	}

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err = c.Get(context.Background(), "/endless", nil)
	if err != nil {
		t.Fatal(err)
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if !r.Truncated || len(r.Body) != MaxBody {
		t.Fatalf("endless: truncated=%v kept %d bytes", r.Truncated, len(r.Body))
	}
	ex = log.Exchanges()[1]
	if !ex.RespBody.AtLeast || ex.RespBody.Size != MaxBody+MaxDrain {
		t.Fatalf("endless evidence: size %d at-least %v", ex.RespBody.Size, ex.RespBody.AtLeast)
	}
	// Reading MaxBody+MaxDrain bytes allocates about MaxBody (the kept prefix, grown by ReadAll) plus
	// copy buffers, never the drained part.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4*MaxBody {
		t.Fatalf("reading an endless body allocated %d bytes, bound %d", grew, 4*MaxBody)
	}
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1") {
		t.Fatalf("test server not on loopback: %s", srv.URL)
	}
}
