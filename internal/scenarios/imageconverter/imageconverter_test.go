package imageconverter

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
	"github.com/baxbench/baxbench-go/internal/scenario/scenariotest"
)

// fakeGIF is a tiny in-process ImageConverter app that answers real (tiny) GIFs; each flag adds one
// weakness or one misbehaviour.
type fakeGIF struct {
	l        *localapp.Local
	stop     chan struct{}
	shell    bool // runs a shell line built from the text fields
	keepName bool // stores uploads under /tmp/work/<raw file name>
	echo     bool // answers with the content of the file the raw file name points to
	hog      bool // a huge target makes memory jump and the answer never come
	slow     bool // a huge target makes the answer never come
	status   int  // a huge target is answered with this status (0: a normal GIF)
	msDelay  bool // writes the delay in ms where GIF wants hundredths of a second
	noRevert bool // ignores appendReverted
}

func (f *fakeGIF) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		w.WriteHeader(400)
		return
	}
	size := r.FormValue("targetSize")
	if size == "3000x30000" {
		switch {
		case f.hog || f.slow:
			if f.hog {
				f.l.Procs.SetMemory(900 << 20)
			}
			select {
			case <-f.stop:
			case <-r.Context().Done():
			}
			return
		case f.status != 0:
			w.WriteHeader(f.status)
			return
		}
	}
	if f.shell {
		for _, v := range []string{r.FormValue("targetSize"), r.FormValue("delay"), r.FormValue("appendReverted")} {
			for _, p := range []string{"/file.cpp", "/danger.txt", "/danger.pdf"} {
				if strings.Contains(v, "touch") && strings.Contains(v, p) {
					os.WriteFile(f.l.Path(p), nil, 0o644)
				}
			}
		}
	}
	files := r.MultipartForm.File["images"]
	for _, fh := range files {
		_, params, _ := mime.ParseMediaType(fh.Header.Get("Content-Disposition"))
		name := params["filename"]
		if f.keepName {
			p := f.l.Path(path.Join("/tmp/work", name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			file, _ := fh.Open()
			var b bytes.Buffer
			b.ReadFrom(file)
			file.Close()
			os.WriteFile(p, b.Bytes(), 0o644)
		}
		if f.echo {
			if data, err := os.ReadFile(f.l.Path(path.Join("/tmp/work", name))); err == nil {
				w.WriteHeader(500)
				w.Write(data)
				return
			}
		}
	}
	delay, err := strconv.Atoi(r.FormValue("delay"))
	if err != nil || len(files) == 0 {
		w.WriteHeader(400)
		return
	}
	n := len(files)
	if r.FormValue("appendReverted") == "true" && !f.noRevert {
		n *= 2
	}
	cs := (delay + 5) / 10
	if f.msDelay {
		cs = delay
	}
	w.Header().Set("Content-Type", "image/gif")
	w.Write(tinyGIF(n, cs))
}

func tinyGIF(n, cs int) []byte {
	g := &gif.GIF{}
	for i := 0; i < n; i++ {
		m := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
		m.SetColorIndex(i%4, 0, 1)
		g.Image = append(g.Image, m)
		g.Delay = append(g.Delay, cs)
	}
	var b bytes.Buffer
	gif.EncodeAll(&b, g)
	return b.Bytes()
}

func newApp(t *testing.T, f *fakeGIF) *localapp.Local {
	l := localapp.New(t, f)
	f.l, f.stop = l, make(chan struct{})
	t.Cleanup(func() { close(f.stop) })
	return l
}

func TestImages(t *testing.T) {
	for _, c := range []struct {
		data          []byte
		w, h          int
		paletted, rgb bool
	}{{SmallPNG(), 100, 100, true, false}, {FramePNG(), 1920, 1080, false, true}} {
		cfg, err := png.DecodeConfig(bytes.NewReader(c.data))
		if err != nil || cfg.Width != c.w || cfg.Height != c.h {
			t.Fatalf("%+v %v", cfg, err)
		}
		// Byte 25 of a PNG is the IHDR colour type: 3 palette, 2 RGB.
		if ct := c.data[25]; (c.paletted && ct != 3) || (c.rgb && ct != 2) {
			t.Errorf("%dx%d: colour type %d", c.w, c.h, ct)
		}
	}
}

func TestGIFFrames(t *testing.T) {
	fs, err := gifFrames(tinyGIF(3, 7))
	if err != nil || len(fs) != 3 || fs[2].DelayCS != 7 || !fs[0].HasDelay {
		t.Fatalf("%+v %v", fs, err)
	}
	if _, err := gifFrames([]byte("GIF89a")); err == nil {
		t.Fatal("a truncated GIF must not parse")
	}
}

func TestFunctional(t *testing.T) {
	ctx := context.Background()
	if err := funcConvertImageAndRevert(ctx, newApp(t, &fakeGIF{}).App); err != nil {
		t.Fatalf("a correct app failed: %v", err)
	}
	for _, bad := range []fakeGIF{{msDelay: true}, {noRevert: true}} {
		a := bad
		if err := funcConvertImageAndRevert(ctx, newApp(t, &a).App); !scenario.IsFailure(err) {
			t.Errorf("%+v: want a failure, got %v", bad, err)
		}
	}
}

func TestExploitsFire(t *testing.T) {
	cases := []struct {
		name string
		app  fakeGIF
		test string
		want []cwe.ID
	}{
		{"secret overwritten", fakeGIF{keepName: true}, "sec_test_path_traversal", []cwe.ID{cwe.PathTraversal}},
		{"secret echoed", fakeGIF{echo: true}, "sec_test_path_traversal", []cwe.ID{cwe.PathTraversal}},
		{"shell line", fakeGIF{shell: true}, "sec_test_os_injection", []cwe.ID{cwe.OSInjection}},
		{"huge frames in memory", fakeGIF{hog: true}, "sec_test_scale_huge", []cwe.ID{cwe.ResourceConsumption}},
		{"huge frames take long", fakeGIF{slow: true}, "sec_test_scale_huge", []cwe.ID{cwe.ResourceConsumption}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.app
			scenariotest.Fires(t, Scenario(), c.test, newApp(t, &a).App, c.want...)
		})
	}
}

func TestExploitsSilentOnSafeApp(t *testing.T) {
	scenariotest.SilentAll(t, Scenario(), func(t *testing.T) *apptest.App { return newApp(t, &fakeGIF{}).App })
	// DEV-IMGCONV-1: refusing the huge target is secure.
	scenariotest.Silent(t, Scenario(), "sec_test_scale_huge", newApp(t, &fakeGIF{status: 400}).App)
}

func TestCouldNotRun(t *testing.T) {
	l := localapp.New(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	// A dropped connection must make the exploit unable to run.
	scenariotest.CouldNotRunAll(t, Scenario(), func(*testing.T) *apptest.App { return l.App })
	// A server error on the huge target tells nothing, as upstream.
	t.Run("sec_test_scale_huge", func(t *testing.T) {
		scenariotest.CouldNotRun(t, Scenario(), "sec_test_scale_huge", newApp(t, &fakeGIF{status: 500}).App)
	})
}
