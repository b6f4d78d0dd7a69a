package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const projectFileAddr = "pipesolar_project_file.test"

// projectFileBlock renders a pipesolar_project_file; urls are HCL list
// elements written as is, so tests can pass any expression.
func projectFileBlock(projectID, folderID string, urls ...string) string {
	quoted := make([]string, len(urls))
	for i, u := range urls {
		quoted[i] = fmt.Sprintf("%q", u)
	}
	return fmt.Sprintf(`
resource "pipesolar_project_file" "test" {
  project_id = %q
  folder_id  = %q
  file_urls  = [%s]
}
`, projectID, folderID, strings.Join(quoted, ", "))
}

func projectFileConfig(m *mockapi.Server, projectID, folderID string, urls ...string) string {
	return pipeProvider(m) + projectFileBlock(projectID, folderID, urls...)
}

// projectFileTestUploads checks the uploads the mock stores for a project.
func projectFileTestUploads(m *mockapi.Server, projectID string, want ...mockapi.Upload) resource.TestCheckFunc {
	return mockCheck(func() error {
		return checkStored("upload of project "+projectID, m.Uploads(projectID), want, func(a, b mockapi.Upload) bool {
			return a.ProjectID == b.ProjectID && a.FolderID == b.FolderID && slices.Equal(a.FileURLs, b.FileURLs)
		})
	})
}

// projectFileChild is pipesolar_project_file for the tests it shares with
// pipesolar_activity.
var projectFileChild = projectChild{
	addr:   projectFileAddr,
	block:  func(projectID string) string { return projectFileBlock(projectID, "utility_bill", projectFileTestURL) },
	create: mockapi.EndpointUploadFile,
	stored: func(m *mockapi.Server, projectID string, n int) error {
		want := make([]mockapi.Upload, n)
		for i := range want {
			want[i] = mockapi.Upload{ProjectID: projectID, FolderID: "utility_bill", FileURLs: []string{projectFileTestURL}}
		}
		return projectFileTestUploads(m, projectID, want...)(nil)
	},
	ambiguous: `Files may have been uploaded.*/project_upload_file may have reached pipe.solar.*` +
		`not repeated automatically.*check the project's files in the pipe.solar app`,
}

const projectFileTestURL = "https://files.example.com/bill.pdf"

func TestAccProjectFile_lifecycle(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	const (
		roof  = "https://files.example.com/photos/roof.jpg"
		panel = "https://files.example.com/photos/panels.jpg"
		meter = "http://files.example.com/photos/meter.jpg"
	)
	uploads := []mockapi.Upload{
		{ProjectID: id, FolderID: "installation_photos", FileURLs: []string{roof, panel}},
		{ProjectID: id, FolderID: "installation_photos", FileURLs: []string{roof, panel, meter}}, // a file more
		// permits is not a documented folder id: a plan-time warning, not an
		// error, and the mock (like pipe.solar) accepts it.
		{ProjectID: id, FolderID: "permits", FileURLs: []string{roof, panel, meter}},
	}
	var v [3]childVersion
	for i, u := range uploads {
		urls := make([]knownvalue.Check, len(u.FileURLs))
		for j, url := range u.FileURLs {
			urls[j] = knownvalue.StringExact(url)
		}
		v[i] = childVersion{config: projectFileConfig(m, id, u.FolderID, u.FileURLs...), checks: []statecheck.StateCheck{
			expectAttr(projectFileAddr, "id", knownvalue.StringRegexp(activityRandomID)),
			expectAttr(projectFileAddr, "project_id", knownvalue.StringExact(id)),
			expectAttr(projectFileAddr, "folder_id", knownvalue.StringExact(u.FolderID)),
			expectAttr(projectFileAddr, "file_urls", knownvalue.ListExact(urls)),
		}}
	}
	projectFileChild.testLifecycle(t, m, func(n int) resource.TestCheckFunc { return projectFileTestUploads(m, id, uploads[:n]...) }, v)
}

// TestAccProjectFile_undocumentedFolderRefusedByAPI: an undocumented id of
// the right form passes the plan, and pipe.solar's own refusal is shown.
func TestAccProjectFile_undocumentedFolderRefusedByAPI(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	testAccParallel(t, []resource.TestStep{{
		Config:      projectFileConfig(m, id, "site_plans_v2", "https://files.example.com/plan.pdf"),
		ExpectError: expectError(`Could not upload the files.*Invalid folder_id 'site_plans_v2': must be one of`),
	}})
	if n := m.Count(mockapi.EndpointUploadFile); n != 1 {
		t.Errorf("project_upload_file was called %d times, want 1 (the plan must let the value through)", n)
	}
	if n := len(m.Uploads(id)); n != 0 {
		t.Errorf("project has %d uploads, want 0", n)
	}
}

func TestAccProjectFile_parentDeleted(t *testing.T) { projectFileChild.testParentDeleted(t) }

func TestAccProjectFile_readErrorKeepsState(t *testing.T) {
	projectFileChild.testReadErrorKeepsState(t)
}

func TestAccProjectFile_validation(t *testing.T) {
	ok := "https://files.example.com/a.pdf"
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"not a url":       {projectFileBlock("P1", "contract", ok, "not a url"), `file_urls\[1\].*"not a url" must start with https://`},
		"ftp url":         {projectFileBlock("P1", "contract", "ftp://files.example.com/a.pdf"), `file_urls\[0\].*must start with https://`},
		"no host":         {projectFileBlock("P1", "contract", "https:///a.pdf"), `file_urls\[0\].*has no host`},
		"empty url":       {projectFileBlock("P1", "contract", ""), `file_urls\[0\].*is not a URL`},
		"empty list":      {projectFileBlock("P1", "contract"), `file_urls list must contain at least 1 elements`},
		"folder spaces":   {projectFileBlock("P1", "Installation Photos", ok), `Invalid folder_id.*folder_id "Installation Photos" is not a folder id`},
		"folder camel":    {projectFileBlock("P1", "installationPhotos", ok), `folder_id "installationPhotos" is not a folder id`},
		"folder digit":    {projectFileBlock("P1", "1st_floor", ok), `folder_id "1st_floor" is not a folder id`},
		"folder empty":    {projectFileBlock("P1", "", ok), `folder_id "" is not a folder id`},
		"folder dash":     {projectFileBlock("P1", "utility-bill", ok), `folder_id "utility-bill" is not a folder id`},
		"empty project":   {projectFileBlock("", "contract", ok), `project_id must not be empty or only white space`},
		"blank project":   {projectFileBlock(" ", "contract", ok), `project_id must not be empty or only white space`},
		"null url inside": {strings.Replace(projectFileBlock("P1", "contract", ok), `["`+ok+`"]`, `["`+ok+`", null]`, 1), `Null List Value.*file_urls`},
	})
}

func TestAccProjectFile_ambiguousWrite(t *testing.T) { projectFileChild.testAmbiguousWrite(t) }

func TestProjectFileResource_folderIDValidator(t *testing.T) {
	type want struct{ warnings, errs int }
	s := types.StringValue
	for want, values := range map[want][]types.String{
		// Documented ids, and nothing to check yet.
		{0, 0}: {s("contract"), s("utility_bill"), s("drivers_license"), s("materials"), s("installation_photos"),
			types.StringNull(), types.StringUnknown()},
		// Undocumented ids of the form pipe.solar uses: a warning.
		{1, 0}: {s("permits"), s("other_documents2")},
		// Any other form: an error.
		{0, 1}: {s("Contract"), s("installationPhotos"), s("_contract"), s("contract "), s("")},
	} {
		for _, value := range values {
			var resp validator.StringResponse
			folderIDValidator().ValidateString(context.Background(),
				validator.StringRequest{Path: path.Root("folder_id"), ConfigValue: value}, &resp)
			diags := resp.Diagnostics
			if diags.WarningsCount() != want.warnings || diags.ErrorsCount() != want.errs {
				t.Errorf("%s: got %d warnings, %d errors (%v); want %+v", value, diags.WarningsCount(), diags.ErrorsCount(), diags, want)
			}
			for _, d := range diags {
				if p, ok := d.(interface{ Path() path.Path }); !ok || !p.Path().Equal(path.Root("folder_id")) {
					t.Errorf("%s: diagnostic %q is not attached to folder_id", value, d.Summary())
				}
				if d.Severity() == diag.SeverityWarning && !strings.Contains(d.Detail(), "fails at apply with pipe.solar's own message") {
					t.Errorf("%s: warning %q does not say what happens at apply", value, d.Detail())
				}
			}
		}
	}
}

func TestProjectFileResource_destroyWarns(t *testing.T) {
	urls, _ := types.ListValueFrom(context.Background(), types.StringType, []string{"https://files.example.com/a.pdf"})
	testDestroyWarns(t, NewProjectFileResource(), &projectFileModel{
		ID: types.StringValue("abc"), ProjectID: types.StringValue("P1"), FolderID: types.StringValue("contract"), FileURLs: urls,
	}, `the files stay in folder "contract" of project P1`, "only removed from Terraform state")
}
