package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const fileAddr = "pipesolar_project_file.f"

// fileConfig is a pipesolar_project_file; files is the HCL of its files
// list.
func fileConfig(projectID, folder, files string) string {
	return fmt.Sprintf(`
resource "pipesolar_project_file" "f" {
  project_id = %q
  folder     = %q
  files      = %s
}
`, projectID, folder, files)
}

// fileURLs is n file URLs, and files the HCL list of them (the first one
// named).
func fileURLs(n int) (urls []string, files string) {
	var b strings.Builder
	b.WriteString("[\n")
	for i := range n {
		u := fmt.Sprintf("https://files.example.com/lovelace/doc-%02d.pdf", i)
		urls = append(urls, u)
		if i == 0 {
			fmt.Fprintf(&b, "    { url = %q, name = \"First.pdf\" },\n", u)
		} else {
			fmt.Fprintf(&b, "    { url = %q },\n", u)
		}
	}
	b.WriteString("  ]")
	return urls, b.String()
}

// checkMockFiles fails unless the project's folder holds files from
// exactly urls, in order, and the state's files[*].id are their ids.
func checkMockFiles(m *mockapi.Server, projectID, folder string, urls []string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		got := m.Files(projectID, folder)
		if len(got) != len(urls) {
			return fmt.Errorf("folder %s holds %d files, want %d: %+v", folder, len(got), len(urls), got)
		}
		attrs := s.RootModule().Resources[fileAddr].Primary.Attributes
		for i, f := range got {
			if f.SourceURL != urls[i] {
				return fmt.Errorf("file %d came from %q, want %q", i, f.SourceURL, urls[i])
			}
			if id := attrs[fmt.Sprintf("files.%d.id", i)]; id != f.ID {
				return fmt.Errorf("files[%d].id = %q, want the mock's %q", i, id, f.ID)
			}
		}
		return nil
	}
}

func TestAccProjectFile_lifecycle(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	urls, files := fileURLs(12)
	testAccParallel(t, []resource.TestStep{
		{
			// 12 files: two calls (10 + 2), no read.
			Config: pipeProvider(m) + fileConfig(id, "utilityBill", files),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttr(fileAddr, "id", knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
				expectAttr(fileAddr, "folder", knownvalue.StringExact("utilityBill")),
			},
			Check: resource.ComposeTestCheckFunc(
				checkMockFiles(m, id, "utilityBill", urls),
				checkCounts(m, map[string]int{mockapi.EndpointAddFiles: 2, mockapi.EndpointGetProject: 0}),
				mockCheck(func() error {
					if f := m.Files(id, "utilityBill")[0]; f.Name != "First.pdf" {
						return fmt.Errorf("the first file is named %q, want First.pdf", f.Name)
					}
					return nil
				}),
			),
		},
		// Refresh: one GET, no change.
		stepPlansNothing(m.ResetCounts, pipeProvider(m)+fileConfig(id, "utilityBill", files)),
		{
			// Another folder replaces: the files are added there, and stay
			// in the first one.
			PreConfig: m.ResetCounts,
			Config:    pipeProvider(m) + fileConfig(id, "permit", files),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(fileAddr, plancheck.ResourceActionReplace),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkMockFiles(m, id, "permit", urls),
				mockCheck(func() error {
					if n := len(m.Files(id, "utilityBill")); n != 12 {
						return fmt.Errorf("the first folder holds %d files after the replace, want the 12 kept", n)
					}
					return countsError(m, map[string]int{mockapi.EndpointAddFiles: 2, mockapi.EndpointGetProject: 1})
				}),
			),
		},
		// The project is gone: refresh removes the resource.
		stepPlansCreate(func() { m.DeleteProject(id) }, pipeProvider(m)+fileConfig(id, "permit", files), fileAddr),
	})
}

// The old reference works, and Pipe's id of the same project is no replace.
func TestAccProjectFile_oldReference(t *testing.T) {
	m := newTestMock(t)
	id := seedTestProject(t, m, testProjectSeed())
	files := `[{ url = "https://files.example.com/lovelace/bill.pdf" }]`
	testAccParallel(t, []resource.TestStep{
		{Config: pipeProvider(m) + fileConfig("D4YR1VSK7K", "utilityBill", files)},
		{
			PreConfig: m.ResetCounts,
			Config:    pipeProvider(m) + fileConfig(id, "utilityBill", files),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(fileAddr, plancheck.ResourceActionUpdate),
			}},
			Check: checkCounts(m, map[string]int{mockapi.EndpointAddFiles: 0}),
		},
	})
}

// A project that does not exist fails at apply on project_id.
func TestAccProjectFile_unknownProject(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:      pipeProvider(m) + fileConfig("NOSUCHPROJ", "permit", `[{ url = "https://files.example.com/a.pdf" }]`),
		ExpectError: expectError(`Project not found .* POST /projects/\{id\}/files .* error.code: not_found`),
	}})
}

func TestAccProjectFile_validation(t *testing.T) {
	one := func(u string) string { return fmt.Sprintf(`[{ url = %q }]`, u) }
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"1.x folder name": {fileConfig("P1", "utility_bill", one("https://files.example.com/a.pdf")),
			`folder "utility_bill" is not a Pipe API v1 folder.*folder Pipe API v1 calls "utilityBill".*contract, utilityBill,.*internal`},
		"no files":       {fileConfig("P1", "permit", "[]"), `files .* at least 1`},
		"http url":       {fileConfig("P1", "permit", one("http://files.example.com/a.pdf")), `files\[0\]\.url .* https://`},
		"ip address url": {fileConfig("P1", "permit", one("https://203.0.113.7/a.pdf")), `files\[0\]\.url .* IP address`},
		"ipv6 url":       {fileConfig("P1", "permit", one("https://[2001:db8::1]/a.pdf")), `files\[0\]\.url .* IP address`},
		"user info url":  {fileConfig("P1", "permit", one("https://me:pw@files.example.com/a.pdf")), `user name or password`},
		"private host":   {fileConfig("P1", "permit", one("https://fileserver/a.pdf")), `private name`},
		"second url bad": {fileConfig("P1", "permit", `[{ url = "https://files.example.com/a.pdf" }, { url = "ftp://x.example.com/b" }]`), `files\[1\]\.url`},
		"blank name":     {fileConfig("P1", "permit", `[{ url = "https://files.example.com/a.pdf", name = "" }]`), `name`},
		"blank project":  {fileConfig("", "permit", one("https://files.example.com/a.pdf")), `project_id`},
		// The same url twice would get one file, and lose the second name.
		"duplicate url": {fileConfig("P1", "permit", `[{ url = "https://files.example.com/a.pdf", name = "A" }, `+
			`{ url = "https://files.example.com/b.pdf" }, { url = "https://files.example.com/a.pdf", name = "B" }]`),
			`Duplicate file URL.*files\[2\]\.url "https://files.example.com/a.pdf" is also the url of\s+files\[0\]`},
	})
}

// A plan that replaces the resource warns that the files already added
// stay; so does a destroy plan.
func TestProjectFile_planWarnings(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	srv, schemas := configuredServer(t, m)
	const typeName = "pipesolar_project_file"
	typ := objectType(t, schemas.ResourceSchemas[typeName].ValueType())
	filesType := typ.AttributeTypes["files"].(tftypes.List)
	entryType := filesType.ElementType.(tftypes.Object)
	files := func(id any) tftypes.Value {
		return tftypes.NewValue(filesType, []tftypes.Value{tftypes.NewValue(entryType, map[string]tftypes.Value{
			"url":  tfString("https://files.example.com/a.pdf"),
			"name": tftypes.NewValue(tftypes.String, nil),
			"id":   tftypes.NewValue(tftypes.String, id),
		})})
	}
	obj := func(folder string, id any) tftypes.Value {
		return objectOf(typ, map[string]tftypes.Value{"id": tfString("x"), "project_id": tfString("D4YR1VSK7K"),
			"folder": tfString(folder), "files": files(id)})
	}
	prior := obj("contract", "f1")
	for name, tc := range map[string]struct {
		config, proposed tftypes.Value
		summary          string
	}{
		"replace": {obj("permit", nil), obj("permit", "f1"), "Replacing pipesolar_project_file adds the files again"},
		"destroy": {tftypes.NewValue(typ, nil), tftypes.NewValue(typ, nil), "Files not removed"},
	} {
		resp, err := srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: typeName, PriorState: dynamic(t, typ, prior), Config: dynamic(t, typ, tc.config),
			ProposedNewState: dynamic(t, typ, tc.proposed),
		})
		if err != nil {
			t.Fatal(err)
		}
		failOnErrors(t, resp.Diagnostics)
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != tc.summary ||
			!strings.Contains(resp.Diagnostics[0].Detail, `folder "contract" of project D4YR1VSK7K`) {
			t.Errorf("%s: want one warning %q naming the folder and project, got %+v", name, tc.summary, resp.Diagnostics)
		}
	}
	if counts := m.Counts(); len(counts) != 0 {
		t.Errorf("planning called the API: %v", counts)
	}
}
