package sandbox

import (
	"strings"
	"testing"
)

func TestHeadTailKeepsBothEnds(t *testing.T) {
	h := headTail{limit: 100}
	h.Write([]byte("ImportError: no module named crypt\n"))
	for range 1000 {
		h.Write([]byte("noise line\n"))
	}
	h.Write([]byte("Traceback: the end\n"))
	s := h.String()
	if !strings.HasPrefix(s, "ImportError: no module") || !strings.HasSuffix(s, "Traceback: the end\n") || !strings.Contains(s, "bytes of output cut") {
		t.Fatalf("%q", s)
	}
	if len(s) > 100+60 {
		t.Fatalf("%d bytes kept", len(s))
	}
	small := headTail{limit: 100}
	small.Write([]byte("short"))
	if small.String() != "short" {
		t.Fatalf("%q", small.String())
	}
}
