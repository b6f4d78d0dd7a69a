package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// usageIntro opens -help.
const usageIntro = `Usage: pipesolar-mockapi [flags]

Runs an in-memory mock of Pipe API v1 and the UPowr API, for trying the
pipesolar Terraform provider and for testing Terraform configurations
(terraform test) without touching the real services. It listens on a
loopback address only (127.0.0.1 by default, on a free port), prints its URL
and the provider's environment variables (PIPESOLAR_BASE_URL,
PIPESOLAR_API_TOKEN, UPOWR_BASE_URL, UPOWR_TOKEN_URL, UPOWR_CLIENT_ID,
UPOWR_CLIENT_SECRET), and serves until SIGINT (Ctrl-C) or SIGTERM.

Routes: Pipe API v1 under /v1 (base_url = <url>/v1), the retired API under
/api/1.1/ (every call answers 410 moved), UPowr under /upowr, the OAuth token
endpoint at /oauth/token, test controls under /_mock (see below).

It answers as Pipe's published v1 specification states: every key the
schemas require (null where empty), strict bodies (an unknown field is 400),
real statuses with {"error": {"code", "message", "docs"}}, pages with
limit/cursor, an installer key and a dealer key, old references that still
resolve. What the specification leaves open (re-formatting what it stores)
is switchable (-reformat-phone, ...), and faults can be injected
(-rate-429, -latency, ...). Projects are made in the app, never through the
API: seed them (-seed, -seed-projects).

Starting from a known company, for CI:
  pipesolar-mockapi -seed tests/mock-org.json -env-file mock.env &
  # wait for mock.env to appear, then: set -a; . ./mock.env; set +a
  terraform test
Keep what a run changed with -save-state (written on exit) and start the
next run from it with -load-state.

Flags:
`

// productFlags are the switches for using the mock outside this repository:
// seeding, state files, the environment file and -version.
type productFlags struct {
	seedFile, loadState, saveState, envFile string
	version                                 bool
	envWritten                              bool
}

func addProductFlags(fs *flag.FlagSet) *productFlags {
	p := &productFlags{}
	fs.StringVar(&p.seedFile, "seed", "", "at start, apply the seed document `FILE` (format below): company, keys, members, stages, leads, projects (with old references); applied after -load-state")
	fs.StringVar(&p.seedFile, "seed-file", "", "the same as -seed (`FILE`), its 1.x name")
	fs.StringVar(&p.loadState, "load-state", "", "at start, load the whole state (company, keys, stages, leads, projects, files, activities; UPowr projects, charges, files) from `FILE`, written by -save-state or GET /_mock/export")
	fs.StringVar(&p.saveState, "save-state", "", "on exit (SIGINT/SIGTERM), write the whole state to `FILE` (the format -load-state reads; also a valid -seed document); request counters, faults, the rate limit and tokens are not saved")
	fs.StringVar(&p.envFile, "env-file", "", "once listening, write the provider's environment variables (and PIPESOLAR_MOCK_URL, the mock's root URL) to `FILE` as KEY=value lines, for a shell (set -a; . FILE; set +a) or to append to $GITHUB_ENV; removed on exit, so never point it at $GITHUB_ENV itself")
	fs.BoolVar(&p.version, "version", false, "print the version and exit")
	return p
}

// setup loads the state file, then the seed file.
func (p *productFlags) setup(s *mockapi.Server, log io.Writer) error {
	if p.loadState != "" {
		if err := s.LoadStateFile(p.loadState); err != nil {
			return fmt.Errorf("-load-state: %w", err)
		}
		fmt.Fprintf(log, "pipesolar-mockapi: loaded %d projects, %d leads and %d UPowr projects from %s\n",
			len(s.ProjectIDs()), len(s.LeadIDs()), len(s.UPowrProjects()), p.loadState)
	}
	if p.seedFile != "" {
		res, err := s.SeedFile(p.seedFile)
		if err != nil {
			return fmt.Errorf("-seed: %w", err)
		}
		fmt.Fprintf(log, "pipesolar-mockapi: seeded %d leads and %d projects from %s: %s\n",
			len(res.Leads), len(res.Projects), p.seedFile, strings.Join(append(res.Leads, res.Projects...), ", "))
	}
	return nil
}

// envVars are the provider settings that point it at s.
func envVars(s *mockapi.Server) [][2]string {
	cfg := s.Config()
	vars := [][2]string{
		{"PIPESOLAR_BASE_URL", s.PipeBaseURL()},
		{"PIPESOLAR_API_TOKEN", s.InstallerKey()},
		{"UPOWR_BASE_URL", s.UPowrBaseURL()},
		{"UPOWR_TOKEN_URL", s.TokenURL()},
		{"UPOWR_CLIENT_ID", cfg.UPowrClientID},
		{"UPOWR_CLIENT_SECRET", cfg.UPowrClientSecret},
	}
	if cfg.UPowrAudience != "" {
		vars = append(vars, [2]string{"UPOWR_AUDIENCE", cfg.UPowrAudience})
	}
	// Not a provider setting: where scripts find the /_mock routes.
	return append(vars, [2]string{"PIPESOLAR_MOCK_URL", s.URL()})
}

// shellQuote quotes v for a POSIX shell.
func shellQuote(v string) string { return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'" }

// exportLines are the banner's `export KEY='value'` lines.
func exportLines(s *mockapi.Server) string {
	var b strings.Builder
	for _, kv := range envVars(s) {
		fmt.Fprintf(&b, "  export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	return b.String()
}

func (p *productFlags) writeEnvFile(s *mockapi.Server) error {
	if p.envFile == "" {
		return nil
	}
	var b strings.Builder
	for _, kv := range envVars(s) {
		// KEY=value lines are read both by a shell and by GitHub's
		// $GITHUB_ENV, which takes no quoting: refuse what either would
		// change.
		if kv[1] == "" || strings.ContainsAny(kv[1], " \t\r\n'\"$`\\;&|<>()*?[]#~{}") {
			return fmt.Errorf("-env-file: %s=%q cannot be written as a plain KEY=value line; choose a value without spaces or shell characters", kv[0], kv[1])
		}
		fmt.Fprintf(&b, "%s=%s\n", kv[0], kv[1])
	}
	if err := writeFileAtomic(p.envFile, b.String()); err != nil {
		return fmt.Errorf("-env-file: %w", err)
	}
	p.envWritten = true
	return nil
}

func (p *productFlags) removeEnvFile() {
	if p.envWritten {
		_ = os.Remove(p.envFile)
	}
}

// shutdown saves the state file, after the server has stopped.
func (p *productFlags) shutdown(s *mockapi.Server, log io.Writer) error {
	if p.saveState == "" {
		return nil
	}
	if err := s.SaveStateFile(p.saveState); err != nil {
		return fmt.Errorf("-save-state: %w", err)
	}
	fmt.Fprintf(log, "pipesolar-mockapi: saved %d projects, %d leads and %d UPowr projects to %s\n",
		len(s.ProjectIDs()), len(s.LeadIDs()), len(s.UPowrProjects()), p.saveState)
	return nil
}
