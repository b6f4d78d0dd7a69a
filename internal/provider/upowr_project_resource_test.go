package provider

import (
	"crypto"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

const upowrProjectAddr = "pipesolar_upowr_project.test"

// upowrProjectConfig is a UPowr provider block plus one project with body.
func upowrProjectConfig(m *mockapi.Server, body string) string {
	return upowrProvider(m) + "resource \"pipesolar_upowr_project\" \"test\" {\n" + body + "\n}\n"
}

const upowrProjectBody = `
  products_of_interest = [{ solar = true, battery = true }]
  customer = jsonencode({
    firstName = "Ada"
    lastName  = "Lovelace"
    email     = "ada@example.com"
  })
  site = jsonencode({
    address = { line1 = "123 Solar St", city = "Sunville", postcode = "90210" }
  })
  custom_fields     = jsonencode({ campaign = "spring", score = 7 })
  customer_comments = "Call after 5pm"
  preferred_days    = [1, 3, 5]
  class             = "residential"
  xref              = "crm-42"
  closed_by         = "terraform"
`

// theUPowrProject returns the single project in the mock.
func theUPowrProject(t *testing.T, m *mockapi.Server) mockapi.UPowrProject {
	t.Helper()
	ps := m.UPowrProjects()
	if len(ps) != 1 {
		t.Fatalf("mock holds %d UPowr projects, want 1", len(ps))
	}
	return ps[0]
}

func TestAccUPowrProjectResource_lifecycle(t *testing.T) {
	m := newTestMock(t)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: mockCheck(func() error {
			for _, p := range m.UPowrProjects() {
				if p.Status != mockapi.StatusClosed || p.ClosedBy != "terraform" {
					return fmt.Errorf("project %s is %s (closed by %q) after destroy, want CLOSED by terraform", p.ID, p.Status, p.ClosedBy)
				}
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: upowrProjectConfig(m, upowrProjectBody),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(upowrProjectAddr, "type", knownvalue.StringExact("SALES")),
					expectAttr(upowrProjectAddr, "contract_accepted", knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(upowrProjectAddr, tfjsonpath.New("products_of_interest").AtSliceIndex(0).AtMapKey("ev_charger"), knownvalue.Bool(false)),
				},
				Check: func(s *terraform.State) error {
					p := theUPowrProject(t, m)
					firstID = p.ID
					if got := s.RootModule().Resources[upowrProjectAddr].Primary.ID; got != p.ID {
						return fmt.Errorf("state id %q, mock %q", got, p.ID)
					}
					var customer map[string]any
					_ = json.Unmarshal(p.Customer, &customer)
					switch {
					case customer["firstName"] != "Ada":
						return fmt.Errorf("customer = %s", p.Customer)
					case !reflect.DeepEqual(p.PreferredDays, []int{1, 3, 5}):
						return fmt.Errorf("preferred days = %v", p.PreferredDays)
					case p.Class != "residential" || p.Xref != "crm-42":
						return fmt.Errorf("class %q xref %q", p.Class, p.Xref)
					case !p.ProductsOfInterest[0]["solar"] || !p.ProductsOfInterest[0]["battery"] || p.ProductsOfInterest[0]["ev_charger"]:
						return fmt.Errorf("products %v", p.ProductsOfInterest)
					case p.CustomerComments != "Call after 5pm" || p.Type != "SALES":
						return fmt.Errorf("comments %q type %q", p.CustomerComments, p.Type)
					}
					return nil
				},
			},
			{
				// Key order and whitespace in the JSON never show as a difference.
				Config: upowrProjectConfig(m, strings.Replace(upowrProjectBody,
					`custom_fields     = jsonencode({ campaign = "spring", score = 7 })`,
					`custom_fields     = "{\"score\":  7, \"campaign\": \"spring\"}"`, 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// class, xref and preferred_days change in place.
				PreConfig: m.ResetCounts,
				Config: upowrProjectConfig(m, strings.NewReplacer(`"residential"`, `"commercial"`, `"crm-42"`, `"crm-43"`,
					`[1, 3, 5]`, `[0, 6]`).Replace(upowrProjectBody)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(upowrProjectAddr, plancheck.ResourceActionUpdate),
				}},
				Check: mockCheck(func() error {
					p := theUPowrProject(t, m)
					if p.Class != "commercial" || p.Xref != "crm-43" || !reflect.DeepEqual(p.PreferredDays, []int{0, 6}) {
						return fmt.Errorf("after update: class %q xref %q days %v", p.Class, p.Xref, p.PreferredDays)
					}
					if m.Count(mockapi.EndpointUPowrPatchProject) != 1 || m.Count(mockapi.EndpointUPowrPreferences) != 1 ||
						m.Count(mockapi.EndpointUPowrCreateProject) != 0 {
						return fmt.Errorf("calls: %v", m.Counts())
					}
					return nil
				}),
			},
			{
				// Accepting the contract.
				Config: upowrProjectConfig(m, upowrProjectBody+"  contract_accepted = true\n  contract_revision = \"v1\"\n"),
				Check: mockCheck(func() error {
					if p := theUPowrProject(t, m); !p.ContractAccepted || p.AcceptCount != 1 || p.ReAcceptCount != 0 {
						return fmt.Errorf("accepted %v, accepts %d, re-accepts %d", p.ContractAccepted, p.AcceptCount, p.ReAcceptCount)
					}
					return nil
				}),
			},
			{
				// A new revision of an accepted contract is accepted again.
				Config: upowrProjectConfig(m, upowrProjectBody+"  contract_accepted = true\n  contract_revision = \"v2\"\n"),
				Check: mockCheck(func() error {
					if p := theUPowrProject(t, m); p.ReAcceptCount != 1 {
						return fmt.Errorf("re-accepts %d, want 1", p.ReAcceptCount)
					}
					return nil
				}),
			},
			{
				Config:      upowrProjectConfig(m, upowrProjectBody+"  contract_accepted = false\n  contract_revision = \"v2\"\n"),
				ExpectError: expectError(`An accepted contract cannot be un-accepted`),
			},
			{
				// Changing the customer replaces the project, closing the old one.
				Config: upowrProjectConfig(m, strings.Replace(upowrProjectBody, `"Ada"`, `"Grace"`, 1)+
					"  contract_accepted = true\n  contract_revision = \"v2\"\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(upowrProjectAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: mockCheck(func() error {
					old, ok := m.UPowrProjectByID(firstID)
					if !ok || old.Status != mockapi.StatusClosed || old.ClosedBy != "terraform" {
						return fmt.Errorf("old project: %+v", old)
					}
					if n := len(m.UPowrProjects()); n != 2 {
						return fmt.Errorf("%d projects, want 2 (old closed + new)", n)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccUPowrProjectResource_reject(t *testing.T) {
	m := newTestMock(t)
	base := `  products_of_interest = [{ solar = true }]
  customer_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
  site_id     = "4fa85f64-5717-4562-b3fc-2c963f66afa7"
`
	testAccParallel(t, []resource.TestStep{
		{Config: upowrProjectConfig(m, base)},
		{
			Config: upowrProjectConfig(m, base+`  rejected_reason = "Roof unsuitable"`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(upowrProjectAddr, plancheck.ResourceActionUpdate),
			}},
			Check: mockCheck(func() error {
				if p := theUPowrProject(t, m); p.Status != mockapi.StatusRejected || p.RejectReason != "Roof unsuitable" {
					return fmt.Errorf("status %s reason %q", p.Status, p.RejectReason)
				}
				return nil
			}),
		},
		{
			Config:      upowrProjectConfig(m, base+`  rejected_reason = "Changed my mind"`),
			ExpectError: expectError(`A rejected project stays rejected.*"Roof unsuitable"`),
		},
		{
			Config:      upowrProjectConfig(m, base),
			ExpectError: expectError(`A rejected project stays rejected`),
		},
	})
}

// TestAccUPowrProjectResource_validation: each case runs with a mock of its
// own and checks, after its steps, that nothing reached the API.
func TestAccUPowrProjectResource_validation(t *testing.T) {
	project := func(body string) string {
		return "resource \"pipesolar_upowr_project\" \"test\" {\n" + body + "\n}\n"
	}
	solar := func(more string) string { return project("products_of_interest = [{ solar = true }]\n" + more) }
	const customerID, siteID = `customer_id = "3fa85f64-5717-4562-b3fc-2c963f66afa6"`, `site_id = "4fa85f64-5717-4562-b3fc-2c963f66afa7"`
	testAccInvalid(t, upowrProvider, map[string]invalidConfig{
		"no products":          {project(`products_of_interest = []`), `products_of_interest.*at least 1`},
		"customer and id":      {solar("customer = jsonencode({a = 1})\n" + customerID), `customer_id.*cannot be specified when.*customer`},
		"site and site_id":     {solar(customerID + "\nsite = jsonencode({a = 1})\n" + siteID), `site_id.*cannot be specified when.*site`},
		"site_id alone":        {solar(siteID), `customer_id.*must be specified when.*site_id`},
		"bad uuid":             {solar(`customer_id = "42"`), `customer_id.*must be a UUID`},
		"day 7":                {solar(`preferred_days = [1, 7]`), `preferred_days.*between 0 and 6`},
		"negative day":         {solar(`preferred_days = [-1]`), `preferred_days.*between 0 and 6`},
		"bad type":             {solar(`type = "LEASE"`), `type.*SALES.*SERVICE`},
		"customer not json":    {solar(`customer = "{nope"`), `customer`},
		"customer is an array": {solar(`customer = jsonencode([1, 2])`), `customer must be a JSON object`},
		"empty reject reason":  {solar(`rejected_reason = ""`), `rejected_reason.*must not be empty or only white space`},
		"blank reject reason":  {solar(`rejected_reason = " "`), `rejected_reason.*must not be empty or only white space`},
		"blank association":    {solar(`file_association_id = " "`), `file_association_id.*must not be empty or only white space`},
	})
}

// The three ways to authenticate, and what a wrong credential says.
func TestAccUPowrProjectResource_auth(t *testing.T) {
	key, keyPEM := testRSAKeyPEM(t)
	body := "resource \"pipesolar_upowr_project\" \"test\" {\n  products_of_interest = [{ solar = true }]\n}\n"
	const audience = "https://api.example.test"
	providers := map[string]func(m *mockapi.Server) *testUPowr{
		"client credentials with audience": func(m *mockapi.Server) *testUPowr {
			u := upowrClientCredentials(m, m.UPowrBaseURL())
			u.audience = audience
			return u
		},
		"private key JWT": func(m *mockapi.Server) *testUPowr {
			return &testUPowr{baseURL: m.UPowrBaseURL(), tokenURL: m.TokenURL(), audience: audience,
				clientID: testUPowrClientID, keyID: "k1", privateKey: keyPEM}
		},
		"static access token": func(m *mockapi.Server) *testUPowr {
			return &testUPowr{baseURL: m.UPowrBaseURL(), accessToken: ucStaticToken}
		},
	}
	for name, provider := range providers {
		t.Run(name, func(t *testing.T) {
			m := mockapi.NewTest(t, mockapi.Config{UPowrAudience: audience,
				UPowrKeys: map[string]crypto.PublicKey{"k1": &key.PublicKey}})
			testAccParallel(t, []resource.TestStep{{
				Config: testProvider{upowr: provider(m)}.String() + body,
				Check: mockCheck(func() error {
					if n := len(m.UPowrProjects()); n != 1 {
						return fmt.Errorf("%d projects", n)
					}
					return nil
				}),
			}})
		})
	}

	wrong := map[string]struct {
		upowr func(m *mockapi.Server) *testUPowr
		want  string
	}{
		"wrong secret": {func(m *mockapi.Server) *testUPowr {
			return &testUPowr{baseURL: m.UPowrBaseURL(), tokenURL: m.TokenURL(), clientID: testUPowrClientID, clientSecret: "nope"}
		}, `UPowr authentication failed \(client credentials\) at token URL {token_url}.*invalid_client`},
		"wrong key": {func(m *mockapi.Server) *testUPowr {
			return &testUPowr{baseURL: m.UPowrBaseURL(), tokenURL: m.TokenURL(), clientID: testUPowrClientID, keyID: "k1", privateKey: keyPEM}
		}, `UPowr authentication failed \(private key JWT\) at token URL {token_url}`},
		"no credentials": {func(m *mockapi.Server) *testUPowr { return &testUPowr{baseURL: m.UPowrBaseURL()} },
			`Missing UPowr credentials.*UPOWR_CLIENT_ID`},
	}
	for name, tc := range wrong {
		t.Run(name, func(t *testing.T) {
			clearProviderEnv(t) // sequential: a configured environment must not help
			m := newTestMock(t) // knows no key: the JWT is refused
			cfg := testProvider{upowr: tc.upowr(m)}.String() + body
			testAccSerial(t, []resource.TestStep{{
				Config:      cfg,
				ExpectError: expectError(strings.ReplaceAll(tc.want, "{token_url}", regexp.QuoteMeta(m.TokenURL()))),
			}})
			if strings.Contains(fmt.Sprint(m.Counts()), "POST /upowr/projects:") {
				t.Errorf("a create reached the API without a token: %v", m.Counts())
			}
		})
	}
}

// The access token is fetched once per provider run and shared by every
// resource: applying five projects costs no more token requests than one.
func TestAccUPowrProjectResource_tokenReuse(t *testing.T) {
	tokens := func(n int) int {
		m := newTestMock(t)
		var cfg strings.Builder
		cfg.WriteString(upowrProvider(m))
		for i := range n {
			fmt.Fprintf(&cfg, "resource \"pipesolar_upowr_project\" \"p%d\" {\n  products_of_interest = [{ solar = true }]\n  class = \"c\"\n}\n", i)
		}
		testAccSerial(t, []resource.TestStep{{Config: cfg.String()}})
		if got := len(m.UPowrProjects()); got != n {
			t.Fatalf("%d projects, want %d", got, n)
		}
		return m.Count(mockapi.EndpointToken)
	}
	one, five := tokens(1), tokens(5)
	// Each Terraform command starts the provider once. Two commands call
	// UPowr: the apply (creates) and the final destroy (closes); refresh
	// reads nothing. So: one token per command, however many resources.
	if one != 2 || five != 2 {
		t.Errorf("token requests: %d for 1 project, %d for 5 projects; want 2 and 2 (apply + destroy)", one, five)
	}
}

// One apply uploads the photo, then creates the project that picks it up
// through file_association_id.
func TestAccUPowrProjectResource_withUploadedFile(t *testing.T) {
	m := newTestMock(t)
	photo := filepath.Join(t.TempDir(), "switchboard.jpg")
	if err := os.WriteFile(photo, []byte("not really a jpeg"), 0o600); err != nil {
		t.Fatal(err)
	}
	testAccParallel(t, []resource.TestStep{{
		Config: upowrProvider(m) + fmt.Sprintf(`
resource "pipesolar_upowr_file" "photo" {
  file_association_id = "assoc-1"
  file_code           = "switchboard_photo"
  source              = %q
}

resource "pipesolar_upowr_project" "test" {
  products_of_interest = [{ solar = true }]
  customer             = jsonencode({ firstName = "Ada" })
  file_association_id  = pipesolar_upowr_file.photo.file_association_id
}
`, photo),
		Check: mockCheck(func() error {
			p := theUPowrProject(t, m)
			if p.FileAssociationID != "assoc-1" || len(p.Files) != 1 || p.Files[0].FileCode != "switchboard_photo" {
				return fmt.Errorf("project files: association %q, files %+v", p.FileAssociationID, p.Files)
			}
			return nil
		}),
	}})
}

// TestAccUPowrProjectResource_closedElsewhere: UPowr closes projects by
// itself (a newer project for the same customer and site) and people close
// them in the app. Destroying such a project meets a 409 from /close: that
// means done, with a warning, not an error that leaves it stuck in state.
func TestAccUPowrProjectResource_closedElsewhere(t *testing.T) {
	m := newTestMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: mockCheck(func() error {
			// One close by destroy, answered 409; the project stays closed
			// by whoever closed it first.
			if n := m.Count(mockapi.EndpointUPowrClose); n != 1 {
				return fmt.Errorf("close called %d times, want 1", n)
			}
			if p := theUPowrProject(t, m); p.Status != mockapi.StatusClosed || p.ClosedBy != "the UPowr app" {
				return fmt.Errorf("project is %s (closed by %q), want CLOSED by the UPowr app", p.Status, p.ClosedBy)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{Config: upowrProjectConfig(m, upowrProjectBody)},
			{
				PreConfig: func() {
					if !m.CloseUPowrProject(theUPowrProject(t, m).ID, "the UPowr app") {
						t.Fatal("project not in the mock")
					}
				},
				Config:   upowrProjectConfig(m, upowrProjectBody),
				PlanOnly: true,
			},
		},
	})
}
