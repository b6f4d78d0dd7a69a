package validate

import (
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	t.Parallel()
	cases := map[string]string{ // URL -> substring of the error, "" = valid
		"https://pipe.solar/api/1.1/wf":  "",
		"http://127.0.0.1:8080/x":        "",
		"http://127.8.9.10/x":            "",
		"http://localhost:1/":            "",
		"http://[::1]:9000/api":          "",
		"http://pipe.solar/api":          "not loopback",
		"http://10.0.0.1/api":            "not loopback",
		"http://localhost.evil.com/":     "not loopback",
		"ftp://pipe.solar":               "must start with https://",
		"pipe.solar/api":                 "must start with https://",
		"https://":                       "has no host",
		"":                               "empty",
		" https://pipe.solar":            "surrounding spaces",
		"https://user:pw@pipe.solar/api": "user info",
		"https://pipe.solar/api?x=1":     "query string",
	}
	for raw, want := range cases {
		t.Run(raw, func(t *testing.T) {
			t.Parallel()
			err := CheckBaseURL(raw)
			switch {
			case want == "" && err != nil:
				t.Fatalf("CheckBaseURL(%q) = %v, want valid", raw, err)
			case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
				t.Fatalf("CheckBaseURL(%q) = %v, want an error containing %q", raw, err, want)
			case err != nil && strings.Contains(err.Error(), "pw"):
				t.Fatalf("error echoes the password: %v", err)
			}
		})
	}
}

func TestCheckDuration(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{"30s": true, "1m30s": true, "500ms": true, "30": false, "0s": false, "-1s": false, "soon": false} {
		if err := CheckDuration(in); (err == nil) != ok {
			t.Errorf("CheckDuration(%q) = %v, want ok=%v", in, err, ok)
		}
	}
}
