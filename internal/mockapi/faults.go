package mockapi

import (
	"bytes"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults injects failures. The zero value injects none. Faults apply to every
// counted route except the token endpoint, which is subject to them only when
// listed in Endpoints; admin routes (/_mock/...) never see faults. An
// injected error on a Pipe API v1 route has v1's error body
// ({"error": {"code", "message", "docs"}}).
type Faults struct {
	// Seed seeds the deterministic random source the rates draw from (one
	// draw per request that the faults apply to).
	Seed int64 `json:"seed"`
	// Latency is waited before handling each request (a delay); the wait
	// ends early (without a response) if the request context is cancelled.
	Latency time.Duration `json:"latency"`
	// Rate500 is the fraction of requests answered 500 without processing.
	Rate500 float64 `json:"rate_500"`
	// Rate429 is the fraction answered 429 with Retry-After, without processing.
	Rate429 float64 `json:"rate_429"`
	// Rate503 is the fraction answered 503 with Retry-After, without processing.
	Rate503 float64 `json:"rate_503"`
	// Status answers requests with this HTTP status (e.g. 500, 502, 503,
	// 504, 429, 403) without processing them: the next Count requests, or
	// every request when Count is 0.
	Status int `json:"status"`
	// Count limits Status to the next Count requests.
	Count int `json:"count"`
	// Code is the v1 error code of an injected Status ("" = the status's own:
	// invalid, unauthorized, forbidden, not_found, rate_limited, internal,
	// unavailable); e.g. "not_open" with Status 403.
	Code string `json:"code"`
	// RetryAfter is the Retry-After value sent with an injected 429 or 503,
	// in whole seconds (rounded up, minimum 1); default 1s.
	RetryAfter time.Duration `json:"retry_after"`
	// NoRetryAfter sends injected 429s and 503s without Retry-After.
	NoRetryAfter bool `json:"no_retry_after"`
	// Drop: the next N requests are not processed; the connection is closed
	// without a response.
	Drop int `json:"drop"`
	// DropAfterCommit: the next N writes (every v1 PATCH and POST; UPowr
	// POST /projects, POST charges, POST /files/temp) are applied and
	// stored, then the connection is closed without a response.
	DropAfterCommit int `json:"drop_after_commit"`
	// AfterCommit: the next N writes are applied and stored, then answered
	// AfterCommitStatus (default 500) with an error body.
	AfterCommit int `json:"after_commit"`
	// AfterCommitStatus is the status of an AfterCommit answer.
	AfterCommitStatus int `json:"after_commit_status"`
	// Endpoints, if non-empty, restricts the faults to these endpoint keys.
	Endpoints []string `json:"endpoints"`
}

// faultState is one SetFaults configuration with its random source and the
// drops still pending.
type faultState struct {
	f        Faults
	active   bool
	endpoint map[string]bool
	mu       sync.Mutex
	rng      *rand.Rand
	drops    int // DropAfterCommit still pending
	after    int // AfterCommit still pending
	status   int // Status answers still pending (Count > 0)
	dropNow  int // Drop still pending
}

func (fs *faultState) appliesTo(endpoint string) bool {
	if !fs.active {
		return false
	}
	if len(fs.endpoint) > 0 {
		return fs.endpoint[endpoint]
	}
	return endpoint != EndpointToken
}

// SetFaults replaces the fault configuration (and reseeds the random source
// and the pending drop count). The zero value disables faults.
func (s *Server) SetFaults(f Faults) {
	f.Endpoints = append([]string(nil), f.Endpoints...)
	fs := &faultState{
		f: f,
		active: f.Latency > 0 || f.Rate500 > 0 || f.Rate429 > 0 || f.Rate503 > 0 || f.Status != 0 ||
			f.Drop > 0 || f.DropAfterCommit > 0 || f.AfterCommit > 0,
		rng:     rand.New(rand.NewPCG(uint64(f.Seed), uint64(f.Seed)^0x9e3779b97f4a7c15)),
		drops:   f.DropAfterCommit,
		after:   f.AfterCommit,
		status:  f.Count,
		dropNow: f.Drop,
	}
	if len(f.Endpoints) > 0 {
		fs.endpoint = make(map[string]bool, len(f.Endpoints))
		for _, e := range f.Endpoints {
			fs.endpoint[e] = true
		}
	}
	s.faults.Store(fs)
}

// CurrentFaults returns the fault configuration in effect, with Count,
// Drop, DropAfterCommit and AfterCommit set to what is still pending.
func (s *Server) CurrentFaults() Faults {
	fs := s.faults.Load()
	if fs == nil {
		return Faults{}
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f := fs.f
	f.Endpoints = slices.Clone(f.Endpoints)
	f.DropAfterCommit, f.AfterCommit, f.Drop = fs.drops, fs.after, fs.dropNow
	if f.Count > 0 {
		f.Count = fs.status
		if f.Count == 0 {
			f.Status = 0
		}
	}
	return f
}

// draw returns the injected status for one request, or 0.
func (fs *faultState) draw() int {
	f := &fs.f
	if f.Status != 0 {
		fs.mu.Lock()
		take := f.Count == 0 || fs.status > 0
		if f.Count > 0 && take {
			fs.status--
		}
		fs.mu.Unlock()
		if take {
			return f.Status
		}
	}
	if f.Rate500 <= 0 && f.Rate429 <= 0 && f.Rate503 <= 0 {
		return 0
	}
	fs.mu.Lock()
	x := fs.rng.Float64()
	fs.mu.Unlock()
	switch {
	case x < f.Rate500:
		return http.StatusInternalServerError
	case x < f.Rate500+f.Rate429:
		return http.StatusTooManyRequests
	case x < f.Rate500+f.Rate429+f.Rate503:
		return http.StatusServiceUnavailable
	}
	return 0
}

// take uses up one of the pending faults n counts, if any.
func (fs *faultState) take(n *int) bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if *n > 0 {
		*n--
		return true
	}
	return false
}

func (fs *faultState) commitPending() bool {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.drops > 0 || fs.after > 0
}

func (fs *faultState) retryAfter() string {
	d := fs.f.RetryAfter
	if d <= 0 {
		d = time.Second
	}
	secs := int64(math.Ceil(d.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return strconv.FormatInt(secs, 10)
}

// instrument wraps a route handler with the request counter, the rate
// limit and the faults.
func (s *Server) instrument(endpoint string, write bool, h http.HandlerFunc) http.Handler {
	counter := s.counters[endpoint]
	v1 := strings.HasPrefix(endpoint, "GET /v1/") || strings.HasPrefix(endpoint, "POST /v1/") || strings.HasPrefix(endpoint, "PATCH /v1/")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		counter.Add(1)
		if v1 && s.rateLimited(w, r) {
			return
		}
		fs := s.faults.Load()
		if fs == nil || !fs.appliesTo(endpoint) {
			h(w, r)
			return
		}
		if d := fs.f.Latency; d > 0 {
			// Read the body first: net/http only notices a client that went
			// away (and cancels the context) once the body has been consumed.
			if !prebufferBody(r) {
				return
			}
			if s.wait(r.Context(), d) != nil {
				return
			}
		}
		if fs.take(&fs.dropNow) {
			dropConnection(w)
			return
		}
		if code := fs.draw(); code != 0 {
			if (code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable) && !fs.f.NoRetryAfter {
				w.Header().Set("Retry-After", fs.retryAfter())
			}
			faultError(w, v1, code, fs.f.Code, "injected fault")
			return
		}
		if !write || !fs.commitPending() {
			h(w, r)
			return
		}
		rec := &bufferedResponse{header: http.Header{}}
		h(rec, r)
		if rec.committed && rec.status()/100 == 2 {
			if fs.take(&fs.drops) {
				dropConnection(w)
				return
			}
			if fs.take(&fs.after) {
				code := fs.f.AfterCommitStatus
				if code == 0 {
					code = http.StatusInternalServerError
				}
				faultError(w, v1, code, "", "injected fault after the write was applied")
				return
			}
		}
		rec.flushTo(w)
	})
}

// faultError answers an injected status: v1's error body on a v1 route,
// a plain message elsewhere.
func faultError(w http.ResponseWriter, v1 bool, code int, errCode, why string) {
	msg := http.StatusText(code) + " (" + why + ")"
	if v1 {
		v1Error(w, code, errCode, msg)
		return
	}
	writeJSON(w, code, map[string]any{"success": false, "message": msg})
}

// maxPrebuffer bounds the request body read into memory before a latency
// sleep.
const maxPrebuffer = MaxTempFileSize + 2<<20

// prebufferBody reads r's body into memory (up to maxPrebuffer) and
// replaces it with the buffered copy. It returns false if the body could
// not be read (the client went away).
func prebufferBody(r *http.Request) bool {
	if r.Body == nil || r.Body == http.NoBody {
		return true
	}
	buf, err := io.ReadAll(io.LimitReader(r.Body, maxPrebuffer))
	if err != nil {
		return false
	}
	if len(buf) < maxPrebuffer {
		r.Body = io.NopCloser(bytes.NewReader(buf))
		return true
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(buf), r.Body), r.Body}
	return true
}

// dropConnection closes the client connection without writing a response.
// With a request log, the connection is closed only after the drop is
// logged, so the log never lags behind what the client saw.
func dropConnection(w http.ResponseWriter) {
	sw := markHijacked(w)
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a writer without Hijack: abort the response instead.
		panic(http.ErrAbortHandler)
	}
	if sw != nil {
		sw.conn = conn
		return
	}
	_ = conn.Close()
}

// markHijacked marks w's statusWriter (the request log's), if any, and
// returns it.
func markHijacked(w http.ResponseWriter) *statusWriter {
	for {
		if sw, ok := w.(*statusWriter); ok {
			sw.hijacked = true
			return sw
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return nil
		}
		w = u.Unwrap()
	}
}

// bufferedResponse records a handler's response so it can be dropped after
// the handler committed its write.
type bufferedResponse struct {
	header    http.Header
	code      int
	body      bytes.Buffer
	committed bool
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.code == 0 {
		b.code = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) status() int {
	if b.code == 0 {
		return http.StatusOK
	}
	return b.code
}

func (b *bufferedResponse) flushTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range b.header {
		h[k] = v
	}
	w.WriteHeader(b.status())
	_, _ = w.Write(b.body.Bytes())
}

// committed marks that a write handler stored its write, making the
// response eligible for DropAfterCommit and AfterCommit.
func committed(w http.ResponseWriter) {
	if b, ok := w.(*bufferedResponse); ok {
		b.committed = true
	}
}
