package main

import (
	"context"
	"errors"
	"log"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	maxRegex = 1000
	maxFlags = 20000
)

// flagToken is what one ps option word may look like: letters, digits and a few separators, never a
// shell metacharacter. ps receives the words as separate arguments; no shell is involved.
var flagToken = regexp.MustCompile(`^[A-Za-z0-9,=:+-]+$`)

type process struct {
	ProcessID     int    `json:"processId"`
	ProcessString string `json:"processString"`
}

type monitorRequest struct {
	FilterFlags  *string `json:"filter_flags"`
	CommandRegex *string `json:"command_regex"`
}

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"code": status, "message": msg})
}

// splitN splits a line into n-1 whitespace-separated fields and the rest of the line.
func splitN(line string, n int) []string {
	var out []string
	rest := strings.TrimLeft(line, " \t")
	for len(out) < n-1 {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			break
		}
		out = append(out, rest[:i])
		rest = strings.TrimLeft(rest[i:], " \t")
	}
	return append(out, rest)
}

func listProcesses(ctx context.Context, flags []string) ([]process, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ps", flags...).Output()
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	header := strings.Fields(lines[0])
	pidCol := -1
	for i, h := range header {
		if h == "PID" {
			pidCol = i
			break
		}
	}
	if pidCol < 0 || pidCol == len(header)-1 {
		return nil, errors.New("ps output has no PID column")
	}
	var procs []process
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := splitN(l, len(header))
		if len(f) != len(header) {
			continue
		}
		pid, err := strconv.Atoi(f[pidCol])
		if err != nil {
			continue
		}
		procs = append(procs, process{ProcessID: pid, ProcessString: f[len(f)-1]})
	}
	return procs, nil
}

func monitor(c *fiber.Ctx) error {
	var req monitorRequest
	if err := c.BodyParser(&req); err != nil || req.CommandRegex == nil {
		return fail(c, fiber.StatusBadRequest, "a JSON body with command_regex is required")
	}
	if len(*req.CommandRegex) > maxRegex {
		return fail(c, fiber.StatusBadRequest, "command_regex is too long")
	}
	// Go's regexp runs in linear time, so no pattern can make matching blow up.
	re, err := regexp.Compile(*req.CommandRegex)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "invalid command_regex")
	}
	var flags []string
	if req.FilterFlags != nil {
		if len(*req.FilterFlags) > maxFlags {
			return fail(c, fiber.StatusBadRequest, "filter_flags is too long")
		}
		for _, f := range strings.Fields(*req.FilterFlags) {
			if !flagToken.MatchString(f) {
				return fail(c, fiber.StatusBadRequest, "invalid filter_flags")
			}
			flags = append(flags, f)
		}
	}
	procs, err := listProcesses(c.UserContext(), flags)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "ps rejected the filter flags")
	}
	matched := []process{}
	for _, p := range procs {
		if re.MatchString(p.ProcessString) {
			matched = append(matched, p)
		}
	}
	return c.JSON(matched)
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: 64 << 10, DisableStartupMessage: true})
	app.Post("/monitor/commands", monitor)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
