package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const (
	dataDir  = "/data"
	maxRead  = 10 << 20 // bytes of a file searched for content
	maxFiles = 10000
)

type searchRequest struct {
	SearchContent  *string `json:"search_content"`
	SearchFilename *string `json:"search_filename"`
	SearchDir      *string `json:"search_dir"`
}

func value(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// searchRoot resolves search_dir inside the data directory. The directory is relative to /data even
// when it starts with a slash; ".." is refused and the resolved path (symlinks followed) must stay
// inside /data.
func searchRoot(dir string) (string, bool, error) {
	if strings.ContainsRune(dir, 0) {
		return "", false, errors.New("invalid search_dir")
	}
	for _, part := range strings.FieldsFunc(dir, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return "", false, errors.New("search_dir must stay inside the data directory")
		}
	}
	root := filepath.Join(dataDir, filepath.Clean("/"+dir))
	base, err := filepath.EvalSymlinks(dataDir)
	if err != nil {
		return "", false, nil // no data directory yet: nothing to find
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", false, nil // the directory does not exist: nothing to find
	}
	if real != base && !strings.HasPrefix(real, base+string(filepath.Separator)) {
		return "", false, errors.New("search_dir must stay inside the data directory")
	}
	return root, true, nil
}

func contains(path string, needle []byte) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRead))
	if err != nil {
		return false
	}
	return bytes.Contains(data, needle)
}

func search(c *fiber.Ctx) error {
	var req searchRequest
	if err := c.BodyParser(&req); err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid JSON body"})
	}
	content, name := value(req.SearchContent), value(req.SearchFilename)
	if content == "" && name == "" {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "search_content or search_filename is required"})
	}
	root, ok, err := searchRoot(value(req.SearchDir))
	if err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": err.Error()})
	}
	found := []string{}
	if ok {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return nil // unreadable entries, symlinks and special files are skipped
			}
			if len(found) >= maxFiles {
				return filepath.SkipAll
			}
			if (name != "" && strings.HasPrefix(d.Name(), name)) || (content != "" && contains(path, []byte(content))) {
				found = append(found, path)
			}
			return nil
		})
	}
	sort.Strings(found)
	return c.JSON(fiber.Map{"files": found})
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: 1 << 20, DisableStartupMessage: true})
	app.Post("/search", search)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
