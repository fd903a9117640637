package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestBackoffScheduleIsFullJitterWithUpstreamCaps(t *testing.T) {
	b := DefaultBackoff()
	b.Rand = func() float64 { return 0.999999 } // the top of each range shows the cap
	var got []time.Duration
	for r := 1; r <= 9; r++ {
		got = append(got, b.Delay(r, errors.New("x")).Round(time.Second))
	}
	want := []time.Duration{2, 4, 8, 16, 32, 64, 128, 128, 128}
	for i := range want {
		if got[i] != want[i]*time.Second {
			t.Fatalf("caps = %v, want %v s", got, want)
		}
	}
	b.Rand = func() float64 { return 0 }
	if d := b.Delay(3, errors.New("x")); d != 0 {
		t.Fatalf("full jitter starts at 0, got %v", d)
	}
}

func TestBackoffHonoursRetryAfter(t *testing.T) {
	b := DefaultBackoff()
	b.Rand = func() float64 { return 0 }
	err := &StatusError{Status: 429, RetryAfter: 7 * time.Second}
	if d := b.Delay(1, err); d != 7*time.Second {
		t.Fatalf("delay %v, want the server's 7s", d)
	}
	b.MaxRetryAfter = 3 * time.Second
	if d := b.Delay(1, err); d != 3*time.Second {
		t.Fatalf("delay %v, want Retry-After capped at 3s", d)
	}
}

func TestBackoffDo(t *testing.T) {
	var slept []time.Duration
	b := Backoff{MaxRetries: 3, Base: time.Second, Max: 10 * time.Second, Rand: func() float64 { return 0.5 },
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	ctx := context.Background()

	calls := 0
	retries, err := b.Do(ctx, func(context.Context) error {
		calls++
		if calls < 3 {
			return &StatusError{Status: 503}
		}
		return nil
	}, nil)
	if err != nil || retries != 2 || calls != 3 || len(slept) != 2 || slept[0] != time.Second || slept[1] != 2*time.Second {
		t.Fatalf("transient: retries %d calls %d slept %v err %v", retries, calls, slept, err)
	}

	calls, slept = 0, nil
	retries, err = b.Do(ctx, func(context.Context) error { calls++; return &StatusError{Status: 500} }, nil)
	if err == nil || retries != 3 || calls != 4 {
		t.Fatalf("exhausted: retries %d calls %d err %v; want 3 retries, 4 calls", retries, calls, err)
	}

	calls = 0
	_, err = b.Do(ctx, func(context.Context) error { calls++; return &StatusError{Status: 401} }, nil)
	if calls != 1 || !IsPermanent(err) {
		t.Fatalf("a 401 must not be retried: %d calls, %v", calls, err)
	}
	calls = 0
	_, err = b.Do(ctx, func(context.Context) error { calls++; return Permanent(errors.New("bad")) }, nil)
	if calls != 1 || !IsPermanent(err) {
		t.Fatalf("a permanent error was retried %d times", calls-1)
	}
}

func TestBackoffStopsWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		b := DefaultBackoff()
		done := make(chan error)
		calls := 0
		go func() {
			_, err := b.Do(ctx, func(context.Context) error { calls++; return &StatusError{Status: 429, RetryAfter: time.Hour} }, nil)
			done <- err
		}()
		time.Sleep(10 * time.Minute) // in the bubble: instant, the backoff is still waiting
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || calls != 1 {
			t.Fatalf("err %v after %d calls; want context.Canceled after 1", err, calls)
		}
	})
}

func TestBackoffRealTimerWaitsInBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := Backoff{MaxRetries: 5, Base: time.Second, Max: 128 * time.Second, Rand: func() float64 { return 1 }}
		start := time.Now()
		calls := 0
		_, err := b.Do(context.Background(), func(context.Context) error {
			calls++
			if calls <= 3 {
				return &StatusError{Status: 500}
			}
			return nil
		}, nil)
		// Waits of 2, 4 and 8 seconds (rand at the top of the range).
		if err != nil || time.Since(start) != 14*time.Second {
			t.Fatalf("err %v, waited %v; want 14s", err, time.Since(start))
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{http.Header{"Retry-After": {"3"}, "Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{}, 0},
		{nil, 0},
	}
	for _, c := range cases {
		if got := ParseRetryAfter(c.h, now); got != c.want {
			t.Errorf("%v: %v, want %v", c.h, got, c.want)
		}
	}
}

func TestIsPermanent(t *testing.T) {
	for status, want := range map[int]bool{400: true, 401: true, 403: true, 404: true, 422: true, 408: false, 409: false, 429: false, 500: false, 503: false, 529: false} {
		if got := IsPermanent(fmt.Errorf("wrapped: %w", &StatusError{Status: status})); got != want {
			t.Errorf("status %d: permanent %v, want %v", status, got, want)
		}
	}
	for _, err := range []error{ErrEmptyAnswer, ErrIncomplete, errors.New("unexpected EOF")} {
		if IsPermanent(err) {
			t.Errorf("%v must be retried", err)
		}
	}
}

func TestLimiterBoundsConcurrency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(2, 0)
		var mu sync.Mutex
		inFlight, peak := 0, 0
		var wg sync.WaitGroup
		for range 7 {
			wg.Go(func() {
				release, err := l.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inFlight++
				peak = max(peak, inFlight)
				mu.Unlock()
				time.Sleep(time.Second)
				mu.Lock()
				inFlight--
				mu.Unlock()
				release()
			})
		}
		wg.Wait()
		if peak != 2 {
			t.Fatalf("peak %d requests in flight, want 2", peak)
		}
	})
}

func TestLimiterSpacesStartsByRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := NewLimiter(10, 60) // one start per second
		start := time.Now()
		var starts []time.Duration
		for range 4 {
			release, err := l.Acquire(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			starts = append(starts, time.Since(start))
			release()
		}
		want := []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second}
		for i := range want {
			if starts[i] != want[i] {
				t.Fatalf("starts %v, want %v", starts, want)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := l.Acquire(ctx); err == nil {
			t.Fatal("a cancelled context acquired a slot")
		}
	})
}

func TestPricing(t *testing.T) {
	p, err := ReadPricing(strings.NewReader(`{"my-model": {"input_per_mtok": 1, "output_per_mtok": 4}, "gpt-4o": {"input_per_mtok": 0, "output_per_mtok": 0}}`), DefaultPricing())
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := p.Cost("my-model", Usage{InputTokens: 1_000_000, OutputTokens: 500_000}); !ok || c != 3 {
		t.Fatalf("cost %v %v, want 3", c, ok)
	}
	if c, ok := p.Cost("gpt-4o", Usage{InputTokens: 1000}); !ok || c != 0 {
		t.Fatalf("override to free: %v %v", c, ok)
	}
	if _, ok := p.Cost("unknown", Usage{}); ok {
		t.Fatal("unknown model priced")
	}
	if _, ok := DefaultPricing()["my-model"]; ok {
		t.Fatal("ReadPricing changed its base")
	}
	if _, err := ReadPricing(strings.NewReader(`{"m": {"input": 1}}`), nil); err == nil {
		t.Fatal("unknown field accepted")
	}
}

func TestSplitUsageAddsUp(t *testing.T) {
	u := Usage{InputTokens: 1001, OutputTokens: 7, ReasoningTokens: 2}
	var sum Usage
	for _, s := range SplitUsage(u, 3) {
		sum = sum.Add(s)
	}
	if sum != u {
		t.Fatalf("shares add up to %v, want %v", sum, u)
	}
}
