package report

import (
	"strings"
	"testing"
)

func TestClipMiddle(t *testing.T) {
	s := "FIRST ERROR\n" + strings.Repeat("x", 10000) + "\nLAST WORDS"
	c := clipMiddle(s, 400)
	if !strings.HasPrefix(c, "FIRST ERROR") || !strings.HasSuffix(c, "LAST WORDS") || len(c) > 450 {
		t.Fatalf("%q", c)
	}
	if clipMiddle("short", 400) != "short" {
		t.Fatal("short text changed")
	}
}
