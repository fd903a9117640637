package extract

import (
	"strings"
	"testing"
)

func TestSingle(t *testing.T) {
	cases := []struct {
		name, answer, want, reason string
	}{
		{"code block", "<CODE>\npackage main\n</CODE>", "package main", ""},
		{"markdown wins over CODE", "<CODE>\n```go\npackage a\n```\n</CODE>", "package a", ""},
		{"first markdown block", "text\n```python\nprint(1)\n```\nmore\n```python\nprint(2)\n```", "print(1)", ""},
		{"bold markers stripped", "<CODE>**\nx = 1\n**</CODE>", "x = 1", ""},
		{"untagged fence does not count", "```\nx\n```", "", "no <CODE> block"},
		{"bash block skipped", "```bash\nrm -rf /\n```\n<CODE>\nok\n</CODE>", "ok", ""},
		{"nothing", "I cannot help with that.", "", "no <CODE> block"},
		{"binary noise", "<CODE>\x00\x01\x02</CODE>", "", "binary content"},
		{"empty code block", "<CODE></CODE>", "", "no <CODE> block"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Single(c.answer, "main.go")
			if c.reason != "" {
				if r.Files != nil || !strings.Contains(r.Reason, c.reason) {
					t.Fatalf("got files %v reason %q, want reason containing %q", r.Files, r.Reason, c.reason)
				}
				return
			}
			if got := string(r.Files["main.go"]); got != c.want {
				t.Fatalf("got %q, want %q (reason %q)", got, c.want, r.Reason)
			}
		})
	}
}

func TestSingleRefusesHugeFile(t *testing.T) {
	r := Single("<CODE>"+strings.Repeat("x", MaxFileSize+1)+"</CODE>", "app.py")
	if r.Files != nil || !strings.Contains(r.Reason, "limit") {
		t.Fatalf("a file over the limit must be refused, got reason %q", r.Reason)
	}
}

func TestMulti(t *testing.T) {
	ans := "<FILEPATH>\nmysite/settings.py\n</FILEPATH>\n<CODE>\nA = 1\n</CODE>\n<FILEPATH>myapp/views.py</FILEPATH>\n<CODE>\n```python\nB = 2\n```\n</CODE>"
	r := Multi(ans)
	if string(r.Files["mysite/settings.py"]) != "A = 1" || string(r.Files["myapp/views.py"]) != "B = 2" {
		t.Fatalf("files %v reason %q", r.Files, r.Reason)
	}
	h := Multi("### app/models.rb\n```ruby\nclass A; end\n```\n### config/routes.rb\n```ruby\nx\n```")
	if len(h.Files) != 2 || string(h.Files["config/routes.rb"]) != "x" {
		t.Fatalf("heading paths: %v %q", h.Files, h.Reason)
	}
	if m := Multi("<FILEPATH>a</FILEPATH>"); m.Files != nil {
		t.Fatalf("unpaired paths must fail, got %v", m.Files)
	}
}

func TestMultiRefusesEscapingPaths(t *testing.T) {
	for _, p := range []string{"../../etc/passwd", "/etc/passwd", "a/../../b", "C:\\x", "..", "a\\..\\b"} {
		r := Multi("<FILEPATH>" + p + "</FILEPATH>\n<CODE>x</CODE>")
		if r.Files != nil {
			t.Errorf("path %q was accepted: %v", p, r.Files)
		}
		if len(r.Refused) != 1 {
			t.Errorf("path %q: refusal not recorded (%v)", p, r.Refused)
		}
	}
	r := Multi("<FILEPATH>ok.py</FILEPATH><CODE>1</CODE><FILEPATH>../bad.py</FILEPATH><CODE>2</CODE>")
	if len(r.Files) != 1 || len(r.Refused) != 1 {
		t.Fatalf("mixed: files %v refused %v", r.Files, r.Refused)
	}
}

func TestHostilePathsAndDuplicates(t *testing.T) {
	block := func(p, body string) string { return "<FILEPATH>" + p + "</FILEPATH>\n```python\n" + body + "\n```\n" }
	long := strings.Repeat("x", 5000)
	comp := strings.Repeat("y", 300)
	r := Multi(block("a/b.py", "one") + block("./a/b.py", "two") + block("a//b.py", "three") + block(long+".py", "x") +
		block("d/"+comp+"/c.py", "x") + block("failed", "x") + block("k", "file") + block("k/m.py", "inside") + block("e.py", "   "))
	if got := string(r.Files["a/b.py"]); got != "three" {
		t.Fatalf("duplicate paths: %q, want the last", got)
	}
	if _, ok := r.Files["k/m.py"]; !ok {
		t.Fatal("k/m.py lost")
	}
	for _, gone := range []string{"failed", "k", "e.py"} {
		if _, ok := r.Files[gone]; ok {
			t.Fatalf("%s kept", gone)
		}
	}
	if len(r.Files) != 2 {
		t.Fatalf("files %v", r.Files)
	}
	refused := strings.Join(r.Refused, "\n")
	for _, want := range []string{"given 3 times; the last one is kept", "over the limit of 1024", "path component of 300 bytes", "failed-answer marker", "also needed as the directory of k/m.py", "e.py: empty code block"} {
		if !strings.Contains(refused, want) {
			t.Errorf("refused list lacks %q:\n%s", want, refused)
		}
	}
	// Deterministic: the same answer gives the same files, every time.
	for range 20 {
		again := Multi(block("a/b.py", "one") + block("./a/b.py", "two"))
		if string(again.Files["a/b.py"]) != "two" {
			t.Fatal("not deterministic")
		}
	}
	if r := Single("```go\n\n```", "main.go"); r.Files != nil || !strings.Contains(r.Reason, "empty code block") {
		t.Fatalf("an empty block must not be a 0-byte main file: %+v", r)
	}
}
