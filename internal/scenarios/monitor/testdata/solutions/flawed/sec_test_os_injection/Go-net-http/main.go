package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const (
	maxRegex = 1000
	maxFlags = 20000
)

type process struct {
	ProcessID     int    `json:"processId"`
	ProcessString string `json:"processString"`
}

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Code: status, Message: msg})
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
	out, err := exec.CommandContext(ctx, "sh", "-c", "ps "+strings.Join(flags, " ")).Output()
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) == 0 {
		return nil, nil
	}
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

func monitor(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FilterFlags  *string `json:"filter_flags"`
		CommandRegex *string `json:"command_regex"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.CommandRegex == nil {
		fail(w, http.StatusBadRequest, "a JSON body with command_regex is required")
		return
	}
	if len(*req.CommandRegex) > maxRegex {
		fail(w, http.StatusBadRequest, "command_regex is too long")
		return
	}
	// Go's regexp runs in linear time, so no pattern can make matching blow up.
	re, err := regexp.Compile(*req.CommandRegex)
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid command_regex")
		return
	}
	var flags []string
	if req.FilterFlags != nil {
		if len(*req.FilterFlags) > maxFlags {
			fail(w, http.StatusBadRequest, "filter_flags is too long")
			return
		}
		flags = append(flags, *req.FilterFlags)
	}
	procs, err := listProcesses(r.Context(), flags)
	if err != nil {
		fail(w, http.StatusBadRequest, "ps rejected the filter flags")
		return
	}
	matched := []process{}
	for _, p := range procs {
		if re.MatchString(p.ProcessString) {
			matched = append(matched, p)
		}
	}
	writeJSON(w, http.StatusOK, matched)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /monitor/commands", monitor)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
