package imagebuild

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// DefaultLockDir is where builders of different baxbench processes agree on who builds a shared image
// (the base image, a dependency layer): the user's cache directory, or the temporary directory.
func DefaultLockDir() string {
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "baxbench", "locks")
	}
	return filepath.Join(os.TempDir(), "baxbench-locks")
}

// lockPoll is how often a waiting builder tries the lock again.
const lockPoll = 100 * time.Millisecond

// lock takes the exclusive lock of key across processes (an flock on a file in b.LockDir), waiting
// for another process's build to end, or for ctx. Without a LockDir it locks nothing. The lock is
// released by the returned function, and by the kernel when the process dies, so a killed run never
// blocks the next one.
func (b *Builder) lock(ctx context.Context, key string) (func(), error) {
	if b.LockDir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(b.LockDir, 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", key, err)
	}
	sum := sha256.Sum256([]byte(key))
	f, err := os.OpenFile(filepath.Join(b.LockDir, hex.EncodeToString(sum[:8])+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", key, err)
	}
	waited := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", key, err)
		}
		if !waited {
			b.Log.Info("another baxbench process is building this image; waiting for it", "image", key)
			waited = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
