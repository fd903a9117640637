// A tiny app for the sandbox's engine tests: it serves HTTP on :5000 and misbehaves on request.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
)

var hold [][]byte

func main() {
	if len(os.Args) > 2 && os.Args[1] == "echo" {
		fmt.Println(os.Args[2])
		os.Exit(7)
	}
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
	if err := http.ListenAndServe("0.0.0.0:5000", nil); err != nil {
		os.Exit(1)
	}
}
