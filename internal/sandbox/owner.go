package sandbox

import (
	"context"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/moby/moby/client"
)

// LabelOwner names the baxbench process that created a container or network:
// "<hostname>/<pid>/<process start time>". Reconcile removes what belongs to processes that are gone.
const LabelOwner = "io.baxbench.owner"

// Owner is the owner label value of this process.
func Owner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), startTime(os.Getpid()))
}

// startTime is a process's start time (Linux: field 22 of /proc/<pid>/stat), which tells a live
// process from a later one that reuses its pid; "" when unknown.
func startTime(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		f := strings.Fields(s[i+1:])
		if len(f) > 19 {
			return f[19]
		}
	}
	return ""
}

// OwnerAlive reports whether the process an owner label names still runs. Owners on other hosts, and
// labels it cannot read, count as alive: only what is surely orphaned is ever removed.
func OwnerAlive(owner string) bool {
	parts := strings.Split(owner, "/")
	if len(parts) != 3 {
		return true
	}
	host, _ := os.Hostname()
	if parts[0] != host {
		return true
	}
	pid, err := strconv.Atoi(parts[1])
	if err != nil || pid <= 0 {
		return true
	}
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false // no such process
	}
	if st := startTime(pid); st != "" && parts[2] != "" && st != parts[2] {
		return false // the pid now belongs to another process
	}
	return true
}

func withOwner(labels map[string]string) map[string]string {
	out := maps.Clone(labels)
	if out == nil {
		out = map[string]string{}
	}
	if _, ok := out[LabelOwner]; !ok {
		out[LabelOwner] = Owner()
	}
	return out
}

// Orphans are the runs whose baxbench process is gone, with what they left.
type Orphans struct {
	Runs       []string `json:"runs"`
	Containers int      `json:"containers"`
	Networks   int      `json:"networks"`
}

// FindOrphans lists the runs that left containers or networks behind and whose owner is gone.
func (d *Docker) FindOrphans(ctx context.Context) (Orphans, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*apiTimeout)
	defer cancel()
	f := make(client.Filters).Add("label", LabelRun)
	cs, err := d.c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return Orphans{}, fmt.Errorf("list baxbench containers: %w", err)
	}
	ns, err := d.c.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return Orphans{}, fmt.Errorf("list baxbench networks: %w", err)
	}
	var o Orphans
	runs := map[string]bool{}
	orphan := func(labels map[string]string) bool {
		owner, ok := labels[LabelOwner]
		if !ok || OwnerAlive(owner) {
			return false
		}
		runs[labels[LabelRun]] = true
		return true
	}
	for _, c := range cs.Items {
		if orphan(c.Labels) {
			o.Containers++
		}
	}
	for _, n := range ns.Items {
		if orphan(n.Labels) {
			o.Networks++
		}
	}
	o.Runs = slices.Sorted(maps.Keys(runs))
	return o, nil
}

// Reconcile removes the containers and networks of runs whose baxbench process is gone (and only
// those: a second baxbench process on the same engine keeps its own) and returns what it removed.
func (d *Docker) Reconcile(ctx context.Context) (Orphans, error) {
	o, err := d.FindOrphans(ctx)
	if err != nil {
		return o, err
	}
	for _, run := range o.Runs {
		if _, err := d.RemoveByLabel(ctx, LabelRun, run); err != nil {
			return o, err
		}
	}
	return o, nil
}

// SampleImage is a sample image in the engine's cache.
type SampleImage struct {
	ID      string
	Refs    []string
	Created time.Time
	Size    int64
}

// SampleImages lists the sample images (label role=sample), newest first.
func (d *Docker) SampleImages(ctx context.Context) ([]SampleImage, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*apiTimeout)
	defer cancel()
	res, err := d.c.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("label", LabelRole+"=sample")})
	if err != nil {
		return nil, fmt.Errorf("list sample images: %w", err)
	}
	var out []SampleImage
	for _, im := range res.Items {
		out = append(out, SampleImage{ID: im.ID, Refs: im.RepoTags, Created: time.Unix(im.Created, 0), Size: im.Size})
	}
	slices.SortFunc(out, func(a, b SampleImage) int { return b.Created.Compare(a.Created) })
	return out, nil
}

// ImagesSize is the disk space all images take on the engine, each layer counted once.
func (d *Docker) ImagesSize(ctx context.Context) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 4*apiTimeout)
	defer cancel()
	du, err := d.c.DiskUsage(ctx, client.DiskUsageOptions{Images: true})
	if err != nil {
		return 0, fmt.Errorf("read the engine's disk usage: %w", err)
	}
	return du.Images.TotalSize, nil
}

// RemoveImage removes an image (not one a container still uses).
func (d *Docker) RemoveImage(ctx context.Context, id string) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	if _, err := d.c.ImageRemove(ctx, id, client.ImageRemoveOptions{PruneChildren: true}); err != nil && !IsNotFound(err) {
		return fmt.Errorf("remove image %s: %w", short(id), err)
	}
	return nil
}
