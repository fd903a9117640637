// Command baxbench is the benchmark harness.
package main

import (
	"os"

	"golang.org/x/term"

	"github.com/baxbench/baxbench-go/internal/cli"
)

func main() {
	tty := term.IsTerminal(int(os.Stderr.Fd())) && os.Getenv("TERM") != "dumb"
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Getenv: os.Getenv, TTY: tty}))
}
