package provider

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// TestUPowrErrorDetail: every UPowr resource explains a failed call the same
// way: UPowr's own error first, then what to do, naming the setting to check.
func TestUPowrErrorDetail(t *testing.T) {
	t.Parallel()
	apiErr := func(status int) error {
		return transport.NewAPIError("UPowr", http.MethodPost, "/projects", status, "refused")
	}
	for name, c := range map[string]struct {
		err    error
		advice string // "" for none
	}{
		"token endpoint": {&transport.AuthError{Method: "client credentials", TokenURL: "https://id.example/oauth/token", StatusCode: 401}, "upowr.client_id"},
		"HTTP 401":       {apiErr(http.StatusUnauthorized), "upowr.access_token"},
		"HTTP 403":       {apiErr(http.StatusForbidden), "permissions in UPowr"},
		"HTTP 500":       {apiErr(http.StatusInternalServerError), "raise max_retries"},
		"HTTP 429":       {apiErr(http.StatusTooManyRequests), "requests_per_second"},
		"HTTP 400":       {apiErr(http.StatusBadRequest), ""},
		"other":          {errors.New("boom"), ""},
	} {
		got := upowrErrorDetail(c.err)
		if !strings.HasPrefix(got, c.err.Error()) {
			t.Errorf("%s: %q does not start with UPowr's error %q", name, got, c.err.Error())
		}
		if advice := strings.TrimPrefix(got, c.err.Error()); (c.advice == "") != (advice == "") || !strings.Contains(advice, c.advice) {
			t.Errorf("%s: advice %q, want one mentioning %q", name, advice, c.advice)
		}
	}
}
