// Command baxbench is the benchmark harness.
package main

import (
	"os"

	"github.com/baxbench/baxbench-go/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, Getenv: os.Getenv}))
}
