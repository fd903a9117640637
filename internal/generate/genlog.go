package generate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// GenLogFile is upstream's per-task generation log, in the task's configuration directory.
const GenLogFile = "gen.log"

// genLog writes upstream's gen.log: "<LEVEL> <YYYY-MM-DD HH:MM:SS,mmm> <message>" records, appended run
// after run (upstream re-writes the prior log at the top of the new one; appending keeps the same
// content in the same order). It is informational: the records in each sample are the data.
type genLog struct {
	mu  sync.Mutex
	f   *os.File
	now func() time.Time
}

func openGenLog(dir string, truncate bool, now func() time.Time) (*genLog, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if truncate {
		flags |= os.O_TRUNC
	}
	f, err := os.OpenFile(filepath.Join(dir, GenLogFile), flags, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", GenLogFile, err)
	}
	return &genLog{f: f, now: now}, nil
}

func (l *genLog) printf(level, format string, args ...any) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.now()
	stamp := t.Format("2006-01-02 15:04:05") + fmt.Sprintf(",%03d", t.Nanosecond()/1e6)
	fmt.Fprintf(l.f, "%s %s %s\n", level, stamp, strings.TrimRight(fmt.Sprintf(format, args...), "\n"))
}

func (l *genLog) close() {
	if l != nil {
		l.f.Close()
	}
}
