// Package version identifies the harness build.
package version

// Harness is the harness version, recorded in every run manifest and record. Set at build time with
// -ldflags "-X github.com/baxbench/baxbench-go/internal/version.Harness=..." for releases.
var Harness = "0.1.0-dev"
