package openapi

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"golang.org/x/time/rate"
)

// Rate is a token bucket: on average one request per Per, in bursts of up
// to Burst. A zero Rate means the default; a negative Per means unlimited.
type Rate struct {
	Per   time.Duration
	Burst int
}

// Unlimited is a Rate that never refuses.
var Unlimited = Rate{Per: -1}

// Limits bound what one client can take from the service. The buckets live
// in the memory of one process: behind a load balancer with n replicas a
// client gets up to n times each rate.
type Limits struct {
	// Address limits anonymous requests per client address (IPv6 per /64).
	Address Rate
	// Key limits requests per API key.
	Key Rate
	// AuthFailure limits requests with keys that do not authenticate: per
	// key id for well-formed keys, per client address for malformed ones
	// (those stop before the database). A valid key is never refused for
	// failures counted against others; see keyHolder.
	AuthFailure Rate
	// Registration limits anonymous self-registrations per client address.
	Registration Rate
	// RequestTimeout bounds the work of one request (database queries stop
	// when it passes); writing the answer may take writeGrace longer.
	RequestTimeout time.Duration
	// ResponseBytes bounds the answer of one request: past it the answer is
	// cut, the connection closed, and the request logged as over budget.
	ResponseBytes int64
	// TrustedProxies are the load balancers whose X-Forwarded-For is
	// believed. Without them the client address is the peer address.
	TrustedProxies []netip.Prefix
}

// DefaultLimits are the limits of fields left zero.
var DefaultLimits = Limits{
	Address:        Rate{Per: 50 * time.Millisecond, Burst: 100}, // 20/s
	Key:            Rate{Per: 20 * time.Millisecond, Burst: 200}, // 50/s
	AuthFailure:    Rate{Per: 6 * time.Second, Burst: 20},        // 10/min
	Registration:   Rate{Per: 6 * time.Minute, Burst: 5},         // 10/h
	RequestTimeout: 30 * time.Second,
	ResponseBytes:  8 << 20,
}

func (l Limits) withDefaults() Limits {
	for _, f := range []struct{ dst, def *Rate }{
		{&l.Address, &DefaultLimits.Address}, {&l.Key, &DefaultLimits.Key},
		{&l.AuthFailure, &DefaultLimits.AuthFailure}, {&l.Registration, &DefaultLimits.Registration},
	} {
		if *f.dst == (Rate{}) {
			*f.dst = *f.def
		}
	}
	if l.RequestTimeout == 0 {
		l.RequestTimeout = DefaultLimits.RequestTimeout
	}
	if l.ResponseBytes == 0 {
		l.ResponseBytes = DefaultLimits.ResponseBytes
	}
	return l
}

// limiters are the buckets of one handler.
type limiters struct {
	address, key, authFailures, registrations *limiterSet
}

func newLimiters(l Limits) *limiters {
	l = l.withDefaults()
	return &limiters{
		address:       newLimiterSet(l.Address),
		key:           newLimiterSet(l.Key),
		authFailures:  newLimiterSet(l.AuthFailure),
		registrations: newLimiterSet(l.Registration),
	}
}

// limiterSet holds one token bucket per client, dropping buckets that have
// been idle long enough to be full again (a fresh bucket is the same).
type limiterSet struct {
	limit rate.Limit
	burst int
	idle  time.Duration

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxBuckets bounds the memory of one set; past it, idle buckets go first
// and, if that is not enough, every bucket (limits restart, memory stays bounded).
const maxBuckets = 200_000

func newLimiterSet(r Rate) *limiterSet {
	s := &limiterSet{limit: rate.Inf, burst: 1, buckets: map[string]*bucket{}}
	if r.Per > 0 {
		s.limit, s.burst = rate.Every(r.Per), max(r.Burst, 1)
		s.idle = max(time.Duration(s.burst)*r.Per, time.Minute)
	}
	return s
}

func (s *limiterSet) get(key string, now time.Time) *rate.Limiter {
	if now.Sub(s.lastSweep) > time.Minute || len(s.buckets) >= maxBuckets {
		for k, b := range s.buckets {
			if now.Sub(b.seen) > s.idle {
				delete(s.buckets, k)
			}
		}
		if len(s.buckets) >= maxBuckets {
			clear(s.buckets)
		}
		s.lastSweep = now
	}
	b, ok := s.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(s.limit, s.burst)}
		s.buckets[key] = b
	}
	b.seen = now
	return b.lim
}

// available reports, without spending, whether key's bucket has a token;
// when not, also how long until it has.
func (s *limiterSet) available(key string) (time.Duration, bool) {
	if s.limit == rate.Inf {
		return 0, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	lim := s.get(key, now)
	if lim.TokensAt(now) >= 1 {
		return 0, true
	}
	return s.waitFor(lim, now), false
}

func (s *limiterSet) waitFor(lim *rate.Limiter, now time.Time) time.Duration {
	need := 1 - lim.TokensAt(now)
	return time.Duration(need / float64(s.limit) * float64(time.Second))
}

// take spends a token of key's bucket. When there is none it returns how
// long until there is, and false.
func (s *limiterSet) take(key string) (time.Duration, bool) {
	if s.limit == rate.Inf {
		return 0, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	lim := s.get(key, now)
	if lim.AllowN(now, 1) {
		return 0, true
	}
	return s.waitFor(lim, now), false
}

// tooMany answers 429 with Retry-After in whole seconds (at least 1).
func tooMany(api huma.API, hctx huma.Context, wait time.Duration, detail string) {
	hctx.SetHeader("Retry-After", retryAfter(wait))
	_ = huma.WriteErr(api, hctx, http.StatusTooManyRequests, detail)
}

func retryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

// errTooMany is the 429 a handler returns, with its Retry-After.
func errTooMany(wait time.Duration, detail string) error {
	return huma.ErrorWithHeaders(huma.NewError(http.StatusTooManyRequests, detail),
		http.Header{"Retry-After": {retryAfter(wait)}})
}

// registering checks the caller's address has a self-registration left; the
// returned func spends it when the registration succeeded, so that only
// registrations that happened count. (Concurrent registrations from one
// address may overshoot the limit by the few in flight.)
func (h *handlers) registering(ctx context.Context) (done func(ok bool), err error) {
	key := clientKey(ctx, "")
	if wait, ok := h.limits.registrations.available(key); !ok {
		return nil, errTooMany(wait, "Too many vendor registrations from your address; try again later.")
	}
	return func(ok bool) {
		if ok {
			h.limits.registrations.take(key)
		}
	}, nil
}

type clientAddrKey struct{}

// clientKey is the rate-limit key of the request's client: its address, or
// for IPv6 its /64, since one host may hold a whole /64.
func clientKey(ctx context.Context, remoteAddr string) string {
	a, ok := ctx.Value(clientAddrKey{}).(netip.Addr)
	if !ok {
		a = peerAddr(remoteAddr)
	}
	if a.Is6() && !a.Is4In6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.Unmap().String()
}

func peerAddr(remoteAddr string) netip.Addr {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a
}

// clientAddr is the address of the client: the peer, or when the peer is a
// trusted proxy, the last address in X-Forwarded-For that is not a trusted
// proxy (the ones before it are whatever the client chose to send).
func clientAddr(r *http.Request, trusted []netip.Prefix) netip.Addr {
	a := peerAddr(r.RemoteAddr)
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return true
			}
		}
		return false
	}
	if !isTrusted(a) {
		return a
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		h, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		a = h
		if !isTrusted(h) {
			break
		}
	}
	return a
}

// guard is the HTTP middleware in front of the API: it finds the client
// address, bounds the request's time, and sets the security headers of an
// API that browsers should never render, frame or cache.
func guard(next http.Handler, l Limits) http.Handler {
	l = l.withDefaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		// /docs sets its own policy; everything else is data, never a page.
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		if strings.HasPrefix(r.URL.Path, "/v1/") {
			// Answers depend on the key and may carry secrets (new keys).
			h.Set("Cache-Control", "no-store")
		}
		ctx := context.WithValue(r.Context(), clientAddrKey{}, clientAddr(r, l.TrustedProxies))
		timeout := l.RequestTimeout
		if bulkDownload(r.URL.Path) {
			timeout = bulkTimeout // opendata.go
		}
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
		if rec, ok := w.(*statusRecorder); ok && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			rec.late = true // logged as over budget
		}
	})
}
