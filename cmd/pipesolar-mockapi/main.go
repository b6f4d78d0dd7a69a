// Command pipesolar-mockapi runs the in-memory Pipe API v1 + UPowr mock API
// (package internal/mockapi) on a loopback address, for trying the provider
// by hand, demos, scripts, and users' own `terraform test` runs in CI (it is
// released as an archive of its own; see docs/guides/testing.md).
package main

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// keyFlags collects -upowr-key kid=path.pem values.
type keyFlags map[string]string

func (k keyFlags) String() string {
	var parts []string
	for kid, p := range k {
		parts = append(parts, kid+"="+p)
	}
	return strings.Join(parts, ",")
}

func (k keyFlags) Set(v string) error {
	kid, path, ok := strings.Cut(v, "=")
	if !ok || kid == "" || path == "" {
		return errors.New("want kid=path/to/public.pem")
	}
	k[kid] = path
	return nil
}

// version is set by goreleaser through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "pipesolar-mockapi:", err)
		os.Exit(1)
	}
}

func splitList(s string, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// run serves until ctx is done (main: SIGINT or SIGTERM).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pipesolar-mockapi", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		listen       = fs.String("listen", "127.0.0.1:0", "listen address; the host must be loopback (127.0.0.1, ::1, localhost)")
		installerKey = fs.String("installer-key", mockapi.DefaultInstallerKey, "the installer company's Pipe API v1 key (Authorization: Bearer ...); the provider's api_token")
		dealerKey    = fs.String("dealer-key", mockapi.DefaultDealerKey, "a dealer company's key: reads its own projects and leads, 403 on stages and the catalogue, 400 on project writes (- = none)")
		company      = fs.String("company", mockapi.DefaultCompanyName, "the installer company's name (GET /v1/me)")
		clientID     = fs.String("client-id", "upowr-client", "UPowr OAuth client_id")
		clientSecret = fs.String("client-secret", "upowr-secret", "UPowr OAuth client_secret")
		audience     = fs.String("audience", "", "if set, the token request's audience must equal it")
		staticTokens = fs.String("static-tokens", "upowr-static-token", "comma-separated UPowr bearer tokens accepted without OAuth (\"\" = none)")
		tokenTTL     = fs.Duration("token-ttl", time.Hour, "lifetime of issued UPowr access tokens")
		seedN        = fs.Int("seed-projects", 0, "seed N realistic projects (with old references) at start")
		urlFile      = fs.String("url-file", "", "write the base URL to this file once listening (removed on exit)")
		quiet        = fs.Bool("quiet", false, "do not log requests to stderr")

		reformatPhone  = fs.Bool("reformat-phone", false, "silent choice: store lead phones as (602) 555-0199")
		stateAsCode    = fs.Bool("state-as-code", false, "silent choice: store a state's name as its code (California → CA)")
		lowercaseEmail = fs.Bool("lowercase-email", false, "silent choice: store e-mails in lower case")
		trimSpaces     = fs.Bool("trim-spaces", false, "silent choice: store text without surrounding spaces")

		latency     = fs.Duration("latency", 0, "fault: delay before each request")
		rate500     = fs.Float64("rate-500", 0, "fault: fraction of requests answered 500")
		rate429     = fs.Float64("rate-429", 0, "fault: fraction of requests answered 429 + Retry-After")
		rate503     = fs.Float64("rate-503", 0, "fault: fraction of requests answered 503 + Retry-After")
		retryAfter  = fs.Duration("retry-after", time.Second, "fault: Retry-After of injected 429s and 503s")
		faultSeed   = fs.Int64("fault-seed", 1, "fault: random seed")
		drops       = fs.Int("drop-after-commit", 0, "fault: apply the next N writes, then drop the connection")
		afterCommit = fs.Int("after-commit", 0, "fault: apply the next N writes, then answer 500")
		rateLimit   = fs.Int("rate-limit", 0, "per-key rate limit: Pipe API v1 calls per -rate-window (v1's is 100 a minute; 0 = none); over it, 429 rate_limited with Retry-After")
		rateWindow  = fs.Duration("rate-window", time.Minute, "length of the -rate-limit window")
		faultEPs    = fs.String("fault-endpoints", "", "fault: comma-separated endpoint keys the faults apply to (default all but the token endpoint)")
	)
	keys := keyFlags{}
	fs.Var(keys, "upowr-key", "kid=path.pem: RSA public key (PEM, PKIX or PKCS#1) accepted for private_key_jwt client assertions; repeatable")
	pf := addProductFlags(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageIntro)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s%s\n%s\nEndpoint keys (for -fault-endpoints and /_mock/counts):\n  %s\n",
			mockapi.AdminHelp, mockapi.StateAdminHelp, mockapi.SeedFileHelp, strings.Join(mockapi.AllEndpoints, "\n  "))
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if pf.version {
		fmt.Fprintln(stdout, "pipesolar-mockapi", version)
		return nil
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if err := mockapi.CheckLoopback(*listen); err != nil {
		return err
	}

	cfg := mockapi.Config{
		InstallerKey:      *installerKey,
		DealerKey:         *dealerKey,
		CompanyName:       *company,
		UPowrClientID:     *clientID,
		UPowrClientSecret: *clientSecret,
		UPowrAudience:     *audience,
		UPowrStaticTokens: append([]string{}, splitList(*staticTokens, ",")...),
		TokenTTL:          *tokenTTL,
	}
	if len(keys) > 0 {
		cfg.UPowrKeys = map[string]crypto.PublicKey{}
		for kid, path := range keys {
			k, err := readPublicKey(path)
			if err != nil {
				return fmt.Errorf("-upowr-key %s: %w", kid, err)
			}
			cfg.UPowrKeys[kid] = k
		}
	}
	if !*quiet {
		logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
		cfg.Logf = logger.Printf
	}
	s := mockapi.New(cfg)

	s.SetPipeBehaviour(mockapi.PipeBehaviour{
		ReformatPhone: *reformatPhone, StateAsCode: *stateAsCode, LowercaseEmail: *lowercaseEmail, TrimSpaces: *trimSpaces,
	})
	f := mockapi.Faults{
		Seed: *faultSeed, Latency: *latency, Rate500: *rate500, Rate429: *rate429, Rate503: *rate503,
		RetryAfter: *retryAfter, DropAfterCommit: *drops, AfterCommit: *afterCommit, Endpoints: splitList(*faultEPs, ","),
	}
	for _, e := range f.Endpoints {
		known := false
		for _, k := range mockapi.AllEndpoints {
			known = known || k == e
		}
		if !known {
			return fmt.Errorf("-fault-endpoints: unknown endpoint %q", e)
		}
	}
	s.SetFaults(f)
	if *rateLimit < 0 || *rateWindow <= 0 {
		return fmt.Errorf("-rate-limit must be >= 0 and -rate-window > 0")
	}
	s.SetRateLimit(mockapi.RateLimit{Calls: *rateLimit, Window: *rateWindow})

	if err := pf.setup(s, stderr); err != nil {
		return err
	}
	if *seedN > 0 {
		s.SeedRandomProjects(*seedN)
	}

	url, err := s.Start(*listen)
	if err != nil {
		return err
	}
	if *urlFile != "" {
		if err := writeFileAtomic(*urlFile, url+"\n"); err != nil {
			s.Close()
			return fmt.Errorf("-url-file: %w", err)
		}
		defer os.Remove(*urlFile)
	}
	if err := pf.writeEnvFile(s); err != nil {
		s.Close()
		return err
	}
	defer pf.removeEnvFile()
	printBanner(stdout, s, s.Config(), *seedN)

	<-ctx.Done()
	fmt.Fprintln(stderr, "pipesolar-mockapi: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		s.Close()
	}
	return pf.shutdown(s, stderr)
}

func readPublicKey(path string) (crypto.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	switch block.Type {
	case "PUBLIC KEY":
		return x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	}
	return nil, fmt.Errorf("unsupported PEM block %q (want PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE)", block.Type)
}

func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockapi-url-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func printBanner(w io.Writer, s *mockapi.Server, cfg mockapi.Config, seeded int) {
	audience := ""
	if cfg.UPowrAudience != "" {
		audience = fmt.Sprintf("    audience      = %q\n", cfg.UPowrAudience)
	}
	seedNote := ""
	if seeded > 0 {
		seedNote = fmt.Sprintf("Seeded %d projects.\n", seeded)
	}
	dealer := ""
	if k := s.DealerKey(); k != "" {
		dealer = fmt.Sprintf("  dealer key:          %s\n", k)
	}
	key := s.InstallerKey()
	fmt.Fprintf(w, `pipesolar-mockapi listening on %s
  Pipe API v1 base URL: %s
  installer key:        %s
%s  retired API (410):    %s
  UPowr base URL:       %s
  UPowr token URL:      %s
%s
Point the provider at it with these environment variables:
%s
or with this provider block:

provider "pipesolar" {
  base_url  = %q
  api_token = %q
  upowr = {
    base_url      = %q
    token_url     = %q
    client_id     = %q
    client_secret = %q
%s  }
}

Examples:
  curl -s -H 'Authorization: Bearer %s' '%s/projects?limit=5'
  curl -s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \
    -d '{"stage": "NTP"}' '%s/projects/<id>/stage'
  curl -s -d grant_type=client_credentials -d client_id=%s -d client_secret=%s '%s'
  curl -s '%s/_mock/state'
  curl -s -X PUT -d '{"rate_429":0.2,"latency":"50ms"}' '%s/_mock/faults'

Press Ctrl-C to stop.
`,
		s.URL(), s.PipeBaseURL(), key, dealer, s.RetiredBaseURL(), s.UPowrBaseURL(), s.TokenURL(), seedNote, exportLines(s),
		s.PipeBaseURL(), key, s.UPowrBaseURL(), s.TokenURL(), cfg.UPowrClientID, cfg.UPowrClientSecret, audience,
		key, s.PipeBaseURL(), key, s.PipeBaseURL(),
		cfg.UPowrClientID, cfg.UPowrClientSecret, s.TokenURL(),
		s.URL(), s.URL())
}
