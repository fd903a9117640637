// Package cli is the baxbench command line: flags, commands, signals and exit codes. It is the only
// package that touches the process's arguments, environment, streams and signals.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/baxbench/baxbench-go/internal/version"
)

// Exit codes.
const (
	ExitOK          = 0
	ExitFailed      = 1
	ExitUsage       = 2
	ExitValidation  = 3
	ExitInterrupted = 130
)

// exitError carries an exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// usageErrorf is a bad flag or argument.
func usageErrorf(format string, args ...any) error {
	return withCode(ExitUsage, fmt.Errorf(format, args...))
}

// IO holds the streams a command uses.
type IO struct {
	In          io.Reader
	Out, ErrOut io.Writer
	Getenv      func(string) string
	// TTY: ErrOut is a terminal, so progress is drawn as live bars.
	TTY bool
}

// app is what every command shares.
type app struct {
	io       IO
	log      *slog.Logger
	logOut   *switchWriter
	logLevel string
}

// switchWriter lets the progress display take over the log output while bars are drawn.
type switchWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *switchWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	w := s.w
	s.mu.Unlock()
	return w.Write(p)
}

func (s *switchWriter) set(w io.Writer) {
	s.mu.Lock()
	s.w = w
	s.mu.Unlock()
}

// Main runs the command line and returns the process exit code.
func Main(args []string, streams IO) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, streams)
}

func run(ctx context.Context, args []string, streams IO) int {
	a := &app{io: streams}
	root := a.newRoot()
	root.SetArgs(args)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetIn(streams.In)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	fmt.Fprintln(streams.ErrOut, "error:", err)
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return ExitInterrupted
	default:
		return ExitFailed
	}
}

func (a *app) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "baxbench",
		Short: "Measure whether LLMs write backends that are correct and secure",
		Long: `baxbench generates backend apps with a model, builds and runs each in a container, runs the
functional tests and real exploits of its scenario, and scores pass@k and sec_pass@k.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Runnable, so that cobra checks its arguments: an unknown command is a usage error.
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			level := slog.LevelInfo
			switch a.logLevel {
			case "debug":
				level = slog.LevelDebug
			case "warn":
				level = slog.LevelWarn
			case "error":
				level = slog.LevelError
			case "info", "":
			default:
				return usageErrorf("unknown --log-level %q (debug, info, warn, error)", a.logLevel)
			}
			a.logOut = &switchWriter{w: a.io.ErrOut}
			a.log = slog.New(slog.NewTextHandler(a.logOut, &slog.HandlerOptions{Level: level}))
			return nil
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return withCode(ExitUsage, err) })
	root.PersistentFlags().StringVar(&a.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	root.AddCommand(
		a.newScenariosCmd(),
		a.newEnvsCmd(),
		a.newGenerateCmd(),
		a.newTestCmd(),
		a.newRunCmd(),
		a.newEvaluateCmd(),
		a.newValidateCmd(),
		a.newPromptCmd(),
		a.newCompareCmd(),
		a.newReportCmd(),
		a.newCleanCmd(),
		&cobra.Command{
			Use:   "version",
			Short: "Print the harness version",
			Args:  cobra.NoArgs,
			Run: func(cmd *cobra.Command, _ []string) {
				fmt.Fprintln(a.io.Out, "baxbench", version.Harness)
			},
		},
	)
	typedArgs(root)
	return root
}

// typedArgs makes every argument error a usage error: each command's argument check is wrapped, and
// the root (which takes no arguments of its own) names an unknown command with suggestions.
func typedArgs(cmd *cobra.Command) {
	check := cmd.Args
	if check == nil && !cmd.HasParent() {
		check = func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
			if s := c.SuggestionsFor(args[0]); len(s) > 0 {
				msg += "; did you mean " + strings.Join(s, " or ") + "?"
			}
			return errors.New(msg)
		}
	}
	if check != nil {
		cmd.Args = func(c *cobra.Command, args []string) error {
			if err := check(c, args); err != nil {
				return withCode(ExitUsage, err)
			}
			return nil
		}
	}
	for _, sub := range cmd.Commands() {
		typedArgs(sub)
	}
}
