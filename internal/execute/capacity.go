package execute

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// DefaultContainers is how many app containers run at once by default on a machine with cpus cores
// and mem bytes of memory: two per core (a test spends most of its time waiting on its app), at most
// what fits in memory at MemoryLimit each with 2 GiB left for the harness, the engine and the builds,
// at least 2 and at most 16 (so a run's apps hold at most 16 x PidsLimit processes). mem 0 (unknown)
// leaves memory out.
func DefaultContainers(cpus int, mem int64) int {
	n := min(16, cpus*2)
	if mem > 0 {
		n = min(n, int((mem-2<<30)/MemoryLimit))
	}
	return max(2, n)
}

// HostMemory is this machine's memory in bytes (MemTotal of /proc/meminfo), 0 when unknown.
func HostMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
