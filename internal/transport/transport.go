// Package transport builds the HTTP stack both API clients share: a chain of
// small http.RoundTrippers (retry, rate limit, logging, auth, user agent) over
// one pooled, keep-alive transport, plus the typed errors the clients return.
//
// The retry layer follows the provider's retry and idempotency policy: every
// request is retried on 429 and 503 and when it provably never left this
// machine; requests marked idempotent with WithIdempotent (every pipe.solar
// v1 call) are also retried on 500, 502, 504, dropped connections and
// timeouts. 429s are handled below the retry layer (throttle.go): they wait
// for Retry-After (every call of the client's Budget waits with them) or for
// the Budget's learned limit, and never use up MaxRetries.
package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Defaults used when Options leaves a value at zero.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRetries   = 4
	DefaultMaxBodyBytes = 16 << 20
	DefaultRetryWaitMin = 500 * time.Millisecond
	DefaultRetryWaitMax = 30 * time.Second
	// maxRetryAfter caps how long a server's Retry-After can hold one request.
	maxRetryAfter = 2 * time.Minute
)

// Options configure the shared HTTP stack.
type Options struct {
	// UserAgent is sent on every request.
	UserAgent string
	// MaxRetries is the number of retries after the first attempt; negative
	// means none.
	MaxRetries int
	// Timeout bounds each attempt (connect, send, wait for headers, read).
	Timeout time.Duration
	// RequestsPerSecond limits the request rate of the client (a burst of
	// one second's calls); 0 = Pace, if set, else no limit.
	RequestsPerSecond float64
	// Pace is the client's default pace, used when RequestsPerSecond is 0.
	// Clients given the same limiter share it (one pace per process).
	Pace *rate.Limiter
	// RetryWaitMin and RetryWaitMax bound the exponential backoff when the
	// server does not send Retry-After.
	RetryWaitMin, RetryWaitMax time.Duration
	// Secrets are masked in every log line the stack writes.
	Secrets []string
	// Base is the innermost transport; nil uses a shared pooled transport.
	Base http.RoundTripper
	// Budget holds the waits the server asks for: a Retry-After pauses
	// every call of the Budget, and 429s without one teach it the limit.
	// Clients built with the same Budget share it; nil gives the client a
	// budget of its own.
	Budget *Budget
	// MaxThrottleWait bounds how long one call keeps trying while the
	// server answers 429, when its context has no earlier deadline; zero
	// means DefaultMaxThrottleWait.
	MaxThrottleWait time.Duration
	// Clock is the time source of every wait; nil is the wall clock.
	Clock Clock
	// OnWait, if set, is called before each wait (tests use it to know that
	// a call is waiting).
	OnWait func(WaitEvent)
}

// Auth decorates the innermost transport with authentication. It runs below
// the logging layer so credentials never reach a log line.
type Auth func(next http.RoundTripper) http.RoundTripper

var sharedBase = newPooledTransport()

func newPooledTransport() *http.Transport {
	t := cleanhttp.DefaultPooledTransport()
	// Terraform walks up to -parallelism (default 10) resources at once, and
	// benchmarks use 30: keep that many connections per host alive.
	t.MaxIdleConnsPerHost = 64
	t.MaxIdleConns = 128
	return t
}

// NewClient returns an *http.Client whose transport is, from the outside in:
// retry → throttle (pace or requests_per_second, 429s, budget) → attempt timeout →
// logging → auth → user agent → "sent?" tracker → base.
func NewClient(opts Options, auth Auth) *http.Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.RetryWaitMin <= 0 {
		opts.RetryWaitMin = DefaultRetryWaitMin
	}
	if opts.RetryWaitMax <= 0 {
		opts.RetryWaitMax = DefaultRetryWaitMax
	}
	if opts.MaxRetries < 0 {
		opts.MaxRetries = 0
	}
	base := opts.Base
	if base == nil {
		base = sharedBase
	}

	var rt http.RoundTripper = &sentTracker{next: base}
	rt = &userAgent{next: rt, value: opts.UserAgent}
	if auth != nil {
		rt = auth(rt)
	}
	logger := &logging{next: rt, secrets: nonEmpty(opts.Secrets)}
	rt = logger
	// The attempt timeout sits below the throttle: time spent waiting for
	// a turn does not count against request_timeout.
	rt = &attemptTimeout{next: rt, timeout: opts.Timeout}
	clock := opts.Clock
	if clock == nil {
		clock = wallClock{}
	}
	budget := opts.Budget
	if budget == nil {
		budget = NewBudget(clock)
	}
	th := &throttle{next: rt, budget: budget, clock: clock, rps: opts.RequestsPerSecond,
		maxWait: opts.MaxThrottleWait, onWait: opts.OnWait, log: logger}
	if th.maxWait <= 0 {
		th.maxWait = DefaultMaxThrottleWait
	}
	switch {
	case opts.RequestsPerSecond > 0:
		burst := int(opts.RequestsPerSecond)
		if burst < 1 {
			burst = 1
		}
		th.static, th.staticReason = rate.NewLimiter(rate.Limit(opts.RequestsPerSecond), burst), "requests-per-second"
	case opts.Pace != nil:
		th.static, th.staticReason = opts.Pace, "pace"
	}
	rt = th

	backoff := func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		d := backoffAt(clock.Now(), lo, hi, attempt, resp)
		if opts.OnWait != nil {
			opts.OnWait(WaitEvent{Reason: "backoff", Until: clock.Now().Add(d)})
		}
		if _, wall := clock.(wallClock); wall {
			return d
		}
		// go-retryablehttp waits on a real timer: let an injected clock do
		// the waiting instead.
		_ = clock.SleepUntil(context.Background(), clock.Now().Add(d), nil)
		return 0
	}
	retry := &retryablehttp.Client{
		HTTPClient:     &http.Client{Transport: rt},
		RetryWaitMin:   opts.RetryWaitMin,
		RetryWaitMax:   opts.RetryWaitMax,
		RetryMax:       opts.MaxRetries,
		CheckRetry:     CheckRetry,
		Backoff:        backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: logger.logRetry,
	}
	return &http.Client{Transport: &retryablehttp.RoundTripper{Client: retry}}
}

func nonEmpty(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Backoff honours Retry-After on 429 and 503 (capped at two minutes) and
// otherwise backs off exponentially with jitter.
func Backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	return backoffAt(time.Now(), lo, hi, attempt, resp)
}

func backoffAt(now time.Time, lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := retryAfter(resp.Header.Get("Retry-After"), now); ok {
			return d
		}
	}
	d := retryablehttp.DefaultBackoff(lo, hi, attempt, nil)
	// "Equal jitter": half fixed, half random, so parallel clients spread out.
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// retryAfter parses a Retry-After header: whole seconds or an HTTP date.
// Values beyond two minutes (including ones too large to represent) are
// capped; anything unparseable reports false.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.ParseUint(h, 10, 64); err == nil {
		if secs > uint64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	} else if errors.Is(err, strconv.ErrRange) {
		return maxRetryAfter, true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	return min(max(t.Sub(now), 0), maxRetryAfter), true
}

type userAgent struct {
	next  http.RoundTripper
	value string
}

func (u *userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	if u.value != "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", u.value)
	}
	return u.next.RoundTrip(req)
}

// sentTracker records whether any of the request reached the wire, so the
// retry policy can tell "provably never sent" from "may have been processed".
type sentTracker struct{ next http.RoundTripper }

func (s *sentTracker) RoundTrip(req *http.Request) (*http.Response, error) {
	var wrote bool
	trace := &httptrace.ClientTrace{WroteHeaders: func() { wrote = true }}
	ctx := httptrace.WithClientTrace(req.Context(), trace)
	resp, err := s.next.RoundTrip(req.WithContext(ctx))
	if err != nil && !wrote {
		return nil, &NotSentError{Err: err}
	}
	// The server may have acted on this attempt unless it said it did not
	// (429, 503): remember that for the whole call (see Send).
	if o, _ := req.Context().Value(outcomeKey{}).(*callOutcome); o != nil {
		if err != nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
			o.mayHaveActed.Store(true)
		}
	}
	return resp, err
}

// callOutcome records, across every attempt of one call, whether the server
// may have acted on the request.
type callOutcome struct{ mayHaveActed atomic.Bool }

type outcomeKey struct{}

// Nested returns ctx for a request made on behalf of another one (fetching
// an access token): its outcome does not count as the outer request's.
func Nested(ctx context.Context) context.Context {
	return context.WithValue(ctx, outcomeKey{}, (*callOutcome)(nil))
}

// attemptTimeout bounds one attempt, from sending the request to reading
// the end of the answer.
type attemptTimeout struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (a *attemptTimeout) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeoutCause(req.Context(), a.timeout,
		fmt.Errorf("no complete answer within the request timeout of %s", a.timeout))
	resp, err := a.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timedOut := ctx.Err() != nil && req.Context().Err() == nil
		cause := context.Cause(ctx)
		cancel()
		if timedOut {
			return nil, &timeoutError{cause: cause, err: err}
		}
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// timeoutError is an attempt that ran out of time.
type timeoutError struct{ cause, err error }

func (e *timeoutError) Error() string   { return e.cause.Error() }
func (e *timeoutError) Unwrap() error   { return context.DeadlineExceeded }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// NotSentError wraps a failure that happened before any byte of the request
// was written: the server cannot have seen it, so repeating it is safe.
type NotSentError struct{ Err error }

func (e *NotSentError) Error() string { return e.Err.Error() }
func (e *NotSentError) Unwrap() error { return e.Err }

type idempotentKey struct{}

// WithIdempotent marks the requests made with ctx as safe to repeat, so the
// retry layer also retries them on 500/502/504, dropped connections and
// timeouts.
func WithIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func isIdempotent(ctx context.Context) bool {
	v, _ := ctx.Value(idempotentKey{}).(bool)
	return v
}

// CheckRetry implements the retry policy described in the package comment.
func CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		// Stop; the attempt's own error (which says whether anything was
		// sent) is what the caller gets.
		return false, nil //nolint:nilerr // the attempt's error is passed on by go-retryablehttp
	}
	if err != nil {
		if isNotSent(err) {
			return !isPermanent(err), nil
		}
		return isIdempotent(ctx) && isTransient(err), nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		// The throttle layer below has already waited for as long as the
		// call may: a 429 that reaches this layer is final.
		return false, nil
	case http.StatusServiceUnavailable:
		return true, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return isIdempotent(ctx), nil
	}
	return false, nil
}

// isPermanent reports failures that repeating cannot fix even though nothing
// was sent (a cancelled context, a bad certificate, an auth failure).
func isPermanent(err error) bool {
	var auth *AuthError
	if errors.As(err, &auth) {
		return true
	}
	return isCertificateError(err) || errors.Is(err, context.Canceled)
}

// isTransient reports network failures worth repeating for idempotent calls.
// The caller's own cancellation is handled before this is asked; a deadline
// here is the per-attempt request timeout.
func isTransient(err error) bool {
	if isCertificateError(err) || errors.Is(err, context.Canceled) {
		return false
	}
	var auth *AuthError
	if errors.As(err, &auth) {
		return false
	}
	var tooLarge *BodyTooLargeError
	// Timeouts, io.EOF, io.ErrUnexpectedEOF, "connection reset by peer" and
	// the like are all worth another attempt.
	return !errors.As(err, &tooLarge)
}

func isNotSent(err error) bool {
	var ns *NotSentError
	return errors.As(err, &ns)
}

func isCertificateError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &verify)
}
