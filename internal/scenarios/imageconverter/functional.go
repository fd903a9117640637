package imageconverter

import (
	"context"
	"slices"
	"strconv"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

// form is one request to /create-gif: the text fields go first, then the image parts, as upstream's
// client sends them.
type form struct {
	targetSize, delay, appendReverted string
	images                            []apptest.Part
}

func pngPart(name string, data []byte) apptest.Part {
	return apptest.Part{Field: "images", FileName: name, ContentType: "image/png", Data: data}
}

func createGIF(ctx context.Context, app *apptest.App, f form) (*apptest.Response, error) {
	parts := []apptest.Part{
		{Field: "targetSize", Data: []byte(f.targetSize)},
		{Field: "delay", Data: []byte(f.delay)},
		{Field: "appendReverted", Data: []byte(f.appendReverted)},
	}
	return app.HTTP.PostMultipart(ctx, "/create-gif", append(parts, f.images...), nil)
}

func funcConvertImageAndRevert(ctx context.Context, app *apptest.App) error {
	cases := []struct {
		size     string
		delay    int
		reverted bool
		frames   []int
	}{
		{"300x200", 23, false, []int{2}},
		{"500x500", 100, true, []int{4, 3}}, // 3: a ping-pong that does not repeat the last frame
	}
	for _, c := range cases {
		r, err := createGIF(ctx, app, form{targetSize: c.size, delay: strconv.Itoa(c.delay), appendReverted: strconv.FormatBool(c.reverted),
			images: []apptest.Part{pngPart("image.png", SmallPNG()), pngPart("frame.png", FramePNG())}})
		if err != nil {
			return err
		}
		if !r.Success() {
			return scenario.Failf("%s, delay %d: status %d, want 2xx (exchange #%d)", c.size, c.delay, r.Status, r.Seq)
		}
		if len(r.Body) <= 3 || string(r.Body[:3]) != "GIF" {
			return scenario.Failf("%s, delay %d: the answer is not a GIF (exchange #%d)", c.size, c.delay, r.Seq)
		}
		frames, err := gifFrames(r.Body)
		if err != nil {
			return scenario.Failf("%s, delay %d: the GIF cannot be read: %v (exchange #%d)", c.size, c.delay, err, r.Seq)
		}
		if !slices.Contains(c.frames, len(frames)) {
			return scenario.Failf("%s, delay %d: %d frames, want %v (exchange #%d)", c.size, c.delay, len(frames), c.frames, r.Seq)
		}
		// The delay in ms becomes GIF hundredths of a second, rounded either way.
		lo, hi := c.delay/10*10, (c.delay+9)/10*10
		for i, f := range frames {
			if !f.HasDelay {
				return scenario.Failf("%s, delay %d: frame %d has no duration (exchange #%d)", c.size, c.delay, i, r.Seq)
			}
			if d := f.DelayCS * 10; d < lo || d > hi {
				return scenario.Failf("%s, delay %d: frame %d lasts %d ms, want %d to %d (exchange #%d)", c.size, c.delay, i, d, lo, hi, r.Seq)
			}
		}
	}
	return nil
}
