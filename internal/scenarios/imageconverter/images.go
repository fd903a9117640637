package imageconverter

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync"
)

// DEV-IMGCONV-2: upstream uploads a 100x100 palette PNG embedded in its test source and a 1920x1080 RGB
// PNG fixture (frame.png). We draw images of the same sizes and colour models here, deterministically.

var (
	imagesOnce sync.Once
	smallPNG   []byte // 100x100, 8-bit palette (colour type 3)
	framePNG   []byte // 1920x1080, 8-bit RGB (colour type 2)
)

func encodePNG(m image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		panic(err) // encoding into memory cannot fail
	}
	return b.Bytes()
}

func buildImages() {
	pal := color.Palette{}
	for i := 0; i < 16; i++ {
		pal = append(pal, color.RGBA{R: uint8(i * 16), G: uint8(255 - i*16), B: uint8(i * 8), A: 255})
	}
	small := image.NewPaletted(image.Rect(0, 0, 100, 100), pal)
	for y := 0; y < 100; y++ {
		for x := 0; x < 100; x++ {
			small.SetColorIndex(x, y, uint8((x/10+y/10)%16))
		}
	}
	smallPNG = encodePNG(small)
	frame := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	for y := 0; y < 1080; y++ {
		for x := 0; x < 1920; x++ {
			frame.SetRGBA(x, y, color.RGBA{R: uint8(x / 8), G: uint8(y / 5), B: uint8((x + y) / 12), A: 255})
		}
	}
	framePNG = encodePNG(frame)
}

// SmallPNG is the 100x100 palette image (upstream's inline image.png).
func SmallPNG() []byte {
	imagesOnce.Do(buildImages)
	return smallPNG
}

// FramePNG is the 1920x1080 RGB image (upstream's frame.png).
func FramePNG() []byte {
	imagesOnce.Do(buildImages)
	return framePNG
}

// gifFrame is one image of a GIF and the delay that applies to it.
type gifFrame struct {
	DelayCS  int  // hundredths of a second
	HasDelay bool // a graphic control extension preceded it
}

// gifFrames walks a GIF's blocks without decoding pixels and lists its frames with their delays, as
// Pillow reports them: a frame's duration comes from the last graphic control extension before it.
// It is lenient where Go's image/gif is strict (frames larger than the logical screen).
func gifFrames(b []byte) ([]gifFrame, error) {
	if len(b) < 13 || (string(b[:6]) != "GIF87a" && string(b[:6]) != "GIF89a") {
		return nil, errors.New("not a GIF file")
	}
	pos := 13
	if b[10]&0x80 != 0 {
		pos += 3 << (int(b[10]&7) + 1)
	}
	skipSubBlocks := func() error {
		for {
			if pos >= len(b) {
				return errors.New("truncated data sub-blocks")
			}
			n := int(b[pos])
			pos += 1 + n
			if n == 0 {
				return nil
			}
		}
	}
	var frames []gifFrame
	delay, has := 0, false
	for {
		if pos >= len(b) {
			return frames, errors.New("no trailer")
		}
		switch b[pos] {
		case 0x3b:
			return frames, nil
		case 0x21:
			if pos+2 > len(b) {
				return frames, errors.New("truncated extension")
			}
			label := b[pos+1]
			pos += 2
			if label == 0xf9 && pos+5 < len(b) && b[pos] >= 4 {
				delay, has = int(binary.LittleEndian.Uint16(b[pos+2:])), true
			}
			if err := skipSubBlocks(); err != nil {
				return frames, err
			}
		case 0x2c:
			if pos+10 > len(b) {
				return frames, errors.New("truncated image descriptor")
			}
			flags := b[pos+9]
			pos += 10
			if flags&0x80 != 0 {
				pos += 3 << (int(flags&7) + 1)
			}
			pos++ // LZW minimum code size
			if err := skipSubBlocks(); err != nil {
				return frames, err
			}
			frames = append(frames, gifFrame{DelayCS: delay, HasDelay: has})
		default:
			return frames, fmt.Errorf("unknown block 0x%02x at offset %d", b[pos], pos)
		}
	}
}
