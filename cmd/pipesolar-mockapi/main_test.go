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

func get(t *testing.T, env map[string]string, method, path string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, env["PIPESOLAR_BASE_URL"]+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+env["PIPESOLAR_API_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(body, &m)
	return resp.StatusCode, m
}

const seedFile = `{"projects": [{"id": "KNOWN0001", "org_id": "org-ci",
  "address": "1 Solar St, Sunville, CA 90210", "first_name": "Ada", "last_name": "Lovelace",
  "email": "Ada@Example.com", "phone_number": "555-010-0001",
  "sales_rep": "rep@example.com", "setter": "setter@example.com",
  "system_cost": 18450.01, "project_stage": "Proposal"}]}`

func TestSeedFileEnvFileAndStateFiles(t *testing.T) {
	dir := t.TempDir()
	seed, state, envFile := filepath.Join(dir, "org.json"), filepath.Join(dir, "state.json"), filepath.Join(dir, "mock.env")
	if err := os.WriteFile(seed, []byte(seedFile), 0o600); err != nil {
		t.Fatal(err)
	}

	m := start(t, "-token", "ci-token", "-seed-file", seed, "-save-state", state, "-env-file", envFile)
	env := readEnvFile(t, envFile)
	u, err := url.Parse(env["PIPESOLAR_BASE_URL"])
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "/api/1.1/wf" {
		t.Errorf("PIPESOLAR_BASE_URL = %q, want http://127.0.0.1:PORT/api/1.1/wf", env["PIPESOLAR_BASE_URL"])
	}
	for k, want := range map[string]string{
		"PIPESOLAR_API_TOKEN": "ci-token", "UPOWR_CLIENT_ID": "upowr-client", "UPOWR_CLIENT_SECRET": "upowr-secret",
		"UPOWR_BASE_URL":  strings.TrimSuffix(env["PIPESOLAR_BASE_URL"], "/api/1.1/wf") + "/upowr",
		"UPOWR_TOKEN_URL": strings.TrimSuffix(env["PIPESOLAR_BASE_URL"], "/api/1.1/wf") + "/oauth/token",
	} {
		if env[k] != want {
			t.Errorf("env file %s = %q, want %q", k, env[k], want)
		}
	}
	// The banner prints the same settings as shell exports.
	for _, k := range []string{"PIPESOLAR_BASE_URL", "PIPESOLAR_API_TOKEN", "UPOWR_BASE_URL", "UPOWR_TOKEN_URL", "UPOWR_CLIENT_ID", "UPOWR_CLIENT_SECRET"} {
		if line := "export " + k + "='" + env[k] + "'"; !strings.Contains(m.stdout.String(), line) {
			t.Errorf("banner lacks %q:\n%s", line, m.stdout.String())
		}
	}

	// The seeded project is there under its known id, formatted as pipe.solar does.
	status, body := get(t, env, "GET", "/fetch_project?id=KNOWN0001")
	data, _ := body["data"].(map[string]any)
	if status != 200 || data["customerEmail"] != "ada@example.com" || data["contractPrice"] != "18,450.01" || data["customerCity"] != "Sunville" {
		t.Fatalf("fetch_project KNOWN0001: %d %v", status, body)
	}
	if status, body := get(t, env, "POST", "/update_stage?id=KNOWN0001&project_stage_name=NTP"); status != 200 {
		t.Fatalf("update_stage: %d %v", status, body)
	}
	if err := m.shutdown(); err != nil {
		t.Fatalf("run: %v\n%s", err, m.stderr)
	}
	if _, err := os.Stat(envFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("env file left behind after exit: %v", err)
	}

	// The next run starts from the saved state: same id, the changed stage.
	env2File := filepath.Join(dir, "mock2.env")
	start(t, "-token", "ci-token", "-load-state", state, "-env-file", env2File)
	env = readEnvFile(t, env2File)
	status, body = get(t, env, "GET", "/fetch_project?id=KNOWN0001")
	data, _ = body["data"].(map[string]any)
	if status != 200 || data["projectStatus"] != "NTP" || data["customerFirstName"] != "Ada" {
		t.Errorf("fetch_project KNOWN0001 after -load-state: %d %v", status, body)
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
		"seed with an unknown stage": {[]string{"-seed-file", badSeed}, "projects[0]: Invalid project_stage 'Signed'"},
		"missing state file":         {[]string{"-load-state", filepath.Join(dir, "none.json")}, "-load-state"},
		"non-loopback address":       {[]string{"-listen", "0.0.0.0:0"}, "non-loopback"},
		"env value a shell changes":  {[]string{"-token", "a b", "-env-file", filepath.Join(dir, "x.env")}, "PIPESOLAR_API_TOKEN"},
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
		"loopback", "PIPESOLAR_BASE_URL", "PIPESOLAR_API_TOKEN", "UPOWR_CLIENT_SECRET",
		"-seed-file FILE", "-load-state FILE", "-save-state FILE", "-env-file FILE", "-version",
		`"id"`, "GET  /_mock/export", "PUT  /_mock/faults", "terraform test",
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
