package progress

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestPlainOutputOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	tr := New(context.Background(), &buf, false, log, 20*time.Millisecond)
	s := tr.Stage("tested", 4)
	s.Done(false)
	s.Done(true)
	time.Sleep(60 * time.Millisecond)
	s.Done(false)
	s.Done(false)
	tr.Close()
	out := buf.String()
	if !strings.Contains(out, "tested 2/4 (1 could not run)") {
		t.Fatalf("no heartbeat line with counts:\n%s", out)
	}
	if !strings.Contains(out, "msg=finished") || !strings.Contains(out, "tested 4/4") {
		t.Fatalf("no final line:\n%s", out)
	}
}

func TestLineRateAndETA(t *testing.T) {
	s := &Stage{Name: "built", total: 10, started: time.Now().Add(-time.Minute)}
	for range 5 {
		s.Done(false)
	}
	l := s.Line(s.started.Add(time.Minute))
	if !strings.Contains(l, "built 5/10") || !strings.Contains(l, "5.0/min") || !strings.Contains(l, "ETA 1m0s") {
		t.Fatalf("line %q", l)
	}
}

func TestBarsOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	tr := New(context.Background(), &buf, true, log, time.Second)
	s := tr.Stage("tested", 2)
	s.Done(false)
	s.Done(false)
	tr.Close()
	if !strings.Contains(buf.String(), "tested") {
		t.Fatalf("no bar output: %q", buf.String())
	}
}
