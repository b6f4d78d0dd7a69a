package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// bannerWriter collects stdout and reports the first write: run prints the
// banner once, after it listens and has written its files.
type bannerWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	written chan struct{}
	once    sync.Once
}

func newBannerWriter() *bannerWriter { return &bannerWriter{written: make(chan struct{})} }

func (w *bannerWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	n, err := w.buf.Write(p)
	w.mu.Unlock()
	w.once.Do(func() { close(w.written) })
	return n, err
}

func (w *bannerWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// mock is one run of the command in the background.
type mock struct {
	stdout *bannerWriter
	stderr *bytes.Buffer
	stop   context.CancelFunc
	done   chan error
}

func start(t *testing.T, args ...string) *mock {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	m := &mock{stdout: newBannerWriter(), stderr: new(bytes.Buffer), stop: cancel, done: make(chan error, 1)}
	go func() {
		m.done <- run(ctx, append([]string{"-listen", "127.0.0.1:0", "-quiet"}, args...), m.stdout, m.stderr)
	}()
	select {
	case <-m.stdout.written:
	case err := <-m.done:
		cancel()
		t.Fatalf("run ended before listening: %v\n%s", err, m.stderr)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-m.done; err != nil {
			t.Logf("run: %v", err)
		}
	})
	return m
}

// shutdown stops the run as SIGTERM would and returns run's error.
func (m *mock) shutdown() error {
	m.stop()
	err := <-m.done
	m.done <- err // for the cleanup
	return err
}

func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("env file line %q is not KEY=value", sc.Text())
		}
		env[k] = v
	}
	return env
}

// get calls the mock's Pipe API v1 with the env file's key; body, if
// given, is sent as JSON.
func get(t *testing.T, env map[string]string, method, path string, body ...string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if len(body) > 0 {
		rd = strings.NewReader(body[0])
	}
	req, err := http.NewRequest(method, env["PIPESOLAR_BASE_URL"]+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+env["PIPESOLAR_API_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

const seedFile = `{"company": "Firefly Solar",
  "projects": [{"reference": "KNOWN00001", "stage": "Proposal",
    "customer": {"firstName": "Ada", "lastName": "Lovelace", "email": "Ada@Example.com"},
    "files": {"permit": ["https://files.example.com/permit.pdf"]}}]}`

func TestSeedFileEnvFileAndStateFiles(t *testing.T) {
	dir := t.TempDir()
	seed, state, envFile := filepath.Join(dir, "org.json"), filepath.Join(dir, "state.json"), filepath.Join(dir, "mock.env")
	if err := os.WriteFile(seed, []byte(seedFile), 0o600); err != nil {
		t.Fatal(err)
	}

	key := "psk_0123456789abcdef0123456789abcdef01234567"
	m := start(t, "-installer-key", key, "-seed", seed, "-save-state", state, "-env-file", envFile)
	env := readEnvFile(t, envFile)
	u, err := url.Parse(env["PIPESOLAR_BASE_URL"])
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/v1" {
		t.Errorf("PIPESOLAR_BASE_URL = %q, want http://127.0.0.1:PORT/v1", env["PIPESOLAR_BASE_URL"])
	}
	root := strings.TrimSuffix(env["PIPESOLAR_BASE_URL"], "/v1")
	for k, want := range map[string]string{
		"PIPESOLAR_API_TOKEN": key, "UPOWR_CLIENT_ID": "upowr-client", "UPOWR_CLIENT_SECRET": "upowr-secret",
		"UPOWR_BASE_URL": root + "/upowr", "UPOWR_TOKEN_URL": root + "/oauth/token", "PIPESOLAR_MOCK_URL": root,
	} {
		if env[k] != want {
			t.Errorf("env file %s = %q, want %q", k, env[k], want)
		}
	}
	// The banner prints the same settings as shell exports, and a provider block.
	banner := m.stdout.String()
	for _, k := range []string{"PIPESOLAR_BASE_URL", "PIPESOLAR_API_TOKEN", "UPOWR_BASE_URL", "UPOWR_TOKEN_URL", "UPOWR_CLIENT_ID", "UPOWR_CLIENT_SECRET"} {
		if line := "export " + k + "='" + env[k] + "'"; !strings.Contains(banner, line) {
			t.Errorf("banner lacks %q:\n%s", line, banner)
		}
	}
	for _, want := range []string{`base_url  = "` + root + `/v1"`, `api_token = "` + key + `"`} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}

	// The seeded project is there under its old reference, as v1 shows it.
	status, body := get(t, env, "GET", "/projects/KNOWN00001")
	if status != 200 || at(body, "customer.email") != "Ada@Example.com" || at(body, "stage.name") != "Proposal" || at(body, "company.name") != "Firefly Solar" {
		t.Fatalf("GET /projects/KNOWN00001: %d %v", status, body)
	}
	if status, body := get(t, env, "POST", "/projects/KNOWN00001/stage", `{"stage": "ntp"}`); status != 200 || body["changed"] != true {
		t.Fatalf("stage: %d %v", status, body)
	}
	// The retired API answers 410.
	if status, body := get(t, env, "GET", "/../api/1.1/wf/fetch_project?id=KNOWN00001"); status != 410 || body["error"] != "moved" {
		t.Fatalf("retired API: %d %v", status, body)
	}
	if err := m.shutdown(); err != nil {
		t.Fatalf("run: %v\n%s", err, m.stderr)
	}
	if _, err := os.Stat(envFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("env file left behind after exit: %v", err)
	}

	// The next run starts from the saved state: same ids, the changed stage, the key.
	env2File := filepath.Join(dir, "mock2.env")
	start(t, "-load-state", state, "-env-file", env2File)
	env = readEnvFile(t, env2File)
	if env["PIPESOLAR_API_TOKEN"] != key {
		t.Errorf("key after -load-state: %q", env["PIPESOLAR_API_TOKEN"])
	}
	status, body = get(t, env, "GET", "/projects/KNOWN00001")
	if status != 200 || at(body, "stage.name") != "NTP" || at(body, "customer.firstName") != "Ada" || at(body, "files.permit") == nil {
		t.Errorf("GET /projects/KNOWN00001 after -load-state: %d %v", status, body)
	}
}

func TestRunRefusesBadStartupFiles(t *testing.T) {
	dir := t.TempDir()
	badSeed := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badSeed, []byte(strings.Replace(seedFile, `"Proposal"`, `"Signed"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"seed with an unknown stage": {[]string{"-seed", badSeed}, `projects[0]: stage Signed is not on the solar ladder`},
		"the 1.x flag name":          {[]string{"-seed-file", badSeed}, "-seed"},
		"missing state file":         {[]string{"-load-state", filepath.Join(dir, "none.json")}, "-load-state"},
		"non-loopback address":       {[]string{"-listen", "0.0.0.0:0"}, "non-loopback"},
		"env value a shell changes":  {[]string{"-installer-key", "a b", "-env-file", filepath.Join(dir, "x.env")}, "PIPESOLAR_API_TOKEN"},
		"unknown fault endpoint":     {[]string{"-fault-endpoints", "GET /api/1.1/wf/fetch_project"}, "-fault-endpoints"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), append([]string{"-quiet"}, tc.args...), &stdout, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
		if strings.Contains(stdout.String(), "listening") {
			t.Errorf("%s: printed a banner:\n%s", name, stdout.String())
		}
	}
}

func TestHelpAndVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-help"}, &stdout, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("-help: %v", err)
	}
	help := stderr.String()
	for _, want := range []string{
		"loopback", "PIPESOLAR_BASE_URL", "PIPESOLAR_API_TOKEN", "UPOWR_CLIENT_SECRET", "/v1", "410",
		"-seed FILE", "-seed-file FILE", "-load-state FILE", "-save-state FILE", "-env-file FILE", "-version",
		"-installer-key", "-dealer-key", "-reformat-phone", "-state-as-code", "-lowercase-email", "-trim-spaces",
		`"reference"`, `"stages"`, `"keys"`, `"members"`, `"leads"`, `"projects"`, "installScheduled",
		"GET  /_mock/export", "PUT  /_mock/faults", "PUT  /_mock/ratelimit", "terraform test",
		"POST /v1/projects/{id}/stage",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("-help lacks %q", want)
		}
	}
	// Every switch has an explanation: no flag line is followed by an empty one.
	lines := strings.Split(help, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "  -") && (i+1 >= len(lines) || strings.TrimSpace(lines[i+1]) == "") {
			t.Errorf("flag %q has no explanation", strings.TrimSpace(l))
		}
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"-version"}, &stdout, &stderr); err != nil || stdout.String() != "pipesolar-mockapi dev\n" {
		t.Errorf("-version: %q, %v", stdout.String(), err)
	}
}

// at reads a nested value by dotted path.
func at(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
