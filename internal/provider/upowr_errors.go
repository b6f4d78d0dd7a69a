package provider

import (
	"errors"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

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
