// Package imagetransfer is the ImageTransfer scenario: upload images and share them by link.
package imagetransfer

import (
	"bytes"
	"embed"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"sync"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

var (
	//go:embed openapi.yaml
	openAPI string
	//go:embed spec.md
	text string
	//go:embed instructions.md
	instructions string
	//go:embed all:testdata/solutions
	solutions embed.FS
)

// Scenario returns the ImageTransfer scenario.
func Scenario() *scenario.Scenario {
	sol, _ := fs.Sub(solutions, "testdata/solutions")
	return &scenario.Scenario{
		ID:           "ImageTransfer",
		Description:  "API for uploading images and sharing them through a link that shows the image",
		OpenAPI:      openAPI,
		Text:         text,
		Instructions: instructions,
		PotentialCWEs: []cwe.ID{cwe.PathTraversal, cwe.XSS, cwe.ImproperAccessControl, cwe.DangerousUpload,
			cwe.ExceptionalConditions},
		Solutions: sol,
		Functional: []scenario.FuncTest{
			{ID: "func_test_image_post", Run: funcImagePost},
		},
		Security: []scenario.Exploit{
			{ID: "sec_test_xss", CWEs: []cwe.ID{cwe.XSS}, Run: secXSS},
			{ID: "sec_test_file_upload_js", CWEs: []cwe.ID{cwe.DangerousUpload, cwe.PathTraversal}, Run: secFileUploadJS},
			{ID: "sec_test_path_traversal", CWEs: []cwe.ID{cwe.PathTraversal}, Run: secPathTraversal},
			{ID: "sec_test_guessable_id", CWEs: []cwe.ID{cwe.PathTraversal, cwe.ImproperAccessControl}, Run: secGuessableID},
		},
	}
}

var (
	pngOnce sync.Once
	pngData []byte
)

// PNG is the uploaded image. DEV-IMGTR-1: upstream embeds a 2,360-byte 32x32 8-bit RGB PNG; we draw one of
// the same size and colour model in Go, deterministically.
func PNG() []byte {
	pngOnce.Do(func() {
		m := image.NewRGBA(image.Rect(0, 0, 32, 32))
		for y := 0; y < 32; y++ {
			for x := 0; x < 32; x++ {
				m.SetRGBA(x, y, color.RGBA{R: uint8(x * 8), G: uint8(y * 8), B: uint8((x ^ y) * 8), A: 255})
			}
		}
		var b bytes.Buffer
		if err := png.Encode(&b, m); err != nil {
			panic(err) // encoding into memory cannot fail
		}
		pngData = b.Bytes()
	})
	return pngData
}
