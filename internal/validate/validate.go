// Package validate holds attribute validators the provider's schemas share,
// and the plain checks behind them (so values from environment variables can
// be checked the same way).
package validate

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// CheckBaseURL reports what is wrong with a base URL: it must be an absolute
// http(s) URL with a host, without user info, query or fragment; plain http
// is allowed only for a loopback host, so tokens never travel in clear text.
func CheckBaseURL(raw string) error {
	if err := CheckHTTPURL(raw); err != nil {
		return err
	}
	u, _ := url.Parse(raw)
	if u.User != nil {
		return fmt.Errorf("%q must not contain user info; credentials belong in their own attributes", redactUser(u))
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q must not have a query string or fragment", raw)
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return fmt.Errorf("%q uses plain http to a host that is not loopback; credentials would travel in clear text. "+
			"Use https (plain http is accepted only for localhost, 127.0.0.0/8 and ::1)", raw)
	}
	return nil
}

// CheckHTTPURL reports whether raw is an absolute http or https URL with a
// host.
func CheckHTTPURL(raw string) error {
	if strings.TrimSpace(raw) != raw || raw == "" {
		return fmt.Errorf("%q is not a URL: it is empty or has surrounding spaces", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a valid URL: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must start with https:// (or http:// for a loopback host)", raw)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%q has no host", raw)
	}
	return nil
}

func redactUser(u *url.URL) string {
	c := *u
	c.User = url.User("***")
	return c.String()
}

// IsLoopbackHost reports whether host is localhost or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckDuration reports whether s is a positive Go duration ("30s", "2m").
func CheckDuration(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration: use a number with a unit, like \"30s\", \"1m30s\" or \"500ms\"", s)
	}
	if d <= 0 {
		return fmt.Errorf("%q must be greater than zero", s)
	}
	return nil
}

// stringCheck adapts a check function to a validator.String.
type stringCheck struct {
	check       func(string) error
	description string
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.description, fmt.Sprintf("%s: %s.", req.Path, err))
	}
}

// BaseURL validates an API base URL (see CheckBaseURL).
func BaseURL() validator.String {
	return stringCheck{check: CheckBaseURL, description: "base URL (https, or http to a loopback host)"}
}

// HTTPURL validates an absolute http(s) URL.
func HTTPURL() validator.String {
	return stringCheck{check: CheckHTTPURL, description: "http(s) URL"}
}

// Duration validates a positive Go duration string.
func Duration() validator.String {
	return stringCheck{check: CheckDuration, description: "duration"}
}

var (
	notBlankPattern = regexp.MustCompile(`\S`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	emailPattern    = regexp.MustCompile(`^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$`)
)

// NotBlank rejects "" and text of only white space: the one rule for ids,
// names and other text that must say something.
func NotBlank() validator.String {
	return stringvalidator.RegexMatches(notBlankPattern, "must not be empty or only white space")
}

// UUID requires a UUID in its canonical text form.
func UUID() validator.String {
	return stringvalidator.RegexMatches(uuidPattern, "must be a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6")
}

// Email requires an email address (surrounding white space is allowed: the
// API trims it).
func Email() validator.String {
	return stringvalidator.RegexMatches(emailPattern, "must be an email address like name@example.com")
}
