// Package validate holds attribute validators the provider's schemas share,
// and the plain checks behind them (so values from environment variables can
// be checked the same way).
package validate

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
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

// Func is a validator.String made of its description and a check of each
// known value (null and unknown values are not checked). The check adds its
// own diagnostics, attached to the attribute's path p, so a validator words
// its own summaries and may warn instead of refusing.
func Func(description string, check func(p path.Path, s string, diags *diag.Diagnostics)) validator.String {
	return funcValidator{description: description, check: check}
}

type funcValidator struct {
	description string
	check       func(p path.Path, s string, diags *diag.Diagnostics)
}

func (v funcValidator) Description(context.Context) string         { return v.description }
func (v funcValidator) MarkdownDescription(context.Context) string { return v.description }

func (v funcValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, req.ConfigValue.ValueString(), &resp.Diagnostics)
}

// checked is Func for a plain check: its error becomes "Invalid
// <description>" on the attribute.
func checked(description string, check func(string) error) validator.String {
	return Func(description, func(p path.Path, s string, diags *diag.Diagnostics) {
		if err := check(s); err != nil {
			diags.AddAttributeError(p, "Invalid "+description, fmt.Sprintf("%s: %s.", p, err))
		}
	})
}

// BaseURL validates an API base URL (see CheckBaseURL).
func BaseURL() validator.String {
	return checked("base URL (https, or http to a loopback host)", CheckBaseURL)
}

// HTTPURL validates an absolute http(s) URL.
func HTTPURL() validator.String {
	return checked("http(s) URL", CheckHTTPURL)
}

// Duration validates a positive Go duration string.
func Duration() validator.String {
	return checked("duration", CheckDuration)
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

// Trimmed rejects an empty string and one with leading or trailing white
// space: pipe.solar trims what it stores, so such a value would show as a
// difference on every plan.
func Trimmed() validator.String {
	return Func("value must not be empty and must not start or end with white space", func(p path.Path, s string, diags *diag.Diagnostics) {
		switch {
		case strings.TrimSpace(s) == "":
			diags.AddAttributeError(p, "Empty value", fmt.Sprintf("%s must not be empty.", p))
		case strings.TrimSpace(s) != s:
			diags.AddAttributeError(p, "Surrounding white space",
				fmt.Sprintf("%s %q starts or ends with white space; pipe.solar trims it, so the value would never match. "+
					"Write %q.", p, s, strings.TrimSpace(s)))
		}
	})
}

// RFC3339 checks that a string is an RFC 3339 date-time.
func RFC3339() validator.String {
	return Func("value must be an RFC 3339 date-time, like 2026-01-02T15:04:05Z", func(p path.Path, s string, diags *diag.Diagnostics) {
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			diags.AddAttributeError(p, "Invalid RFC 3339 date-time",
				fmt.Sprintf("%s: %q is not an RFC 3339 date-time. Write a date, \"T\", a time and a time zone, like "+
					"\"2026-01-02T15:04:05Z\" or \"2026-01-02T10:04:05-05:00\".", p, s))
		}
	})
}

// JSONObject requires a JSON object (not an array or a scalar).
func JSONObject() validator.String {
	return Func("must be a JSON object", func(p path.Path, s string, diags *diag.Diagnostics) {
		var v any
		if err := json.Unmarshal([]byte(s), &v); err != nil {
			diags.AddAttributeError(p, "Invalid JSON", fmt.Sprintf("%s is not valid JSON: %v. Use jsonencode({...}).", p, err))
			return
		}
		if _, ok := v.(map[string]any); !ok {
			diags.AddAttributeError(p, "Invalid JSON object",
				fmt.Sprintf("%s must be a JSON object ({...}), got %s.", p, strings.TrimSpace(s)))
		}
	})
}
