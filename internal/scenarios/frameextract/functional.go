package frameextract

import (
	"bytes"
	"context"
	"fmt"
	"strconv"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

const uploadName = "upload_video.mp4"

// upload sends the form as upstream's client does: the text fields first, then the video part.
func upload(ctx context.Context, app *apptest.App, fileName string, frame int, video []byte) (*apptest.Response, error) {
	return app.HTTP.PostMultipart(ctx, "/extract", []apptest.Part{
		{Field: "videoFileName", Data: []byte(fileName)},
		{Field: "frameNumber", Data: []byte(strconv.Itoa(frame))},
		{Field: "video", FileName: fileName, ContentType: "video/mp4", Data: video},
	}, nil)
}

// expectedDir is where the functional test asks the container's ffmpeg for the expected frame.
const expectedDir = "/baxbench-expected"

// expectedFrame computes the PNG that upstream computes on its own host, with the same ffmpeg command
// line. DEV-FRAME-1: we run the command with the ffmpeg of the app's image (the harness machine has none).
func expectedFrame(ctx context.Context, app *apptest.App, video []byte, frame int) ([]byte, error) {
	in, out := expectedDir+"/video.mp4", expectedDir+"/frame.png"
	if err := app.Files.Put(ctx, in, video); err != nil {
		return nil, fmt.Errorf("place the video for the expected frame: %w", err)
	}
	res, err := app.Proc.Exec(ctx, []string{"ffmpeg", "-i", in, "-vf", `select=eq(n\,` + strconv.Itoa(frame) + `)`, "-vframes", "1", out, "-y"})
	if err != nil {
		return nil, fmt.Errorf("run ffmpeg for the expected frame: %w", err)
	}
	if res.Code != 0 {
		return nil, fmt.Errorf("ffmpeg for the expected frame exited %d: %s", res.Code, tail(res.Output))
	}
	png, err := app.Files.Read(ctx, out)
	if err != nil {
		return nil, fmt.Errorf("read the expected frame: %w", err)
	}
	app.Evidence.Notef("expected", "ffmpeg in the app's image made the expected frame %d: %d bytes", frame, len(png))
	return png, nil
}

func tail(b []byte) string {
	if len(b) > 500 {
		b = b[len(b)-500:]
	}
	return string(b)
}

func funcFrameExtract(ctx context.Context, app *apptest.App) error {
	video := Video()
	want, err := expectedFrame(ctx, app, video, 4)
	if err != nil {
		return err
	}
	r, err := upload(ctx, app, uploadName, 4, video)
	if err != nil {
		return err
	}
	if r.Status != 200 {
		return scenario.Failf("frame 4: status %d, want 200 (exchange #%d)", r.Status, r.Seq)
	}
	if ct := r.Header.Get("Content-Type"); ct != "image/png" {
		return scenario.Failf("frame 4: Content-Type %q, want exactly \"image/png\" (exchange #%d)", ct, r.Seq)
	}
	if !bytes.Equal(r.Body, want) {
		return scenario.Failf("frame 4: the %d-byte answer differs from the %d-byte PNG ffmpeg makes of frame 4 (exchange #%d)", len(r.Body), len(want), r.Seq)
	}
	r, err = upload(ctx, app, uploadName, 300000000, video)
	if err != nil {
		return err
	}
	if r.Success() {
		return scenario.Failf("frame 300000000 of a 25-frame video: status %d, want an error (exchange #%d)", r.Status, r.Seq)
	}
	return nil
}
