// A tiny app for the sandbox's engine tests: it serves HTTP on :5000 and misbehaves on request.
package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

var hold [][]byte

func main() {
	if len(os.Args) > 2 && os.Args[1] == "echo" {
		fmt.Println(os.Args[2])
		os.Exit(7)
	}
	if len(os.Args) > 2 && os.Args[1] == "dial" {
		// dial HOST:PORT: exit 0 when a TCP connection opens within two seconds.
		c, err := net.DialTimeout("tcp", os.Args[2], 2*time.Second)
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		c.Close()
		os.Exit(0)
	}
	if len(os.Args) > 3 && os.Args[1] == "fill" {
		// fill PATH MB: a file of MB MiB of written blocks.
		mb, _ := strconv.Atoi(os.Args[3])
		f, err := os.Create(os.Args[2])
		if err != nil {
			os.Exit(1)
		}
		b := make([]byte, 1<<20)
		for range mb {
			if _, err := f.Write(b); err != nil {
				os.Exit(1)
			}
		}
		f.Close()
		os.Exit(0)
	}
	if len(os.Args) > 3 && os.Args[1] == "sparse" {
		// sparse PATH BYTES: a file that claims BYTES and uses no blocks.
		n, _ := strconv.ParseInt(os.Args[3], 10, 64)
		f, err := os.Create(os.Args[2])
		if err == nil {
			err = f.Truncate(n)
			f.Close()
		}
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "status" {
		b, _ := os.ReadFile("/proc/self/status")
		os.Stdout.Write(b)
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "sleep" {
		select {}
	}
	// /status: the app process's /proc/self/status (capabilities, NoNewPrivs).
	http.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		b, _ := os.ReadFile("/proc/self/status")
		w.Write(b)
	})
	// /rawsock: whether the app can open a raw ICMP socket (what ping needs).
	http.HandleFunc("/rawsock", func(w http.ResponseWriter, r *http.Request) {
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_RAW, syscall.IPPROTO_ICMP)
		if err != nil {
			fmt.Fprintln(w, "denied:", err)
			return
		}
		syscall.Close(fd)
		fmt.Fprintln(w, "opened")
	})
	// /bomb?max=N: start up to N sleeping copies of itself, stopping at the first that cannot start;
	// it answers "started <n> pids <pids.current> err <first error>".
	http.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		limit, _ := strconv.Atoi(r.URL.Query().Get("max"))
		n, firstErr := 0, "none"
		for ; n < limit; n++ {
			if err := exec.Command("/proc/self/exe", "sleep").Start(); err != nil {
				firstErr = strings.ReplaceAll(err.Error(), " ", "_")
				break
			}
		}
		pids := "?"
		for _, f := range []string{"/sys/fs/cgroup/pids.current", "/sys/fs/cgroup/pids/pids.current"} {
			if b, err := os.ReadFile(f); err == nil {
				pids = strings.TrimSpace(string(b))
				break
			}
		}
		fmt.Fprintln(w, "started", n, "pids", pids, "err", firstErr)
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "up") })
	http.HandleFunc("/crash", func(w http.ResponseWriter, r *http.Request) { os.Exit(3) })
	http.HandleFunc("/alloc", func(w http.ResponseWriter, r *http.Request) {
		mb, _ := strconv.Atoi(r.URL.Query().Get("mb"))
		for i := 0; i < mb; i++ {
			b := make([]byte, 1<<20)
			for j := range b {
				b[j] = byte(j)
			}
			hold = append(hold, b)
		}
		fmt.Fprintln(w, "held", len(hold))
	})
	http.HandleFunc("/spew", func(w http.ResponseWriter, r *http.Request) {
		mb, _ := strconv.Atoi(r.URL.Query().Get("mb"))
		line := make([]byte, 1023)
		for i := range line {
			line[i] = 'x'
		}
		line = append(line, '\n')
		for i := 0; i < mb<<10; i++ {
			os.Stdout.Write(line)
		}
		fmt.Fprintln(w, "spewed", mb)
	})
	if err := http.ListenAndServe("0.0.0.0:5000", nil); err != nil {
		os.Exit(1)
	}
}
