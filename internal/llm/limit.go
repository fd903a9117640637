package llm

import (
	"context"
	"sync"
	"time"
)

// Limiter bounds the requests in flight to one provider and, optionally, how often they start.
// Waiting for a retry does not hold a slot.
type Limiter struct {
	slots    chan struct{}
	interval time.Duration

	mu   sync.Mutex
	next time.Time

	// Now and Sleep are the clock; nil uses the real one. Tests inject their own.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// NewLimiter allows concurrency requests at once (at least 1) and, when perMinute > 0, starts at
// most perMinute requests per minute, evenly spaced.
func NewLimiter(concurrency int, perMinute float64) *Limiter {
	l := &Limiter{slots: make(chan struct{}, max(1, concurrency))}
	if perMinute > 0 {
		l.interval = time.Duration(float64(time.Minute) / perMinute)
	}
	return l
}

// Acquire waits for a slot and for the rate limit; the caller must call release when the request is
// done.
func (l *Limiter) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	release = func() { <-l.slots }
	if l.interval > 0 {
		now := time.Now
		if l.Now != nil {
			now = l.Now
		}
		sleep := SleepContext
		if l.Sleep != nil {
			sleep = l.Sleep
		}
		l.mu.Lock()
		t := now()
		start := l.next
		if start.Before(t) {
			start = t
		}
		l.next = start.Add(l.interval)
		l.mu.Unlock()
		if err := sleep(ctx, start.Sub(t)); err != nil {
			release()
			return nil, err
		}
	}
	return release, nil
}
