package transport

import (
	"context"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// LogSubsystem is the tflog subsystem of the HTTP stack; its level follows
// TF_LOG_PROVIDER_PIPESOLAR_HTTP, then TF_LOG_PROVIDER / TF_LOG.
const LogSubsystem = "http"

// logging writes one line per attempt. It runs above the auth layer, so the
// request it sees carries no Authorization header, and it never logs bodies
// or headers; the configured secrets are masked anyway, in case one appears
// in a URL or an error.
type logging struct {
	next    http.RoundTripper
	secrets []string
}

func (l *logging) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := l.maskedContext(req.Context())
	start := time.Now()
	resp, err := l.next.RoundTrip(req)
	fields := map[string]any{
		"method":      req.Method,
		"url":         redact(req),
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.SubsystemDebug(ctx, LogSubsystem, "HTTP request failed", fields)
		return resp, err
	}
	fields["status"] = resp.StatusCode
	tflog.SubsystemDebug(ctx, LogSubsystem, "HTTP request", fields)
	return resp, err
}

func (l *logging) maskedContext(ctx context.Context) context.Context {
	ctx = tflog.NewSubsystem(ctx, LogSubsystem)
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, LogSubsystem, "Authorization", "authorization", "api_token", "client_secret", "access_token")
	if len(l.secrets) > 0 {
		ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, LogSubsystem, l.secrets...)
		ctx = tflog.SubsystemMaskMessageStrings(ctx, LogSubsystem, l.secrets...)
	}
	return ctx
}

// redact returns the URL without user info or query values that could be
// sensitive; query keys are kept so the log still says what was asked.
func redact(req *http.Request) string {
	u := *req.URL
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			switch k {
			case "token", "access_token", "api_token", "client_secret":
				q.Set(k, "***")
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// logRetry is go-retryablehttp's RequestLogHook: it forwards retries to
// tflog with the request's own context (the hook gets no logger of ours),
// masked like every other line.
func (l *logging) logRetry(_ retryablehttp.Logger, req *http.Request, attempt int) {
	if attempt == 0 {
		return
	}
	tflog.SubsystemWarn(l.maskedContext(req.Context()), LogSubsystem, "retrying HTTP request", map[string]any{
		"method":  req.Method,
		"url":     redact(req),
		"attempt": attempt + 1,
	})
}

// logThrottle records a 429 that the throttle layer is about to wait out.
func (l *logging) logThrottle(req *http.Request, refusals int, retryAfter time.Duration, hasRetryAfter bool) {
	fields := map[string]any{
		"method":   req.Method,
		"url":      redact(req),
		"refusals": refusals,
	}
	msg := "rate limited (HTTP 429 without Retry-After): waiting for the shared call budget"
	if hasRetryAfter {
		msg = "rate limited (HTTP 429): waiting for Retry-After"
		fields["retry_after_ms"] = retryAfter.Milliseconds()
	}
	tflog.SubsystemWarn(l.maskedContext(req.Context()), LogSubsystem, msg, fields)
}
