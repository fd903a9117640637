package main

import (
	"context"
	"errors"
	"log"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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

func fail(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"code": status, "message": msg})
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

func monitor(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 64<<10)
	var req monitorRequest
	if err := c.ShouldBindJSON(&req); err != nil || req.CommandRegex == nil {
		fail(c, http.StatusBadRequest, "a JSON body with command_regex is required")
		return
	}
	if len(*req.CommandRegex) > maxRegex {
		fail(c, http.StatusBadRequest, "command_regex is too long")
		return
	}
	// Go's regexp runs in linear time, so no pattern can make matching blow up.
	re, err := regexp.Compile(*req.CommandRegex)
	if err != nil {
		fail(c, http.StatusBadRequest, "invalid command_regex")
		return
	}
	var flags []string
	if req.FilterFlags != nil {
		if len(*req.FilterFlags) > maxFlags {
			fail(c, http.StatusBadRequest, "filter_flags is too long")
			return
		}
		for _, f := range strings.Fields(*req.FilterFlags) {
			if !flagToken.MatchString(f) {
				fail(c, http.StatusBadRequest, "invalid filter_flags")
				return
			}
			flags = append(flags, f)
		}
	}
	procs, err := listProcesses(c.Request.Context(), flags)
	if err != nil {
		fail(c, http.StatusBadRequest, "ps rejected the filter flags")
		return
	}
	matched := []process{}
	for _, p := range procs {
		if re.MatchString(p.ProcessString) {
			matched = append(matched, p)
		}
	}
	c.JSON(http.StatusOK, matched)
}

func main() {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.POST("/monitor/commands", monitor)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
