// Package progress shows how far long commands are: per stage counts, rate and ETA, as live bars on a
// terminal and as plain log lines otherwise. Workers only count; one renderer owns the output.
package progress

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Stage counts the items of one stage.
type Stage struct {
	Name    string
	total   int64
	done    atomic.Int64
	failed  atomic.Int64
	started time.Time
	bar     *mpb.Bar
}

// Done counts one finished item; failed marks one that could not be processed.
func (s *Stage) Done(failed bool) {
	s.done.Add(1)
	if failed {
		s.failed.Add(1)
	}
	if s.bar != nil {
		s.bar.Increment()
	}
}

// Counts returns done, failed and total.
func (s *Stage) Counts() (done, failed, total int64) {
	return s.done.Load(), s.failed.Load(), s.total
}

// Line renders the stage as one plain line: counts, rate and ETA.
func (s *Stage) Line(now time.Time) string {
	done, failed, total := s.Counts()
	el := now.Sub(s.started)
	line := fmt.Sprintf("%s %d/%d", s.Name, done, total)
	if failed > 0 {
		line += fmt.Sprintf(" (%d could not run)", failed)
	}
	if done > 0 && el > 0 {
		rate := float64(done) / el.Minutes()
		line += fmt.Sprintf(", %.1f/min", rate)
		if done < total {
			eta := time.Duration(float64(el) / float64(done) * float64(total-done))
			line += ", ETA " + eta.Round(time.Second).String()
		}
	}
	return line
}

// Tracker owns the stages of one command and their rendering.
type Tracker struct {
	mu      sync.Mutex
	stages  []*Stage
	bars    *mpb.Progress // nil off a terminal
	log     *slog.Logger
	every   time.Duration
	stop    chan struct{}
	stopped sync.WaitGroup
}

// New returns a tracker writing to w: live bars when tty, otherwise a log line per stage every
// `every` (and at the end). Logs written through Writer() appear above the bars.
func New(ctx context.Context, w io.Writer, tty bool, log *slog.Logger, every time.Duration) *Tracker {
	t := &Tracker{log: log, every: every, stop: make(chan struct{})}
	if tty {
		t.bars = mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithRefreshRate(100*time.Millisecond), mpb.WithWidth(40))
	} else if every > 0 {
		t.stopped.Add(1)
		go t.heartbeat()
	}
	return t
}

// Writer is where logs go so they do not tear the bars: above them on a terminal, else straight through.
func (t *Tracker) Writer(fallback io.Writer) io.Writer {
	if t.bars != nil {
		return t.bars
	}
	return fallback
}

// Stage adds a stage with a known total.
func (t *Tracker) Stage(name string, total int) *Stage {
	s := &Stage{Name: name, total: int64(total), started: time.Now()}
	if t.bars != nil {
		s.bar = t.bars.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(name, decor.WC{C: decor.DindentRight | decor.DextraSpace}), decor.CountersNoUnit("%d/%d")),
			mpb.AppendDecorators(decor.Percentage(decor.WC{W: 5}), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
		)
	}
	t.mu.Lock()
	t.stages = append(t.stages, s)
	t.mu.Unlock()
	return s
}

func (t *Tracker) heartbeat() {
	defer t.stopped.Done()
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	for {
		select {
		case <-t.stop:
			return
		case now := <-tick.C:
			t.logLines(now)
		}
	}
}

func (t *Tracker) logLines(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.stages {
		if d, _, total := s.Counts(); d < total {
			t.log.Info("progress", "stage", s.Name, "status", s.Line(now))
		}
	}
}

// Close stops rendering; stages not finished are abandoned (an interrupted run) and a final line per
// stage is logged.
func (t *Tracker) Close() {
	close(t.stop)
	t.stopped.Wait()
	if t.bars != nil {
		t.mu.Lock()
		for _, s := range t.stages {
			if s.bar != nil && !s.bar.Completed() {
				s.bar.Abort(false)
			}
		}
		t.mu.Unlock()
		t.bars.Wait()
	}
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, s := range t.stages {
		t.log.Info("finished", "stage", s.Name, "status", s.Line(now), "duration_ms", now.Sub(s.started).Milliseconds())
	}
}
