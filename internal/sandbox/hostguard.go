package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// HostGuardRule is the netfilter rule (after "-C"/"-I") that keeps apps from opening connections to
// the host: a new connection entering the host from one of baxbench's bridges is rejected, while the
// harness's connections to apps and their answers pass. scripts/engine-up.sh installs it in iptables
// and ip6tables.
var HostGuardRule = []string{"INPUT", "-i", BridgePrefix + "+", "-m", "conntrack", "--ctstate", "NEW", "-j", "REJECT"}

// GuardStatus says whether the host guard is in place on this host.
type GuardStatus struct {
	// Known is false when this host cannot tell (not root, no iptables, an engine on another machine).
	Known     bool   `json:"known"`
	Installed bool   `json:"installed"`
	Detail    string `json:"detail"`
}

// HostGuard checks the host guard in this host's iptables and ip6tables. engineHost is the engine's
// address: the guard of an engine reached over TCP lives on its machine and is not checked here.
func HostGuard(ctx context.Context, engineHost string) GuardStatus {
	if engineHost != "" && !strings.HasPrefix(engineHost, "unix://") {
		return GuardStatus{Detail: "the engine at " + engineHost + " is not on this host; its machine needs the rule of scripts/engine-up.sh"}
	}
	if os.Geteuid() != 0 {
		return GuardStatus{Detail: "reading iptables needs root"}
	}
	var have, missing []string
	for _, tool := range []string{"iptables", "ip6tables"} {
		if _, err := exec.LookPath(tool); err != nil {
			continue
		}
		err := exec.CommandContext(ctx, tool, append([]string{"-C"}, HostGuardRule...)...).Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			have = append(have, tool)
		case errors.As(err, &exit) && exit.ExitCode() == 1:
			missing = append(missing, tool)
		default:
			return GuardStatus{Detail: fmt.Sprintf("%s -C: %v", tool, err)}
		}
	}
	rule := strings.Join(HostGuardRule, " ")
	switch {
	case len(have) == 0 && len(missing) == 0:
		return GuardStatus{Detail: "neither iptables nor ip6tables is installed"}
	case len(missing) > 0:
		return GuardStatus{Known: true, Detail: "apps can open connections to services on this host's addresses; run scripts/engine-up.sh as root or add: " +
			strings.Join(missing, "/") + " -I " + rule}
	default:
		return GuardStatus{Known: true, Installed: true, Detail: strings.Join(have, ", ") + ": " + rule}
	}
}
