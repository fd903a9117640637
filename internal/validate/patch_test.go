package validate

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestApplyPatchMatchesDiff(t *testing.T) {
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("no diff")
	}
	cases := []struct{ a, b string }{
		{"a\nb\nc\n", "a\nB\nc\n"},
		{"a\nb\nc\n", "x\na\nb\nc\ny\n"},
		{"a\nb\nc", "a\nb\nc\n"},
		{"a\nb\nc\n", "a\nb\nc"},
		{"", "new\n"},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2x\n3\n4\n5\n6\n7\n8\n9\n10\n11x\n12\n"},
		{"keep\ndrop\n", "keep\n"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
		os.WriteFile(a, []byte(c.a), 0o644)
		os.WriteFile(b, []byte(c.b), 0o644)
		patch, _ := exec.Command("diff", "-u", a, b).Output() // exit 1: files differ
		got, err := ApplyPatch([]byte(c.a), patch)
		if err != nil {
			t.Fatalf("case %d: %v\n%s", i, err, patch)
		}
		if string(got) != c.b {
			t.Fatalf("case %d: got %q, want %q", i, got, c.b)
		}
	}
}

func TestApplyPatchRefusesAChangedReference(t *testing.T) {
	patch := []byte("--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n")
	if _, err := ApplyPatch([]byte("a\nchanged\nc\n"), patch); err == nil {
		t.Fatal("a patch must not apply to a reference it was not made from")
	}
}
