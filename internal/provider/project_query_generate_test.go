package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// TestAccProjectList_generateConfig imports a whole org the way the import
// guide recommends on Terraform 1.14 and later: terraform query
// -generate-config-out writes a resource and an import block per project;
// the configuration validates; the plan reads "N to import, 0 to add, 0 to
// change, 0 to destroy"; its apply makes no API write; the plan after it is
// empty. terraform-plugin-testing cannot run query -generate-config-out,
// so this test runs Terraform itself against the provider served
// in-process (as the testing framework does, through
// TF_REATTACH_PROVIDERS). It needs TF_ACC and a Terraform of 1.14 or later
// (TF_ACC_TERRAFORM_PATH, else the one on PATH); it is skipped otherwise.
// TestProtocol_generatedConfigImportsClean covers the same on any Terraform.
func TestAccProjectList_generateConfig(t *testing.T) {
	tf := terraformAtLeast(t, "1.14.0")
	t.Parallel()
	m := newTestMock(t)
	ids := seedOrg(t, m, "org-gen", 5)
	seedOrg(t, m, "org-other", 2)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{PageSize: 2})

	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.tf"), `terraform {
  required_providers {
    pipesolar = { source = "pipesolar/pipesolar" }
  }
}
`+pipeProvider(m))
	writeFile(t, filepath.Join(dir, "org.tfquery.hcl"), `list "pipesolar_project" "org" {
  provider = pipesolar
  config {
    org_id = "org-gen"
  }
}
`)
	run := terraformIn(t, tf, dir, reattachProvider(t))
	run("init", "-input=false")
	run("query", "-generate-config-out=generated.tf")

	generated, err := os.ReadFile(filepath.Join(dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(generated), `resource "pipesolar_project"`); n != len(ids) {
		t.Errorf("generated %d resource blocks, want %d:\n%s", n, len(ids), generated)
	}
	if n := strings.Count(string(generated), "import {"); n != len(ids) {
		t.Errorf("generated %d import blocks, want %d", n, len(ids))
	}
	for _, id := range ids {
		if !strings.Contains(string(generated), `"`+id+`"`) {
			t.Errorf("project %s is not in the generated configuration", id)
		}
	}
	run("validate")

	m.ResetCounts()
	plan := run("plan", "-input=false", "-out=tfplan")
	if want := regexp.MustCompile(`Plan: 5 to import, 0 to add, 0 to change, 0 to destroy\.`); !want.MatchString(plan) {
		t.Errorf("plan after terraform query -generate-config-out:\n%s\nwant %s", plan, want)
	}
	run("apply", "-input=false", "tfplan")
	for _, e := range []string{mockapi.EndpointCreateProject, mockapi.EndpointUpdateStage} {
		if n := m.Count(e); n != 0 {
			t.Errorf("%s called %d times by the import, want 0", e, n)
		}
	}
	run("plan", "-input=false", "-detailed-exitcode") // exit 2 (changes) fails the test
}

// terraformAtLeast skips the test unless TF_ACC is set and the Terraform
// the acceptance tests use (TF_ACC_TERRAFORM_PATH, else PATH) is at least
// least; it returns that Terraform's path.
func terraformAtLeast(t *testing.T, least string) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform on PATH")
		}
	}
	out, err := exec.Command(tf, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", tf, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", tf, err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatalf("%s version %q: %v", tf, v.Version, err)
	}
	if have.LessThan(version.Must(version.NewVersion(least))) {
		t.Skipf("Terraform %s is older than %s", have, least)
	}
	return tf
}

// reattachProvider serves the provider in this process until the test
// ends, and returns the TF_REATTACH_PROVIDERS value that points Terraform
// at it.
func reattachProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve("registry.terraform.io/pipesolar/pipesolar",
			func() tfprotov6.ProviderServer {
				srv, err := NewProtocol6Server("test")()
				if err != nil {
					panic(err) // NewProtocol6Server fails only on a programming error
				}
				return srv
			},
			tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t),
			tf6server.WithoutLogStderrOverride())
	}()
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case err := <-served:
		t.Fatalf("serving the provider: %v", err)
	}
	b, err := json.Marshal(map[string]any{"registry.terraform.io/pipesolar/pipesolar": map[string]any{
		"Protocol": cfg.Protocol, "ProtocolVersion": cfg.ProtocolVersion, "Pid": cfg.Pid, "Test": cfg.Test,
		"Addr": map[string]string{"Network": cfg.Addr.Network(), "String": cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// terraformIn returns a function that runs tf with the given arguments in
// dir against the reattached provider, fails the test when it exits
// non-zero, and returns its output.
func terraformIn(t *testing.T, tf, dir, reattach string) func(args ...string) string {
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+reattach, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return func(args ...string) string {
		t.Helper()
		cmd := exec.Command(tf, append([]string{args[0], "-no-color"}, args[1:]...)...)
		cmd.Dir, cmd.Env = dir, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), exit.ExitCode(), out.String())
			}
			t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
