package frameextract

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"sync"
)

// The test video stands in for upstream's video.mp4 (DEV-FRAME-2): an MP4 file with one 1920x1080 video
// track of 25 frames at 25 fps (timescale 12800, 512 ticks a frame, 1 s), built here deterministically.
// Its frames are Motion-JPEG (sample entry "jpeg"), which Go can encode and ffmpeg decodes; each frame
// shows a gradient with a square at a position that depends on the frame index, so every frame differs.
const (
	videoWidth  = 1920
	videoHeight = 1080
	videoFrames = 25
	frameTicks  = 512
	timescale   = 12800
)

var (
	videoOnce sync.Once
	videoData []byte
)

// Video returns the test video's bytes (built once).
func Video() []byte {
	videoOnce.Do(func() { videoData = buildVideo() })
	return videoData
}

func renderFrame(n int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, videoWidth, videoHeight))
	for y := 0; y < videoHeight; y++ {
		for x := 0; x < videoWidth; x++ {
			img.SetRGBA(x, y, color.RGBA{R: uint8(x * 255 / videoWidth), G: uint8(y * 255 / videoHeight), B: uint8(n * 10), A: 255})
		}
	}
	x0, y0 := 60+n*70, 100+n*30
	for y := y0; y < y0+200; y++ {
		for x := x0; x < x0+200; x++ {
			img.SetRGBA(x, y, color.RGBA{R: 255, G: 255, B: 255, A: 255})
		}
	}
	return img
}

func box(typ string, parts ...[]byte) []byte {
	n := 8
	for _, p := range parts {
		n += len(p)
	}
	out := make([]byte, 8, n)
	binary.BigEndian.PutUint32(out, uint32(n))
	copy(out[4:], typ)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func u32(vs ...uint32) []byte {
	out := make([]byte, 4*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint32(out[4*i:], v)
	}
	return out
}

func u16(vs ...uint16) []byte {
	out := make([]byte, 2*len(vs))
	for i, v := range vs {
		binary.BigEndian.PutUint16(out[2*i:], v)
	}
	return out
}

var matrix = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)

func moov(sizes []uint32, chunkOffset uint32) []byte {
	const durationMS = 1000
	mvhd := box("mvhd", u32(0, 0, 0, 1000, durationMS, 0x00010000), u16(0x0100, 0), u32(0, 0), matrix, make([]byte, 24), u32(2))
	tkhd := box("tkhd", u32(3, 0, 0, 1, 0, durationMS, 0, 0), u16(0, 0, 0, 0), matrix, u32(videoWidth<<16, videoHeight<<16))
	mdhd := box("mdhd", u32(0, 0, 0, timescale, videoFrames*frameTicks), u16(0x55c4, 0))
	hdlr := box("hdlr", u32(0, 0), []byte("vide"), u32(0, 0, 0), []byte("VideoHandler\x00"))
	vmhd := box("vmhd", u32(1), u16(0, 0, 0, 0))
	dinf := box("dinf", box("dref", u32(0, 1), box("url ", u32(1))))
	name := make([]byte, 32)
	copy(name[1:], "Photo - JPEG")
	name[0] = byte(len("Photo - JPEG"))
	entry := box("jpeg", make([]byte, 6), u16(1), u16(0, 0), u32(0, 0, 0), u16(videoWidth, videoHeight),
		u32(0x00480000, 0x00480000, 0), u16(1), name, u16(24, 0xffff))
	stsd := box("stsd", u32(0, 1), entry)
	stts := box("stts", u32(0, 1, videoFrames, frameTicks))
	stsc := box("stsc", u32(0, 1, 1, videoFrames, 1))
	stsz := box("stsz", u32(0, 0, uint32(len(sizes))), u32(sizes...))
	stco := box("stco", u32(0, 1, chunkOffset))
	stbl := box("stbl", stsd, stts, stsc, stsz, stco)
	minf := box("minf", vmhd, dinf, stbl)
	mdia := box("mdia", mdhd, hdlr, minf)
	return box("moov", mvhd, box("trak", tkhd, mdia))
}

func buildVideo() []byte {
	var frames [][]byte
	var sizes []uint32
	for n := 0; n < videoFrames; n++ {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, renderFrame(n), &jpeg.Options{Quality: 80}); err != nil {
			panic(err) // encoding into memory cannot fail
		}
		frames = append(frames, b.Bytes())
		sizes = append(sizes, uint32(b.Len()))
	}
	ftyp := box("ftyp", []byte("isom"), u32(0x200), []byte("isomiso2mp41"))
	m := moov(sizes, 0)
	offset := uint32(len(ftyp) + len(m) + 8)
	m = moov(sizes, offset)
	out := append(append([]byte{}, ftyp...), m...)
	return append(out, box("mdat", bytes.Join(frames, nil))...)
}
