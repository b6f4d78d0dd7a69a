package upowr

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// Authentication methods, as errors name them.
const (
	MethodAccessToken       = "static access token"
	MethodClientCredentials = "client credentials"
	MethodPrivateKeyJWT     = "private key JWT"
)

// clientAssertionType is RFC 7523's client assertion type.
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// tokenExpiryMargin refreshes a cached token this long before it expires.
const tokenExpiryMargin = 60 * time.Second

// ParsePrivateKey reads an RSA private key from PEM (PKCS #1 or PKCS #8).
// Its errors never contain key material.
func ParsePrivateKey(pemText string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(pemText)))
	if block == nil {
		return nil, errors.New("no PEM block found: want an RSA private key in PEM form (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("PEM block %q is not a PKCS #1 or PKCS #8 private key", block.Type)
	}
	rsaKey, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("the private key is a %T; RS256 needs an RSA key", k)
	}
	return rsaKey, nil
}

// tokenFetcher gets a new token with the caller's context (so cancelling
// Terraform stops a token request, and the request is logged with the
// operation that needed it).
type tokenFetcher func(ctx context.Context) (*oauth2.Token, error)

// tokenFetcherFor returns the fetcher for cfg's method and its name.
func tokenFetcherFor(cfg Config, tokenHTTP *http.Client) (tokenFetcher, string, error) {
	withClient := func(ctx context.Context) context.Context {
		return context.WithValue(transport.Nested(ctx), oauth2.HTTPClient, tokenHTTP)
	}
	params := url.Values{}
	if cfg.Audience != "" {
		params.Set("audience", cfg.Audience)
	}
	switch {
	case cfg.AccessToken != "":
		tok := &oauth2.Token{AccessToken: cfg.AccessToken, TokenType: "Bearer"}
		return func(context.Context) (*oauth2.Token, error) { return tok, nil }, MethodAccessToken, nil
	case cfg.ClientID != "" && cfg.ClientSecret != "":
		cc := &clientcredentials.Config{
			ClientID:       cfg.ClientID,
			ClientSecret:   cfg.ClientSecret,
			TokenURL:       cfg.TokenURL,
			EndpointParams: params,
			AuthStyle:      oauth2.AuthStyleInParams,
		}
		return func(ctx context.Context) (*oauth2.Token, error) { return cc.Token(withClient(ctx)) }, MethodClientCredentials, nil
	case cfg.ClientID != "" && cfg.PrivateKeyPEM != "":
		key, err := ParsePrivateKey(cfg.PrivateKeyPEM)
		if err != nil {
			return nil, "", err
		}
		a := &assertion{cfg: cfg, key: key, params: params}
		return func(ctx context.Context) (*oauth2.Token, error) { return a.token(withClient(ctx)) }, MethodPrivateKeyJWT, nil
	}
	return nil, "", errors.New("no UPowr credentials: set an access token, a client id and secret, or a client id and private key")
}

// tokenCache holds the current token and fetches a new one, once for all
// concurrent callers, when it is missing or about to expire. Waiting for a
// fetch in progress ends when the waiter's context does.
type tokenCache struct {
	fetch tokenFetcher
	sem   chan struct{} // one fetch at a time; guards tok
	tok   *oauth2.Token
}

func newTokenCache(fetch tokenFetcher) *tokenCache {
	return &tokenCache{fetch: fetch, sem: make(chan struct{}, 1)}
}

func (c *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	if c.tok != nil && (c.tok.Expiry.IsZero() || time.Until(c.tok.Expiry) > tokenExpiryMargin) {
		return c.tok, nil
	}
	tok, err := c.fetch(ctx)
	if err != nil {
		return nil, err
	}
	c.tok = tok
	return tok, nil
}

// assertion fetches tokens with a fresh RFC 7523 client assertion (RS256,
// kid header) for every request to the token endpoint.
type assertion struct {
	cfg    Config
	key    crypto.Signer
	params url.Values
}

func (a *assertion) token(ctx context.Context) (*oauth2.Token, error) {
	signed, err := a.sign(time.Now())
	if err != nil {
		return nil, err
	}
	params := url.Values{}
	for k, v := range a.params {
		params[k] = v
	}
	params.Set("client_assertion_type", clientAssertionType)
	params.Set("client_assertion", signed)
	cc := &clientcredentials.Config{
		ClientID:       a.cfg.ClientID,
		TokenURL:       a.cfg.TokenURL,
		EndpointParams: params,
		AuthStyle:      oauth2.AuthStyleInParams,
	}
	return cc.Token(ctx)
}

func (a *assertion) sign(now time.Time) (string, error) {
	jti := make([]byte, 16)
	if _, err := rand.Read(jti); err != nil {
		return "", err
	}
	claims := jwt.RegisteredClaims{
		Issuer:    a.cfg.ClientID,
		Subject:   a.cfg.ClientID,
		Audience:  jwt.ClaimStrings{a.cfg.TokenURL},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-30 * time.Second)),
		ExpiresAt: jwt.NewNumericDate(now.Add(5 * time.Minute)),
		ID:        hex.EncodeToString(jti),
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	if a.cfg.KeyID != "" {
		tok.Header["kid"] = a.cfg.KeyID
	}
	signed, err := tok.SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("signing the client assertion: %w", err)
	}
	return signed, nil
}

// bearer adds the access token to each request. A failure to obtain one is
// an *transport.AuthError naming the method and the token URL.
type bearer struct {
	next     http.RoundTripper
	tokens   *tokenCache
	method   string
	tokenURL string
}

func (b *bearer) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := b.tokens.token(req.Context())
	if err != nil {
		// Nothing of the API request was sent.
		return nil, &transport.NotSentError{Err: b.authError(req.Context(), err)}
	}
	req = req.Clone(req.Context())
	tok.SetAuthHeader(req)
	return b.next.RoundTrip(req)
}

func (b *bearer) authError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%w (while fetching an access token: %v)", ctx.Err(), err) //nolint:errorlint // one cause is enough
	}
	ae := &transport.AuthError{Method: b.method, TokenURL: b.tokenURL, Err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.Response != nil {
			ae.StatusCode = re.Response.StatusCode
		}
		ae.Code = re.ErrorCode
		ae.Description = re.ErrorDescription
		if ae.Code == "" && ae.Description == "" {
			ae.Description = transport.Message(re.Body)
		}
		ae.Err = nil
	}
	return ae
}
