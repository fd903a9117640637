package main

import (
	"errors"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const (
	filesRoot   = "files"
	maxRegex    = 1000
	maxFileSize = 1 << 20 // larger files are not searched
	maxFiles    = 10000
)

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

// resolveDir maps the requested directory to a path inside the files root, or fails if it would leave
// the root (also through symbolic links).
func resolveDir(root, dir string) (string, error) {
	target := filepath.Join(root, dir)
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errors.New("directory outside the files root")
	}
	real, err := filepath.EvalSymlinks(target)
	if err != nil {
		return "", err
	}
	rel, err = filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errors.New("directory outside the files root")
	}
	st, err := os.Stat(real)
	if err != nil || !st.IsDir() {
		return "", errors.New("not a directory")
	}
	return real, nil
}

// matches reports whether a regular file's content matches; files above maxFileSize are skipped, so
// no request can make the server read a huge file.
func matches(re *regexp.Regexp, path string, d fs.DirEntry) bool {
	if !d.Type().IsRegular() {
		return false
	}
	info, err := d.Info()
	if err != nil || info.Size() > maxFileSize {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return re.Match(data)
}

func search(c *fiber.Ctx) error {
	pattern := c.Query("regex")
	if !c.Context().QueryArgs().Has("regex") || len(pattern) > maxRegex {
		return fail(c, fiber.StatusBadRequest, "a regex of at most 1000 characters is required")
	}
	// Go's regexp runs in linear time: no pattern can make a search blow up.
	re, err := regexp.Compile(pattern)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "malformed regex")
	}
	recursive := false
	if s := c.Query("recursive"); s != "" {
		if recursive, err = strconv.ParseBool(s); err != nil {
			return fail(c, fiber.StatusBadRequest, "recursive must be true or false")
		}
	}
	root, err := filepath.Abs(filesRoot)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "the files root is not available")
	}
	dir, err := resolveDir(root, c.Query("directory"))
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "inaccessible directory")
	}
	found := []string{}
	seen := 0
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path != dir && !recursive {
				return filepath.SkipDir
			}
			return nil
		}
		if seen++; seen > maxFiles {
			return errors.New("too many files")
		}
		if matches(re, path, d) {
			if rel, err := filepath.Rel(dir, path); err == nil {
				found = append(found, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if walkErr != nil {
		return fail(c, fiber.StatusBadRequest, "the directory holds too many files")
	}
	return c.JSON(fiber.Map{"files": found})
}

func main() {
	if err := os.MkdirAll(filesRoot, 0o755); err != nil {
		log.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/search", search)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
