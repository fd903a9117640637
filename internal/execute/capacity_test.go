package execute

import "testing"

func TestDefaultContainers(t *testing.T) {
	for _, c := range []struct {
		cpus int
		mem  int64
		want int
	}{
		{2, 24 << 30, 4},    // these machines
		{64, 256 << 30, 16}, // capped
		{16, 8 << 30, 6},    // memory-bound: (8-2) GiB / 1 GiB
		{1, 2 << 30, 2},     // never below 2
		{8, 0, 16},          // memory unknown
	} {
		if got := DefaultContainers(c.cpus, c.mem); got != c.want {
			t.Errorf("DefaultContainers(%d, %d GiB) = %d, want %d", c.cpus, c.mem>>30, got, c.want)
		}
	}
	if m := HostMemory(); m < 1<<30 {
		t.Errorf("HostMemory() = %d, want this machine's memory", m)
	}
}
