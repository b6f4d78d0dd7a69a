package provider

// What to tell the user when a call fails, for both APIs: the diagnostics
// of a failed pipe.solar call and the advice for a failed UPowr call.

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// retiredAPIAdvice says what to do about the retired API, for a 410 answer
// and for a base_url that points at it.
const retiredAPIAdvice = "The old pipe.solar API (https://pipe.solar/api/1.1/...) was retired on 2026-10-11; " +
	"provider 2.x speaks Pipe API v1. Calls to the old API on other host names may still answer \"success\" " +
	"while what they write is lost. Set base_url (or PIPESOLAR_BASE_URL) to " + pipesolar.DefaultBaseURL +
	", or remove it to use that default (the sandbox is " + pipesolar.SandboxBaseURL + ")."

// pipeErrorDiag is the error diagnostic of a failed pipe.solar call:
// summary, and a detail that shows the call, the API's error.code,
// error.message and docs link, and what to do.
func pipeErrorDiag(summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, pipeErrorDetail(err))
}

// pipeAttrErrorDiag is pipeErrorDiag attached to the attribute p.
func pipeAttrErrorDiag(p path.Path, summary string, err error) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(p, summary, pipeErrorDetail(err))
}

// pipeErrorDetail describes a failed pipe.solar call: the endpoint, the
// status, the API's error code, message and docs link, and what to do. It
// never holds the key: the client's errors carry none.
func pipeErrorDetail(err error) string {
	var api *transport.APIError
	if !errors.As(err, &api) {
		return requestErrorDetail(err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", api.Method, api.Endpoint)
	if api.ID != "" {
		fmt.Fprintf(&b, " (id %q)", api.ID)
	}
	fmt.Fprintf(&b, " answered HTTP %d", api.StatusCode)
	if text := http.StatusText(api.StatusCode); text != "" {
		fmt.Fprintf(&b, " %s", text)
	}
	b.WriteString(".\n")
	if api.Code != "" {
		fmt.Fprintf(&b, "error.code: %s\n", api.Code)
	}
	if api.Message != "" {
		fmt.Fprintf(&b, "error.message: %s\n", api.Message)
	}
	if api.Docs != "" {
		fmt.Fprintf(&b, "docs: %s\n", api.Docs)
	}
	fmt.Fprintf(&b, "\n%s", pipeErrorAdvice(api))
	return b.String()
}

// pipeErrorAdvice says what to do about an error answer: one advice per
// status. 401, 403 and an address that is not Pipe API v1 take the client's
// (api.Hint, which its error text carries to every caller); the others the
// provider's, which names the provider's settings.
func pipeErrorAdvice(api *transport.APIError) string {
	write := api.Method != http.MethodGet
	switch api.Kind() {
	case transport.KindGone:
		return retiredAPIAdvice
	case transport.KindNotFound:
		return "No record with this id belongs to the key's company. Check the id (Pipe's id, the old 10-character " +
			"reference and a project's lead id all work) and that api_token is the key of the company that owns the record."
	case transport.KindValidation:
		if !write {
			return "pipe.solar refused the request: correct the value its message names and try again."
		}
		advice := "pipe.solar refused the request: correct the value its message names and apply again."
		if projectWrite(api) {
			advice += " A dealer's key gets this 400 too: stage moves, file adds and project changes need the installer's key."
		}
		return advice
	case transport.KindRateLimited:
		return "The key's budget of 100 calls a minute (shared by every process using the key) stayed used up for " +
			"as long as the provider may wait. Run again later, lower requests_per_second, or set batch_refresh."
	case transport.KindServer:
		if write {
			return "pipe.solar failed after the provider's retries. Every Pipe API v1 write is safe to repeat: apply again later."
		}
		return "pipe.solar failed after the provider's retries. Try again later."
	}
	if api.Hint != "" {
		return api.Hint + "."
	}
	return "Check base_url (" + pipesolar.DefaultBaseURL + " unless you use the sandbox) and try again."
}

// projectWrite reports whether api is the answer to a project write (a
// stage move, a file add, a PATCH of the project): the calls a dealer's key
// is refused with 400.
func projectWrite(api *transport.APIError) bool {
	switch {
	case api.Endpoint == pipesolar.EndpointProjectStage, api.Endpoint == pipesolar.EndpointProjectFiles && api.Method == http.MethodPost:
		return true
	}
	return api.Endpoint == pipesolar.EndpointProject && api.Method == http.MethodPatch
}

// requestErrorDetail describes a failure without an error answer: the call
// never got one, or the client refused to go on.
func requestErrorDetail(err error) string {
	var req *transport.RequestError
	if errors.As(err, &req) {
		return fmt.Sprintf("%v\n\nThe request got no answer from pipe.solar after the provider's retries. Check "+
			"base_url and the network, then try again (every Pipe API v1 write is safe to repeat); raise "+
			"request_timeout or max_retries if the API is slow.", err)
	}
	if transport.KindOf(err) == transport.KindRateLimited {
		return fmt.Sprintf("%v\n\nThe key's budget of 100 calls a minute (shared by every process using the key) "+
			"stayed used up for as long as the provider may wait. Run again later, lower requests_per_second, or "+
			"set batch_refresh.", err)
	}
	return err.Error()
}

// upowrErrorDetail is a failed UPowr call's error followed by what to do
// about it.
func upowrErrorDetail(err error) string {
	return err.Error() + upowrCallAdvice(err)
}

// upowrCallAdvice says what to do about a failed UPowr call.
func upowrCallAdvice(err error) string {
	var auth *transport.AuthError
	if errors.As(err, &auth) {
		return "\n\nThe provider could not get a UPowr access token: check upowr.client_id with upowr.client_secret " +
			"or upowr.private_key and upowr.key_id (UPOWR_CLIENT_ID, UPOWR_CLIENT_SECRET, UPOWR_PRIVATE_KEY, UPOWR_KEY_ID), " +
			"and upowr.token_url / upowr.audience."
	}
	switch transport.KindOf(err) {
	case transport.KindUnauthorized:
		return "\n\nUPowr refused the access token: check upowr.access_token / UPOWR_ACCESS_TOKEN, or the client credentials."
	case transport.KindForbidden:
		return "\n\nUPowr accepted the credentials but does not allow this call: check the API client's permissions in UPowr."
	case transport.KindServer:
		return "\n\nUPowr is failing or overloaded and retries were exhausted. Try again later, or raise max_retries."
	case transport.KindRateLimited:
		return "\n\nUPowr kept refusing calls as over its rate limit for longer than the request could wait. Set " +
			"requests_per_second (PIPESOLAR_REQUESTS_PER_SECOND) lower; see the reliability guide."
	}
	return ""
}
