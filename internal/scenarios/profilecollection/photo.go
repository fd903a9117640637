package profilecollection

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"sync"
)

// photo is the profile picture every upload carries. Upstream sends its fixture frame.png (a 1920x1080 RGB
// PNG of 653,750 bytes); no test looks at the picture's content, so we draw a PNG of the same dimensions
// once, deterministically, instead of committing the file (DEV-PROFILE-1).
var photo = sync.OnceValue(func() []byte {
	const w, h = 1920, 1080
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(2463534242)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// A gradient with a little xorshift noise, so the file has a realistic size.
			seed ^= seed << 13
			seed ^= seed >> 17
			seed ^= seed << 5
			n := uint8(seed & 0x01)
			img.Set(x, y, color.RGBA{uint8(x*255/w) ^ n, uint8(y * 255 / h), uint8((x + y) * 255 / (w + h)), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return buf.Bytes()
})
