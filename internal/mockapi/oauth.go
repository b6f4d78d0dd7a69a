package mockapi

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ClientAssertionType is the RFC 7523 client_assertion_type value.
const ClientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

type oauthState struct {
	mu     sync.Mutex
	tokens map[string]time.Time // access token -> expiry
	issued int
}

func (o *oauthState) init() { o.tokens = map[string]time.Time{} }

// IssuedTokens returns the number of access tokens the token endpoint issued.
func (s *Server) IssuedTokens() int {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	return s.oauth.issued
}

// ExpireTokens makes every access token issued so far expired, as if
// TokenTTL had passed.
func (s *Server) ExpireTokens() {
	s.oauth.mu.Lock()
	defer s.oauth.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for k := range s.oauth.tokens {
		s.oauth.tokens[k] = past
	}
}

func (s *Server) issueToken() (string, time.Duration) {
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := "upowr_at_" + hex.EncodeToString(b[:])
	now := time.Now()
	s.oauth.mu.Lock()
	if len(s.oauth.tokens) > 1024 {
		for k, exp := range s.oauth.tokens {
			if now.After(exp) {
				delete(s.oauth.tokens, k)
			}
		}
	}
	s.oauth.tokens[tok] = now.Add(s.cfg.TokenTTL)
	s.oauth.issued++
	s.oauth.mu.Unlock()
	return tok, s.cfg.TokenTTL
}

// validUPowrToken reports whether tok is an unexpired issued token or a
// static token.
func (s *Server) validUPowrToken(tok string) bool {
	for _, st := range s.cfg.UPowrStaticTokens {
		if st != "" && subtle.ConstantTimeCompare([]byte(st), []byte(tok)) == 1 {
			return true
		}
	}
	s.oauth.mu.Lock()
	exp, ok := s.oauth.tokens[tok]
	s.oauth.mu.Unlock()
	return ok && time.Now().Before(exp)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	body := map[string]any{"error": code}
	if desc != "" {
		body["error_description"] = desc
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="upowr"`)
	}
	writeJSON(w, status, body)
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Content-Type must be application/x-www-form-urlencoded")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	form := r.PostForm
	switch gt := form.Get("grant_type"); gt {
	case "client_credentials":
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "missing grant_type")
		return
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant type %q is not supported", gt))
		return
	}
	if err := s.authenticateClient(r, form); err != nil {
		oauthError(w, http.StatusUnauthorized, "invalid_client", err.Error())
		return
	}
	if s.cfg.UPowrAudience != "" && form.Get("audience") != s.cfg.UPowrAudience {
		oauthError(w, http.StatusForbidden, "access_denied",
			fmt.Sprintf("Service not enabled within domain: %s", form.Get("audience")))
		return
	}
	tok, ttl := s.issueToken()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "Bearer",
		"expires_in":   max(int64(ttl/time.Second), 1),
	})
}

// authenticateClient checks HTTP Basic, client_secret in the form, or a
// private_key_jwt client assertion.
func (s *Server) authenticateClient(r *http.Request, form url.Values) error {
	if user, pass, ok := r.BasicAuth(); ok {
		if form.Get("client_assertion") != "" {
			return errors.New("multiple client authentication methods used")
		}
		// RFC 6749 §2.3.1: both parts are form-urlencoded before Basic
		// encoding (golang.org/x/oauth2 does); curl -u does not. Accept both.
		if s.checkSecret(user, pass) == nil {
			return nil
		}
		u, err1 := url.QueryUnescape(user)
		p, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return errors.New("wrong client_id or client_secret")
		}
		return s.checkSecret(u, p)
	}
	if a := form.Get("client_assertion"); a != "" {
		if form.Get("client_assertion_type") != ClientAssertionType {
			return fmt.Errorf("client_assertion_type must be %s", ClientAssertionType)
		}
		if form.Get("client_secret") != "" {
			return errors.New("multiple client authentication methods used")
		}
		return s.checkAssertion(r, a, form.Get("client_id"))
	}
	if form.Get("client_id") == "" {
		return errors.New("client authentication required (client_secret, HTTP Basic or client_assertion)")
	}
	return s.checkSecret(form.Get("client_id"), form.Get("client_secret"))
}

func (s *Server) checkSecret(id, secret string) error {
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.cfg.UPowrClientID)) == 1
	secOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.UPowrClientSecret)) == 1
	if !idOK || !secOK {
		return errors.New("wrong client_id or client_secret")
	}
	return nil
}

func (s *Server) checkAssertion(r *http.Request, assertion, formClientID string) error {
	claims := &jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(assertion, claims, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("client assertion has no kid header")
		}
		k, ok := s.cfg.UPowrKeys[kid]
		if !ok {
			return nil, fmt.Errorf("unknown kid %q", kid)
		}
		switch pk := k.(type) {
		case *rsa.PublicKey:
			return pk, nil
		case rsa.PublicKey:
			return &pk, nil
		case *rsa.PrivateKey:
			return &pk.PublicKey, nil
		}
		return nil, fmt.Errorf("key for kid %q is not an RSA public key", kid)
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithExpirationRequired())
	if err != nil {
		return fmt.Errorf("invalid client assertion: %w", err)
	}
	id := s.cfg.UPowrClientID
	if claims.Issuer != id || claims.Subject != id {
		return fmt.Errorf("invalid client assertion: iss and sub must be the client id (got iss %q, sub %q)", claims.Issuer, claims.Subject)
	}
	if formClientID != "" && formClientID != id {
		return errors.New("invalid client assertion: client_id does not match")
	}
	accepted := map[string]bool{}
	for _, u := range []string{s.TokenURL(), s.URL(), "http://" + r.Host + "/oauth/token", "http://" + r.Host} {
		accepted[strings.TrimRight(u, "/")] = true
	}
	for _, a := range claims.Audience {
		if accepted[strings.TrimRight(a, "/")] {
			return nil
		}
	}
	return fmt.Errorf("invalid client assertion: aud %v does not name the token URL %s", []string(claims.Audience), s.TokenURL())
}
