package evidence

import (
	"os/exec"
	"strings"
	"testing"
)

func TestCurlReplaysTheRequest(t *testing.T) {
	e := Exchange{Method: "POST", URL: "http://172.18.0.2:5000/files/..%2Fsecret.txt?q='x'",
		ReqHeaders: map[string]string{"Content-Type": "application/json", "Content-Length": "9", "User-Agent": "x"},
		ReqBody:    NewBody([]byte(`{"a":"'"}`), -1)}
	c := e.Curl()
	for _, want := range []string{"-X 'POST'", "-H 'Content-Type: application/json'", `--data-binary '{"a":"'\''"}'`, `"${APP:-http://localhost:5000}"'/files/..%2Fsecret.txt?q='\''x'\'''`} {
		if !strings.Contains(c, want) {
			t.Errorf("curl line %q lacks %q", c, want)
		}
	}
	if strings.Contains(c, "Content-Length") || strings.Contains(c, "172.18.0.2") {
		t.Errorf("curl line %q keeps the run's address or a computed header", c)
	}
	// The line is valid shell: sh parses it (with curl replaced by a printer of its arguments).
	if sh, err := exec.LookPath("sh"); err == nil {
		out, err := exec.Command(sh, "-c", "curl() { printf '%s\\n' \"$@\"; }; "+c).Output()
		if err != nil {
			t.Fatalf("sh could not run %q: %v", c, err)
		}
		if !strings.Contains(string(out), "http://localhost:5000/files/..%2Fsecret.txt?q='x'") || !strings.Contains(string(out), `{"a":"'"}`) {
			t.Fatalf("arguments after shell parsing: %s", out)
		}
	}
}

func TestBodyCapKeepsSizeAndHash(t *testing.T) {
	big := strings.Repeat("a", BodyCap+10)
	b := NewBody([]byte(big), -1)
	if !b.Truncated || b.Size != int64(len(big)) || len(b.Text) != BodyCap || b.SHA256 == "" {
		t.Fatalf("%+v", b.Size)
	}
	bin := NewBody([]byte{0xff, 0xfe, 0}, -1)
	if bin.Base64 == "" || bin.Text != "" {
		t.Fatalf("binary body: %+v", bin)
	}
}
