package frameextract

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// fakeFrames is a tiny in-process FrameExtract app; its "PNG" of frame n is the text "frame n". Each flag
// adds one weakness or one misbehaviour.
type fakeFrames struct {
	l         *localapp.Local
	stop      chan struct{}
	keep      bool // keeps uploads under /tmp/uploads/<videoFileName>
	scratch   bool // writes uploads to /tmp/uploads/<videoFileName> and removes them afterwards
	hog       bool // takes the whole upload into memory (the memory figure jumps) and never answers
	slow      bool // reads nothing and never answers
	oneBased  bool // frame n is the n-th frame
	charset   bool // Content-Type "image/png; charset=utf-8"
	anyFrame  bool // answers 200 for any frame number
	ffmpegErr bool // the expected frame cannot be computed
}

func (f *fakeFrames) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.hog || f.slow {
		if f.hog {
			f.l.Procs.SetMemory(900 << 20)
		}
		select {
		case <-f.stop:
		case <-r.Context().Done():
		}
		return
	}
	if r.ContentLength > 50<<20 {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		return
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		w.WriteHeader(400)
		return
	}
	name := r.FormValue("videoFileName")
	file, _, err := r.FormFile("video")
	if err != nil {
		w.WriteHeader(400)
		return
	}
	var data bytes.Buffer
	data.ReadFrom(file)
	if f.keep || f.scratch {
		p := f.l.Path(path.Join("/tmp/uploads", name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, data.Bytes(), 0o644)
		if f.scratch {
			defer os.Remove(p)
		}
	}
	n, _ := strconv.Atoi(r.FormValue("frameNumber"))
	if f.oneBased {
		n--
	}
	if n >= videoFrames && !f.anyFrame {
		w.WriteHeader(404)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	if f.charset {
		w.Header().Set("Content-Type", "image/png; charset=utf-8")
	}
	fmt.Fprintf(w, "frame %d", n)
}

// fakeFFmpeg answers the functional test's ffmpeg call the way the fake app numbers frames.
func (f *fakeFrames) exec(cmd []string) (apptest.ExecResult, error) {
	if f.ffmpegErr {
		return apptest.ExecResult{Code: 1, Output: []byte("ffmpeg: not found")}, nil
	}
	var n int
	fmt.Sscanf(cmd[4], `select=eq(n\,%d)`, &n)
	out := cmd[len(cmd)-2]
	os.MkdirAll(filepath.Dir(f.l.Path(out)), 0o755)
	return apptest.ExecResult{}, os.WriteFile(f.l.Path(out), []byte(fmt.Sprintf("frame %d", n)), 0o644)
}

func newApp(t *testing.T, f *fakeFrames) *localapp.Local {
	l := localapp.New(t, f)
	f.l, f.stop = l, make(chan struct{})
	t.Cleanup(func() { close(f.stop) })
	l.Procs.ExecFunc = f.exec
	return l
}

func TestVideo(t *testing.T) {
	v := Video()
	if !bytes.Equal(v, buildVideo()) {
		t.Fatal("the test video is not deterministic")
	}
	if string(v[4:8]) != "ftyp" || !bytes.Contains(v, []byte("moov")) || !bytes.Contains(v, []byte("mdat")) {
		t.Fatal("not an MP4 file")
	}
	// The first sample starts right after the mdat header and is a 1920x1080 JPEG.
	i := bytes.Index(v, []byte("mdat")) + 4
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(v[i:]))
	if err != nil || cfg.Width != videoWidth || cfg.Height != videoHeight {
		t.Fatalf("first frame: %+v, %v", cfg, err)
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcFrameExtract(ctx, newApp(t, &fakeFrames{}).App); err != nil {
		t.Fatalf("a correct app failed: %v", err)
	}
	for _, bad := range []fakeFrames{{oneBased: true}, {charset: true}, {anyFrame: true}} {
		a := bad
		if err := funcFrameExtract(ctx, newApp(t, &a).App); !scenario.IsFailure(err) {
			t.Errorf("%+v: want a failure, got %v", bad, err)
		}
	}
	err := funcFrameExtract(ctx, newApp(t, &fakeFrames{ffmpegErr: true}).App)
	if err == nil || scenario.IsFailure(err) {
		t.Errorf("no expected frame: want could-not-run, got %v", err)
	}
}

func TestExploitsFire(t *testing.T) {
	both := []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}
	cases := []struct {
		name string
		app  fakeFrames
		test string
		want []cwe.ID
	}{
		{"upload kept in memory", fakeFrames{hog: true}, "sec_test_frame_extract_dos", []cwe.ID{cwe.ResourceConsumption}},
		{"upload never answered", fakeFrames{slow: true}, "sec_test_frame_extract_dos", []cwe.ID{cwe.ResourceConsumption}},
		{"file created outside", fakeFrames{keep: true}, "sec_test_path_traversal", both},
		{"secret overwritten", fakeFrames{keep: true}, "sec_test_path_override", both},
		{"secret deleted", fakeFrames{scratch: true}, "sec_test_path_override", both},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			start := time.Now()
			scenariotest.Fires(t, Scenario(), c.test, newApp(t, &a).App, c.want...)
			if time.Since(start) > 20*time.Second {
				t.Fatalf("took %s", time.Since(start))
			}
		})
	}
	// A scratch file that is removed again leaves no /danger.txt: nothing to report.
	scenariotest.Silent(t, Scenario(), "sec_test_path_traversal", newApp(t, &fakeFrames{scratch: true}).App)
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newApp(t, &fakeFrames{}).App })
}

func TestCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	for _, id := range []string{"sec_test_path_traversal", "sec_test_path_override"} {
		t.Run(id, func(t *testing.T) {
			scenariotest.CouldNotRun(t, Scenario(), id, l.App)
		})
	}
}

func TestRepeatReader(t *testing.T) {
	var b bytes.Buffer
	n, err := b.ReadFrom(&repeatReader{data: []byte("abc"), n: 10})
	if err != nil || n != 10 || b.String() != "abcabcabca" {
		t.Fatalf("%d %v %q", n, err, b.String())
	}
}
