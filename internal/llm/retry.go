package llm

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff retries a request: after failure number r (1, 2, ...) it waits a uniformly random time in
// [0, min(Base·2^r, Max)] ("full jitter", upstream's schedule), but never less than the server's
// Retry-After (capped at MaxRetryAfter). After MaxRetries retries the last error is returned.
type Backoff struct {
	MaxRetries    int
	Base, Max     time.Duration
	MaxRetryAfter time.Duration // 0: 15 minutes
	// Sleep waits d or until ctx is done; nil uses a timer. Tests inject their own.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1); nil uses math/rand/v2.
	Rand func() float64
}

// DefaultBackoff is upstream's: 20 retries, base 1 s, cap 128 s.
func DefaultBackoff() Backoff {
	return Backoff{MaxRetries: 20, Base: time.Second, Max: 128 * time.Second}
}

// Attempt describes one failed attempt, for logs and records.
type Attempt struct {
	Retry int // 1 for the first retry
	Err   error
	Wait  time.Duration
}

// Delay is the wait before retry r (1-based) after err.
func (b Backoff) Delay(r int, err error) time.Duration {
	ceil := b.Max
	if r < 62 {
		if d := b.Base << r; d > 0 && d < ceil {
			ceil = d
		}
	}
	rnd := b.Rand
	if rnd == nil {
		rnd = rand.Float64
	}
	wait := time.Duration(rnd() * float64(ceil))
	if ra := RetryAfterOf(err); ra > 0 {
		limit := b.MaxRetryAfter
		if limit <= 0 {
			limit = 15 * time.Minute
		}
		wait = max(wait, min(ra, limit))
	}
	return wait
}

// Do runs fn until it succeeds, fails permanently, ctx ends, or the retries are used up. It returns
// the number of retries made. onRetry, if set, sees every failure that is retried.
func (b Backoff) Do(ctx context.Context, fn func(ctx context.Context) error, onRetry func(Attempt)) (int, error) {
	sleep := b.Sleep
	if sleep == nil {
		sleep = SleepContext
	}
	for r := 0; ; r++ {
		err := fn(ctx)
		if err == nil {
			return r, nil
		}
		if canceled(ctx, err) {
			return r, ctx.Err()
		}
		if IsPermanent(err) || r >= b.MaxRetries {
			return r, err
		}
		wait := b.Delay(r+1, err)
		if onRetry != nil {
			onRetry(Attempt{Retry: r + 1, Err: err, Wait: wait})
		}
		if err := sleep(ctx, wait); err != nil {
			return r + 1, err
		}
	}
}

// SleepContext waits d or until ctx is done.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
