package mockapi

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func tokenRequest(t *testing.T, s *Server, form url.Values, basicUser, basicPass string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", s.TokenURL(), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if raw, ok := strings.CutPrefix(basicUser, "raw:"); ok {
		req.SetBasicAuth(raw, basicPass)
	} else if basicUser != "" {
		req.SetBasicAuth(url.QueryEscape(basicUser), url.QueryEscape(basicPass))
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, m
}

func signAssertion(t *testing.T, key *rsa.PrivateKey, method jwt.SigningMethod, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	var k any = key
	if method == jwt.SigningMethodHS256 {
		k = []byte("secret")
	}
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokenEndpoint(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	s := NewTest(t, Config{
		UPowrClientSecret: "s3cr&t:/+",
		UPowrKeys:         map[string]crypto.PublicKey{"k1": &key.PublicKey},
	})
	claims := func(mut func(c jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{
			"iss": "upowr-client", "sub": "upowr-client", "aud": s.TokenURL(),
			"exp": time.Now().Add(time.Minute).Unix(), "iat": time.Now().Unix(), "jti": "1",
		}
		if mut != nil {
			mut(c)
		}
		return c
	}
	assertion := func(a string) url.Values {
		return url.Values{"grant_type": {"client_credentials"}, "client_assertion_type": {ClientAssertionType}, "client_assertion": {a}}
	}
	secretForm := url.Values{"grant_type": {"client_credentials"}, "client_id": {"upowr-client"}, "client_secret": {"s3cr&t:/+"}}
	tests := []struct {
		name        string
		form        url.Values
		user, pass  string
		rawBasic    bool
		status      int
		errCode     string
		descContain string
	}{
		{name: "form secret", form: secretForm, status: 200},
		{name: "form secret with audience", form: withVal(secretForm, "audience", "https://api.upowr.test"), status: 200},
		{name: "basic auth", form: url.Values{"grant_type": {"client_credentials"}}, user: "upowr-client", pass: "s3cr&t:/+", status: 200},
		{name: "basic auth not url-encoded", form: url.Values{"grant_type": {"client_credentials"}}, user: "upowr-client", pass: "s3cr&t:/+", rawBasic: true, status: 200},
		{name: "jwt assertion", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(nil))), status: 200},
		{name: "jwt aud = server url", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { c["aud"] = s.URL() }))), status: 200},
		{name: "jwt aud list", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { c["aud"] = []string{"x", s.TokenURL()} }))), status: 200},
		{name: "jwt with matching client_id", form: withVal(assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(nil))), "client_id", "upowr-client"), status: 200},
		{name: "wrong secret", form: withVal(secretForm, "client_secret", "nope"), status: 401, errCode: "invalid_client"},
		{name: "wrong client id", form: withVal(secretForm, "client_id", "other"), status: 401, errCode: "invalid_client"},
		{name: "wrong basic", form: url.Values{"grant_type": {"client_credentials"}}, user: "upowr-client", pass: "x", status: 401, errCode: "invalid_client"},
		{name: "no credentials", form: url.Values{"grant_type": {"client_credentials"}}, status: 401, errCode: "invalid_client"},
		{name: "password grant", form: withVal(secretForm, "grant_type", "password"), status: 400, errCode: "unsupported_grant_type"},
		{name: "no grant", form: url.Values{"client_id": {"upowr-client"}, "client_secret": {"s3cr&t:/+"}}, status: 400, errCode: "invalid_request"},
		{name: "jwt unknown kid", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k2", claims(nil))), status: 401, errCode: "invalid_client", descContain: "kid"},
		{name: "jwt no kid", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "", claims(nil))), status: 401, errCode: "invalid_client"},
		{name: "jwt other key", form: assertion(signAssertion(t, other, jwt.SigningMethodRS256, "k1", claims(nil))), status: 401, errCode: "invalid_client"},
		{name: "jwt HS256", form: assertion(signAssertion(t, key, jwt.SigningMethodHS256, "k1", claims(nil))), status: 401, errCode: "invalid_client"},
		{name: "jwt expired", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }))), status: 401, errCode: "invalid_client", descContain: "expired"},
		{name: "jwt no exp", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { delete(c, "exp") }))), status: 401, errCode: "invalid_client"},
		{name: "jwt wrong iss", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { c["iss"] = "x" }))), status: 401, errCode: "invalid_client", descContain: "iss"},
		{name: "jwt wrong sub", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { c["sub"] = "x" }))), status: 401, errCode: "invalid_client"},
		{name: "jwt wrong aud", form: assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(func(c jwt.MapClaims) { c["aud"] = "https://id.core.upowr.cloud/oauth/token" }))), status: 401, errCode: "invalid_client", descContain: "aud"},
		{name: "jwt wrong assertion type", form: withVal(assertion(signAssertion(t, key, jwt.SigningMethodRS256, "k1", claims(nil))), "client_assertion_type", "jwt"), status: 401, errCode: "invalid_client"},
		{name: "jwt garbage", form: assertion("a.b.c"), status: 401, errCode: "invalid_client"},
	}
	issued := 0
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			user, pass := tc.user, tc.pass
			if tc.rawBasic {
				user = "raw:" + user
			}
			status, m := tokenRequest(t, s, tc.form, user, pass)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, m)
			}
			if tc.status == 200 {
				issued++
				tok, _ := m["access_token"].(string)
				if tok == "" || m["token_type"] != "Bearer" || m["expires_in"] != 3600.0 {
					t.Fatalf("token response %v", m)
				}
				// the token opens UPowr routes
				r := send(t, "PATCH", s.UPowrBaseURL()+"/projects/"+newUUID(), tok, map[string]any{"class": "A"})
				if r.status != 404 {
					t.Fatalf("issued token rejected: %d %s", r.status, r.body)
				}
				return
			}
			if m["error"] != tc.errCode {
				t.Fatalf("error %v, want %s (%v)", m["error"], tc.errCode, m)
			}
			if tc.descContain != "" && !contains(m["error_description"].(string), tc.descContain) {
				t.Fatalf("description %q, want %q", m["error_description"], tc.descContain)
			}
		})
	}
	if s.IssuedTokens() != issued || s.Count(EndpointToken) != len(tests) {
		t.Fatalf("IssuedTokens %d want %d; count %d", s.IssuedTokens(), issued, s.Count(EndpointToken))
	}
	// not form-encoded
	r := send(t, "POST", s.TokenURL(), "", `{"grant_type":"client_credentials"}`)
	if r.status != 400 || r.obj(t)["error"] != "invalid_request" {
		t.Fatalf("json token request: %d %s", r.status, r.body)
	}
}

func withVal(v url.Values, k, val string) url.Values {
	c := url.Values{}
	for kk, vv := range v {
		c[kk] = append([]string(nil), vv...)
	}
	c.Set(k, val)
	return c
}

func TestTokenAudience(t *testing.T) {
	s := NewTest(t, Config{UPowrAudience: "https://api.upowr.cloud"})
	base := url.Values{"grant_type": {"client_credentials"}, "client_id": {"upowr-client"}, "client_secret": {"upowr-secret"}}
	for _, tc := range []struct {
		aud    string
		status int
	}{{"https://api.upowr.cloud", 200}, {"https://other", 403}, {"", 403}} {
		f := base
		if tc.aud != "" {
			f = withVal(base, "audience", tc.aud)
		}
		status, m := tokenRequest(t, s, f, "", "")
		if status != tc.status {
			t.Fatalf("audience %q: %d %v", tc.aud, status, m)
		}
		if status == 403 && (m["error"] != "access_denied" || m["error_description"] == "") {
			t.Fatalf("audience %q: %v", tc.aud, m)
		}
	}
	// wrong credentials win over a wrong audience
	if status, m := tokenRequest(t, s, withVal(base, "client_secret", "x"), "", ""); status != 401 || m["error"] != "invalid_client" {
		t.Fatalf("%d %v", status, m)
	}
}

func TestUPowrBearer(t *testing.T) {
	s := NewTest(t, Config{TokenTTL: time.Hour})
	status, m := tokenRequest(t, s, url.Values{"grant_type": {"client_credentials"}, "client_id": {"upowr-client"}, "client_secret": {"upowr-secret"}}, "", "")
	if status != 200 {
		t.Fatal(m)
	}
	issued := m["access_token"].(string)
	path := s.UPowrBaseURL() + "/projects/" + newUUID()
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"static", "upowr-static-token", 404},
		{"issued", issued, 404},
		{"none", "", 401},
		{"wrong", "nope", 401},
		{"pipe token", pipeToken, 401},
	} {
		r := send(t, "PATCH", path, tc.token, map[string]any{})
		if r.status != tc.status {
			t.Fatalf("%s: %d %s", tc.name, r.status, r.body)
		}
		if tc.status == 401 && r.obj(t)["message"] != "Unauthorized" {
			t.Fatalf("%s: %s", tc.name, r.body)
		}
	}
	s.ExpireTokens()
	if r := send(t, "PATCH", path, issued, map[string]any{}); r.status != 401 {
		t.Fatalf("expired token: %d", r.status)
	}
	// short TTL and no static tokens
	s2 := NewTest(t, Config{TokenTTL: 1500 * time.Millisecond, UPowrStaticTokens: []string{}})
	status, m = tokenRequest(t, s2, url.Values{"grant_type": {"client_credentials"}}, "upowr-client", "upowr-secret")
	if status != 200 || m["expires_in"] != 1.0 {
		t.Fatalf("%d %v", status, m)
	}
	if r := send(t, "PATCH", s2.UPowrBaseURL()+"/projects/"+newUUID(), "upowr-static-token", map[string]any{}); r.status != 401 {
		t.Fatalf("static token accepted with none configured: %d", r.status)
	}
}
