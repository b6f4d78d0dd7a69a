package validate

// The rules of the provider's own attributes (e-mail addresses, regions,
// file URLs and folders, install dates, base URLs of the retired API). The
// data they check against that belongs to another package (Pipe API v1's
// folders, the advice about the retired API) is passed in, so this package
// imports none of the provider's.

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// EmailOrEmpty accepts an e-mail address, or "" (which clears the value).
// Surrounding white space is allowed: pipe.solar trims it.
func EmailOrEmpty() validator.String {
	return Func("an e-mail address, or \"\" to clear it", func(p path.Path, s string, diags *diag.Diagnostics) {
		if s == "" {
			return
		}
		at := strings.Index(s, "@")
		if at < 1 || at == len(s)-1 || strings.ContainsAny(strings.TrimSpace(s), " \t\n") || !strings.Contains(s[at:], ".") {
			diags.AddAttributeError(p, "Invalid e-mail address",
				fmt.Sprintf("%s must be an e-mail address like name@example.com, or \"\" to clear it; got %q.", p, s))
		}
	})
}

// Region accepts a US state or Canadian province pipe.solar takes, by code
// or name in any case (see RegionCode).
func Region() validator.String {
	return Func("a US state or Canadian province, by code or name", func(p path.Path, s string, diags *diag.Diagnostics) {
		if _, ok := RegionCode(s); !ok {
			diags.AddAttributeError(p, "Unknown state or province",
				fmt.Sprintf("%s must be a US state or Canadian province pipe.solar takes, by code or name (for example "+
					"\"CA\", \"California\", \"ON\"); got %q.", p, s))
		}
	})
}

// PublicFileURL accepts the URL of a file pipe.solar can copy: a public
// https address, with a host name that is not an IP address nor a private
// name (no dot, or a suffix such as .local or .internal), and no user info.
func PublicFileURL() validator.String {
	return Func("a public https URL (no IP address, no private host, no user info)",
		func(p path.Path, v string, diags *diag.Diagnostics) {
			if err := checkPublicFileURL(v); err != nil {
				diags.AddAttributeError(p, "Invalid file URL", fmt.Sprintf("%s %q %s.", p, v, err))
			}
		})
}

// checkPublicFileURL reports why raw cannot be a file URL for pipe.solar,
// which copies only public https addresses: no IP address, no private host
// name, no user info.
func checkPublicFileURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || strings.TrimSpace(raw) != raw:
		return fmt.Errorf("is not a URL")
	case u.Scheme != "https":
		return fmt.Errorf("must start with https:// (pipe.solar copies files only from public https addresses)")
	case u.User != nil:
		return fmt.Errorf("must not hold a user name or password: pipe.solar copies files only from addresses that open without signing in")
	case u.Hostname() == "":
		return fmt.Errorf("has no host")
	case net.ParseIP(u.Hostname()) != nil:
		return fmt.Errorf("must name its host, not an IP address (pipe.solar refuses IP addresses)")
	case privateHostName(u.Hostname()):
		return fmt.Errorf("must name a public host; %q is a private name pipe.solar cannot reach", u.Hostname())
	}
	return nil
}

// privateHostName reports a host name that only a private network
// resolves: one without a dot, or under a suffix reserved for such names.
func privateHostName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if !strings.Contains(h, ".") {
		return true
	}
	for _, suffix := range []string{".localhost", ".local", ".internal", ".lan", ".home.arpa", ".corp", ".intranet"} {
		if strings.HasSuffix(h, suffix) {
			return true
		}
	}
	return false
}

// UniqueAttribute refuses a list of objects in which two elements have the
// same known value of the string attribute name. Each repeat gets an error
// with the given summary, on its own attribute (list[i].name), whose
// detail names the first element with that value and ends with advice
// (why it matters, what to do): `<path> "<value>" is also the <name> of
// <first element>. <advice>`. description describes the rule.
func UniqueAttribute(name, description, summary, advice string) validator.List {
	return uniqueAttribute{name: name, description: description, summary: summary, advice: advice}
}

type uniqueAttribute struct {
	name, description, summary, advice string
}

func (v uniqueAttribute) Description(context.Context) string         { return v.description }
func (v uniqueAttribute) MarkdownDescription(context.Context) string { return v.description }

func (v uniqueAttribute) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	first := map[string]int{}
	for i, el := range req.ConfigValue.Elements() {
		obj, ok := el.(types.Object)
		if !ok || obj.IsNull() || obj.IsUnknown() {
			continue
		}
		s, ok := obj.Attributes()[v.name].(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if j, dup := first[s.ValueString()]; dup {
			p := req.Path.AtListIndex(i).AtName(v.name)
			resp.Diagnostics.AddAttributeError(p, v.summary,
				fmt.Sprintf("%s %q is also the %s of %s. %s", p, s.ValueString(), v.name, req.Path.AtListIndex(j), v.advice))
			continue
		}
		first[s.ValueString()] = i
	}
}

// Folder accepts one of Pipe API v1's folders. For a value that is a key
// of v0Folders (provider 1.x's folder_id, mapped to its v1 folder), the
// error also names the v1 folder to write instead.
func Folder(folders []string, v0Folders map[string]string) validator.String {
	return Func("one of "+strings.Join(folders, ", "),
		func(p path.Path, v string, diags *diag.Diagnostics) {
			if slices.Contains(folders, v) {
				return
			}
			hint := ""
			if folder, ok := v0Folders[v]; ok {
				hint = fmt.Sprintf(" %q is provider 1.x's folder_id for the folder Pipe API v1 calls %q.", v, folder)
			}
			diags.AddAttributeError(p, "Invalid folder", fmt.Sprintf("%s %q is not a Pipe API v1 folder.%s Use one of %s.",
				p, v, hint, strings.Join(folders, ", ")))
		})
}

// InstallDate accepts a day as YYYY-MM-DD, or "" for no install date.
func InstallDate() validator.String {
	return Func(`a day as YYYY-MM-DD, or "" for none`, func(p path.Path, s string, diags *diag.Diagnostics) {
		if s == "" {
			return
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil || len(s) != len(time.DateOnly) {
			diags.AddAttributeError(p, "Invalid date",
				fmt.Sprintf("%s must be a day written YYYY-MM-DD, for example 2027-03-15, or \"\" for no install date; got %q.", p, s))
		}
	})
}

// NotRetiredAPI refuses a base URL of pipe.solar's retired API (see
// CheckNotRetiredAPI) at validate and plan time, on its attribute; advice
// says what to set instead.
func NotRetiredAPI(advice string) validator.String {
	return Func("must not be an address of the retired API (a path holding /api/1.1/)",
		func(p path.Path, v string, diags *diag.Diagnostics) {
			if err := CheckNotRetiredAPI(v, advice); err != nil {
				diags.AddAttributeError(p, "Retired pipe.solar API", fmt.Sprintf("%s: %v", p, err))
			}
		})
}

// CheckNotRetiredAPI refuses a base URL of pipe.solar's retired API: one
// whose path holds /api/1.1/ (in any case, on any host). The error names
// the URL and ends with advice. A URL that does not parse is CheckBaseURL's
// to report, not this check's.
func CheckNotRetiredAPI(raw, advice string) error {
	if !retiredAPIPath(raw) {
		return nil
	}
	return fmt.Errorf("%q is an address of the old pipe.solar API. %s", raw, advice)
}

// retiredAPIPath reports whether raw's path holds /api/1.1/.
func retiredAPIPath(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && strings.Contains(strings.ToLower(u.Path)+"/", "/api/1.1/")
}
