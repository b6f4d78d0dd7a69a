package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// ufWriteFile writes content to dir/name and returns the path.
func ufWriteFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func ufSHA(content string) string {
	s := sha256.Sum256([]byte(content))
	return hex.EncodeToString(s[:])
}

// ufFileConfig is the HCL of one pipesolar_upowr_file.
func ufFileConfig(name, assoc, code, source string) string {
	return fmt.Sprintf(`resource "pipesolar_upowr_file" %q {
  file_association_id = %q
  file_code           = %q
  source              = %q
}
`, name, assoc, code, source)
}

// ufTempFile is the temp file UPowr holds for content uploaded as code
// under assoc from a file named filename.
func ufTempFile(assoc, code, filename, content string) mockapi.TempFile {
	return mockapi.TempFile{FileAssociationID: assoc, FileCode: code, Filename: filename, Size: len(content), SHA256: ufSHA(content)}
}

// ufExpectTempFiles checks the mock's temp files under assoc.
func ufExpectTempFiles(m *mockapi.Server, assoc string, want ...mockapi.TempFile) resource.TestCheckFunc {
	return mockCheck(func() error {
		return checkStored("temp file under "+assoc, m.TempFiles(assoc), want, func(a, b mockapi.TempFile) bool { return a == b })
	})
}

func TestAccUPowrFile_lifecycle(t *testing.T) {
	m := newTestMock(t)
	dir := t.TempDir()
	const addr = "pipesolar_upowr_file.f"
	const v1, v2 = "switchboard photo v1", "switchboard photo, second version"
	src := ufWriteFile(t, dir, "switchboard.jpg", v1)
	cfg := func(assoc, code, source string) string {
		return upowrProvider(m) + ufFileConfig("f", assoc, code, source)
	}
	replaced := []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate)}

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: mockCheck(func() error {
			// Destroy removes state only: everything uploaded is still there.
			if n := len(m.TempFiles("assoc-1")) + len(m.TempFiles("assoc-2")); n != 3 {
				return fmt.Errorf("%d temp files after destroy, want 3 (nothing deleted in UPowr)", n)
			}
			if n := m.Count(mockapi.EndpointUPowrTempFile); n != 5 {
				return fmt.Errorf("%d uploads, want 5", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: cfg("assoc-1", "switchboard_photo", src),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					// Known at plan time, from the local file.
					expectPlannedAttr(addr, "content_sha256", knownvalue.StringExact(ufSHA(v1))),
					expectPlannedAttr(addr, "size", knownvalue.Int64Exact(int64(len(v1)))),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(addr, "id", knownvalue.StringExact("assoc-1/switchboard_photo")),
					expectAttr(addr, "content_sha256", knownvalue.StringExact(ufSHA(v1))),
					expectAttr(addr, "size", knownvalue.Int64Exact(int64(len(v1)))),
				},
				Check: ufExpectTempFiles(m, "assoc-1", ufTempFile("assoc-1", "switchboard_photo", "switchboard.jpg", v1)),
			},
			// Nothing changed: nothing to do.
			{Config: cfg("assoc-1", "switchboard_photo", src), PlanOnly: true},
			// New content at the same path: replaced, uploaded into the same slot.
			{
				PreConfig: func() { ufWriteFile(t, dir, "switchboard.jpg", v2) },
				Config:    cfg("assoc-1", "switchboard_photo", src),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append(replaced,
					expectPlannedAttr(addr, "content_sha256", knownvalue.StringExact(ufSHA(v2))))},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(addr, "content_sha256", knownvalue.StringExact(ufSHA(v2))),
					expectAttr(addr, "size", knownvalue.Int64Exact(int64(len(v2)))),
				},
				Check: ufExpectTempFiles(m, "assoc-1", ufTempFile("assoc-1", "switchboard_photo", "switchboard.jpg", v2)),
			},
			// Another file code: a new upload; the old slot keeps its file.
			{
				Config:           cfg("assoc-1", "site_access_photo", src),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: replaced},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(addr, "id", knownvalue.StringExact("assoc-1/site_access_photo")),
				},
				Check: ufExpectTempFiles(m, "assoc-1",
					ufTempFile("assoc-1", "switchboard_photo", "switchboard.jpg", v2),
					ufTempFile("assoc-1", "site_access_photo", "switchboard.jpg", v2),
				),
			},
			// Another association id: a new upload there.
			{
				Config:           cfg("assoc-2", "site_access_photo", src),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: replaced},
				Check:            ufExpectTempFiles(m, "assoc-2", ufTempFile("assoc-2", "site_access_photo", "switchboard.jpg", v2)),
			},
			// Another path (same content): uploaded again under the new name.
			{
				PreConfig:        func() { ufWriteFile(t, dir, "gate.png", v2) },
				Config:           cfg("assoc-2", "site_access_photo", filepath.Join(dir, "gate.png")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: replaced},
				Check:            ufExpectTempFiles(m, "assoc-2", ufTempFile("assoc-2", "site_access_photo", "gate.png", v2)),
			},
		},
	})
}

func TestAccUPowrFile_validation(t *testing.T) {
	dir := t.TempDir()
	ok := ufWriteFile(t, dir, "ok.jpg", "x")
	big := filepath.Join(dir, "big.jpg")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, upowrMaxFileSize+1); err != nil { // sparse
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.jpg")
	file := func(assoc, code, source string) string { return ufFileConfig("f", assoc, code, source) }
	testAccInvalid(t, upowrProvider, map[string]invalidConfig{
		"bad file_code":   {file("a", "roof_photo", ok), `Attribute file_code value must be one of:.*got: "roof_photo"`},
		"missing file":    {file("a", "switchboard_photo", missing), `source: file "` + regexp.QuoteMeta(missing) + `" does not exist`},
		"directory":       {file("a", "switchboard_photo", dir), `source: "` + regexp.QuoteMeta(dir) + `" is a directory`},
		"too large":       {file("a", "switchboard_photo", big), `source: "` + regexp.QuoteMeta(big) + `" is 10485761 bytes; the provider uploads files of at most 10485760 bytes`},
		"empty source":    {file("a", "switchboard_photo", ""), `Attribute source must not be empty or only white space`},
		"blank source":    {file("a", "switchboard_photo", " "), `Attribute source must not be empty or only white space`},
		"empty assoc id":  {file("", "switchboard_photo", ok), `Attribute file_association_id must not be empty or only white space`},
		"blank assoc id":  {file(" ", "switchboard_photo", ok), `Attribute file_association_id must not be empty or only white space`},
		"upper-case code": {file("a", "SWITCHBOARD_PHOTO", ok), `Attribute file_code value must be one of`},
	})
}

// TestAccUPowrFile_missingLater: a file deleted after the upload is a plan
// error naming the path; destroy does not need it.
func TestAccUPowrFile_missingLater(t *testing.T) {
	m := newTestMock(t)
	src := ufWriteFile(t, t.TempDir(), "photo.jpg", "content")
	cfg := upowrProvider(m) + ufFileConfig("f", "assoc", "switchboard_photo", src)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		{
			PreConfig: func() {
				if err := os.Remove(src); err != nil {
					t.Fatal(err)
				}
			},
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: expectError(`Cannot read the file to upload.*source: file "` + regexp.QuoteMeta(src) + `" does not exist`),
		},
	})
}

// TestAccUPowrFile_sizeLimit: a file of exactly the limit uploads.
func TestAccUPowrFile_sizeLimit(t *testing.T) {
	m := newTestMock(t)
	content := strings.Repeat("0123456789abcdef", upowrMaxFileSize/16)
	src := ufWriteFile(t, t.TempDir(), "max.jpg", content)
	testAccParallel(t, []resource.TestStep{{
		Config: upowrProvider(m) + ufFileConfig("f", "assoc", "switchboard_photo", src),
		Check:  ufExpectTempFiles(m, "assoc", ufTempFile("assoc", "switchboard_photo", "max.jpg", content)),
	}})
}

// TestAccUPowrFile_ambiguousUpload: the connection drops after UPowr stored
// the upload. The error says so, and applying again is safe (replace=true):
// the slot holds one file.
func TestAccUPowrFile_ambiguousUpload(t *testing.T) {
	m := newTestMock(t)
	const content = "site access"
	src := ufWriteFile(t, t.TempDir(), "gate.jpg", content)
	cfg := upowrProvider(m) + ufFileConfig("f", "assoc", "site_access_photo", src)
	m.SetFaults(mockapi.Faults{DropAfterCommit: 1, Endpoints: []string{mockapi.EndpointUPowrTempFile}})
	testAccParallel(t, []resource.TestStep{
		{
			Config:      cfg,
			ExpectError: expectError(`may have reached UPowr.*Applying again is safe`),
		},
		{
			PreConfig: func() {
				if n := m.Count(mockapi.EndpointUPowrTempFile); n != 1 {
					t.Fatalf("upload sent %d times, want 1 (no automatic retry)", n)
				}
			},
			Config: cfg,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkCounts(m, map[string]int{mockapi.EndpointUPowrTempFile: 2}),
				ufExpectTempFiles(m, "assoc", ufTempFile("assoc", "site_access_photo", "gate.jpg", content)),
			),
		},
	})
}

// ufApplyHook runs before the first ApplyResourceChange of a
// pipesolar_upowr_file, after Terraform has planned (and re-planned) it.
type ufApplyHook struct {
	tfprotov6.ProviderServer
	once   *sync.Once
	before func()
}

func (h ufApplyHook) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	if req.TypeName == "pipesolar_upowr_file" {
		h.once.Do(h.before)
	}
	return h.ProviderServer.ApplyResourceChange(ctx, req)
}

// TestAccUPowrFile_changedDuringApply: the file changes after the plan, just
// before the upload. The provider re-hashes, refuses to upload, and asks for
// a new plan.
func TestAccUPowrFile_changedDuringApply(t *testing.T) {
	m := newTestMock(t)
	dir := t.TempDir()
	src := ufWriteFile(t, dir, "photo.jpg", "planned content")
	once := &sync.Once{}
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"pipesolar": func() (tfprotov6.ProviderServer, error) {
			s, err := providerserver.NewProtocol6WithError(New("test")())()
			if err != nil {
				return nil, err
			}
			return ufApplyHook{ProviderServer: s, once: once, before: func() { ufWriteFile(t, dir, "photo.jpg", "edited content") }}, nil
		},
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config:      upowrProvider(m) + ufFileConfig("f", "assoc", "switchboard_photo", src),
			ExpectError: expectError(`File changed since the plan.*changed between plan and apply.*SHA-256 planned ` + ufSHA("planned content") + `, now ` + ufSHA("edited content") + `.*Nothing was uploaded`),
		}},
	})
	if n := m.Count(mockapi.EndpointUPowrTempFile); n != 0 {
		t.Fatalf("upload sent %d times, want 0", n)
	}
}
