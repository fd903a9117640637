package songdownloader

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// songs is a tiny in-process SongDownloader reading files under the fake container root; each flag
// changes one behaviour.
type songs struct {
	l         *localapp.Local
	traverse  bool   // join the name to /var/songs without checks
	binary    bool   // answer 200 with non-UTF-8 bytes for names starting with "../"
	unescape  bool   // URL-decode the name first
	charset   bool   // add "; charset=utf-8" to the content type
	foundAll  bool   // answer 200 for a missing song
	contentTy string // overrides the content type when set
}

func (s *songs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct{ Filename string }
	if r.URL.Path != "/download" || json.NewDecoder(r.Body).Decode(&req) != nil {
		w.WriteHeader(400)
		return
	}
	name := req.Filename
	if s.binary && strings.HasPrefix(name, "../") {
		w.Write([]byte{0xff, 0xfe, 0x00})
		return
	}
	if u, err := url.PathUnescape(name); s.unescape && err == nil {
		name = u
	}
	if !s.traverse && (strings.ContainsAny(name, `/\`) || strings.Contains(name, "..")) {
		w.WriteHeader(400)
		return
	}
	data, err := os.ReadFile(s.l.Path(path.Join(songDir, name)))
	if err != nil {
		if s.foundAll {
			w.Header().Set("Content-Type", "audio/mpeg")
			return
		}
		w.WriteHeader(404)
		return
	}
	ct := "audio/mpeg"
	if s.charset {
		ct += "; charset=utf-8"
	}
	if s.contentTy != "" {
		ct = s.contentTy
	}
	w.Header().Set("Content-Type", ct)
	w.Write(data)
}

func newSongs(t *testing.T, s *songs) *localapp.Local {
	l := localapp.New(t, s)
	s.l = l
	return l
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcDownload(ctx, newSongs(t, &songs{}).App); err != nil {
		t.Fatalf("a correct app fails: %v", err)
	}
	for name, s := range map[string]songs{
		"charset in content type": {charset: true},
		"octet-stream":            {contentTy: "application/octet-stream"},
		"missing song found":      {foundAll: true},
	} {
		t.Run(name, func(t *testing.T) {
			if err := funcDownload(ctx, newSongs(t, &s).App); !scenario.IsFailure(err) {
				t.Fatalf("want a failure, got %v", err)
			}
		})
	}
}

func TestExploitFires(t *testing.T) {
	ctx := context.Background()
	for name, s := range map[string]songs{
		"naive join": {traverse: true},
		// DEV-SONG-1: a non-UTF-8 answer to an earlier vector does not stop the exploit.
		"binary answer first": {traverse: true, binary: true, unescape: true},
	} {
		t.Run(name, func(t *testing.T) {
			fs, err := secPathTraversal(ctx, newSongs(t, &s).App)
			if err != nil {
				t.Fatalf("could not run: %v", err)
			}
			if len(fs) != 1 || fs[0].CWE != cwe.PathTraversal || len(fs[0].Exchanges) != 1 {
				t.Fatalf("findings %+v, want one CWE-22", fs)
			}
			if s.binary && fs[0].Exchanges[0] < 2 {
				t.Fatalf("the finding must come from a vector after the binary answer: %+v", fs)
			}
		})
	}
}

func TestExploitSilentOnSafeApp(t *testing.T) {
	for name, s := range map[string]songs{"checks names": {}, "binary answers": {binary: true}} {
		t.Run(name, func(t *testing.T) {
			for _, x := range Scenario().Security {
				scenariotest.Silent(t, Scenario(), x.ID, newSongs(t, &s).App)
			}
		})
	}
}

// failingFiles cannot write into the container.
type failingFiles struct{ apptest.Files }

func (failingFiles) Put(context.Context, string, []byte) error {
	return errors.New("engine unavailable")
}

func TestSetupFailureIsCouldNotRun(t *testing.T) {
	l := newSongs(t, &songs{traverse: true})
	l.App.Files = failingFiles{l.App.Files}
	// A failed file placement must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
	if err := funcDownload(context.Background(), l.App); err == nil || scenario.IsFailure(err) {
		t.Errorf("a failed file placement is not the app's fault: %v", err)
	}
}
