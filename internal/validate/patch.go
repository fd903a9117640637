package validate

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// PatchSuffix marks a flawed variant's file that is a unified diff against the reference file of the
// same name (without the suffix), so the weakness reads as a diff and the reference is stored once.
const PatchSuffix = ".patch"

// splitLines splits b into lines that keep their "\n" (the last may lack it).
func splitLines(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			out = append(out, string(b))
			break
		}
		out = append(out, string(b[:i+1]))
		b = b[i+1:]
	}
	return out
}

// ApplyPatch applies a unified diff (as `diff -u` writes it) to orig. Every hunk must match exactly
// where it says: a reference that changed under a patch is an error, never a silent misapplication.
func ApplyPatch(orig, patch []byte) ([]byte, error) {
	src := splitLines(orig)
	lines := splitLines(patch)
	var out strings.Builder
	pos := 0 // next line of src to copy
	i := 0
	for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
		i++ // headers (---, +++)
	}
	if i == len(lines) {
		return nil, fmt.Errorf("patch has no hunk")
	}
	for i < len(lines) {
		h := lines[i]
		if !strings.HasPrefix(h, "@@ -") {
			return nil, fmt.Errorf("patch line %d: expected a hunk header, got %q", i+1, strings.TrimSpace(h))
		}
		oldStart, err := hunkStart(h)
		if err != nil {
			return nil, fmt.Errorf("patch line %d: %w", i+1, err)
		}
		// Copy the untouched lines before the hunk. A zero-length old range starts after oldStart.
		target := oldStart - 1
		if target < pos || target > len(src) {
			return nil, fmt.Errorf("patch line %d: hunk at line %d is out of order or past the end", i+1, oldStart)
		}
		for ; pos < target; pos++ {
			out.WriteString(src[pos])
		}
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			text := l[1:]
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], `\ No newline at end of file`) {
				text = strings.TrimSuffix(text, "\n")
			}
			switch l[0] {
			case ' ', '-':
				if pos >= len(src) || src[pos] != text {
					return nil, fmt.Errorf("patch line %d does not match the reference at line %d", i+1, pos+1)
				}
				if l[0] == ' ' {
					out.WriteString(text)
				}
				pos++
			case '+':
				out.WriteString(text)
			case '\\':
				// the "no newline" marker, handled with the line before it
			default:
				return nil, fmt.Errorf("patch line %d: unexpected %q", i+1, strings.TrimSpace(l))
			}
			i++
		}
	}
	for ; pos < len(src); pos++ {
		out.WriteString(src[pos])
	}
	return []byte(out.String()), nil
}

// hunkStart reads the old start line of "@@ -l[,s] +l[,s] @@"; a zero-length range names the line
// after which the hunk goes, so it is returned plus one.
func hunkStart(h string) (int, error) {
	f := strings.Fields(h)
	if len(f) < 3 || !strings.HasPrefix(f[1], "-") {
		return 0, fmt.Errorf("bad hunk header %q", strings.TrimSpace(h))
	}
	start, size, _ := strings.Cut(f[1][1:], ",")
	n, err := strconv.Atoi(start)
	if err != nil {
		return 0, fmt.Errorf("bad hunk header %q", strings.TrimSpace(h))
	}
	if size == "0" {
		n++
	}
	return n, nil
}
