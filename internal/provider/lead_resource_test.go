package provider

import (
	"fmt"
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

const (
	leadAddr   = "pipesolar_lead.l"
	createLead = mockapi.EndpointCreateLead
	getLead    = mockapi.EndpointGetLead
	patchLead  = mockapi.EndpointPatchLead
)

// leadBlock is a pipesolar_lead "l" for Grace Hopper at 1 Main St,
// Sunville with the given extra settings (`name = value` lines, values as
// HCL); state is the address's state.
func leadBlock(state string, settings ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `resource "pipesolar_lead" "l" {
  first_name = "Grace"
  last_name  = "Hopper"
  address = {
    line1       = "1 Main St"
    city        = "Sunville"
    state       = %q
    postal_code = "90210"
  }
`, state)
	for _, s := range settings {
		fmt.Fprintf(&b, "  %s\n", s)
	}
	b.WriteString("}\n")
	return b.String()
}

func leadCfg(m *mockapi.Server, settings ...string) string {
	return pipeProvider(m) + leadBlock("CA", settings...)
}

// expectLead checks attribute name (then map keys) of pipesolar_lead.l.
func expectLead(v knownvalue.Check, name string, keys ...string) statecheck.StateCheck {
	p := tfjsonpath.New(name)
	for _, k := range keys {
		p = p.AtMapKey(k)
	}
	return statecheck.ExpectKnownValue(leadAddr, p, v)
}

// onlyLead is the one lead the mock holds; the test fails when there are
// more or none.
func onlyLead(m *mockapi.Server) (map[string]any, error) {
	ids := m.LeadIDs()
	if len(ids) != 1 {
		return nil, fmt.Errorf("the mock holds %d leads, want 1: %v", len(ids), ids)
	}
	l, _ := m.Lead(ids[0])
	return l, nil
}

// checkOneLead fails unless the mock holds exactly one lead.
func checkOneLead(m *mockapi.Server) resource.TestCheckFunc {
	return mockCheck(func() error { _, err := onlyLead(m); return err })
}

// editLead edits the mock's only lead as a user of the app would.
func editLead(t *testing.T, m *mockapi.Server, edit func(l map[string]any)) func() {
	return func() {
		ids := m.LeadIDs()
		if len(ids) != 1 || !m.EditLead(ids[0], edit) {
			t.Fatalf("the mock holds leads %v, want one", ids)
		}
	}
}

// Create, read back, update in place, an empty plan after each apply, and
// import by id and by old reference; each step's calls counted.
func TestAccLead_lifecycle(t *testing.T) {
	m := newTestMock(t)
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(leadAddr, plancheck.ResourceActionUpdate),
	}}
	var leadID string
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig: m.ResetCounts,
			Config: leadCfg(m, `email = "grace@example.com"`, `phone = "555-010-0002"`, `notes = "Roof faces south"`,
				`sales_rep_email = "rep@example.com"`, `co_borrower = { first_name = "Alan", last_name = "Turing" }`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectLead(knownvalue.StringRegexp(regexpOf(`^tf-[0-9a-f]{32}$`)), "external_id"),
				expectLead(knownvalue.StringExact("Grace"), "first_name"),
				expectLead(knownvalue.StringExact("grace@example.com"), "email"),
				expectLead(knownvalue.StringExact("US"), "address", "country"),
				expectLead(knownvalue.Null(), "address", "line2"),
				expectLead(knownvalue.StringExact("Alan"), "co_borrower", "first_name"),
				expectLead(knownvalue.Null(), "co_borrower", "email"),
				expectLead(knownvalue.StringExact("rep@example.com"), "sales_rep", "email"),
				expectLead(knownvalue.Null(), "setter_email"),
				expectLead(knownvalue.StringExact("solar"), "product_line"),
				expectLead(knownvalue.StringExact("API"), "source", "name"),
				expectLead(knownvalue.Null(), "project_id"),
				expectLead(knownvalue.Bool(false), "archived"),
			},
			// POST, then the co-borrower's PATCH, whose answer is the lead.
			Check: resource.ComposeTestCheckFunc(
				checkCounts(m, map[string]int{createLead: 1, patchLead: 1, getLead: 0}),
				checkOneLead(m),
				func(s *terraform.State) error {
					leadID = s.RootModule().Resources[leadAddr].Primary.ID
					return nil
				},
			),
		},
		{
			PreConfig: m.ResetCounts,
			Config: pipeProvider(m) + leadBlock("Ontario", `email = "grace@example.com"`, `phone = ""`, `notes = "Roof faces south-west"`,
				`sales_rep_email = "rep@example.com"`, `co_borrower = { first_name = "Alan", last_name = "Turing" }`,
				`setter_email = "setter@example.com"`),
			ConfigPlanChecks: update,
			ConfigStateChecks: []statecheck.StateCheck{
				expectLead(knownvalue.StringExact(""), "phone"),
				expectLead(knownvalue.StringExact("Roof faces south-west"), "notes"),
				expectLead(knownvalue.StringExact("setter@example.com"), "setter", "email"),
				expectLead(knownvalue.StringExact("Ontario"), "address", "state"),
				expectLead(knownvalue.StringExact("CA"), "address", "country"),
				// Derived at create, kept: it does not follow the address.
				expectLead(knownvalue.StringRegexp(regexpOf(`^tf-[0-9a-f]{32}$`)), "external_id"),
			},
			// One refresh (one GET), one PATCH.
			Check: resource.ComposeTestCheckFunc(
				checkCounts(m, map[string]int{createLead: 0, patchLead: 1, getLead: 1}),
				mockCheck(func() error {
					l, err := onlyLead(m)
					if err != nil {
						return err
					}
					if phone := l["customer"].(map[string]any)["phone"]; phone != nil {
						return fmt.Errorf("phone %v, want it cleared", phone)
					}
					return nil
				}),
			),
		},
		{
			ResourceName:      leadAddr,
			ImportState:       true,
			ImportStateVerify: true,
			// Cleared with "" in the configuration, null in pipe.solar.
			ImportStateVerifyIgnore: []string{"phone", "timeouts"},
		},
		{
			ResourceName: leadAddr,
			ImportState:  true,
			ImportStateIdFunc: func(*terraform.State) (string, error) {
				return leadID, nil
			},
			ImportStateVerify:       true,
			ImportStateVerifyIgnore: []string{"phone", "timeouts"},
		},
	})
}

func regexpOf(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// testLeadSeed is a lead made in the app for Grace Hopper at the address
// of leadBlock("CA"), with an old reference.
func testLeadSeed() mockapi.LeadSeed {
	return mockapi.LeadSeed{Reference: "L4YR1VSK7K", FirstName: "Grace", LastName: "Hopper",
		Email: "grace@example.com", Line1: "1 Main St", City: "Sunville", State: "CA", PostalCode: "90210",
		SalesRepEmail: "rep@example.com"}
}

func seedTestLead(t *testing.T, m *mockapi.Server, seed mockapi.LeadSeed) string {
	t.Helper()
	id, err := m.SeedLead(seed)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// An import block by the old reference, with configuration that names only
// the required arguments (the state by name, where pipe.solar has its code;
// the e-mail in another case): the plan imports and changes nothing, the
// state holds Pipe's id, and the import is one GET.
func TestAccLead_importByReference(t *testing.T) {
	m := newTestMock(t)
	id := seedTestLead(t, m, testLeadSeed())
	cfg := pipeProvider(m) + leadBlock("California", `email = "Grace@Example.com"`)
	testAccParallel(t, []resource.TestStep{
		{
			PreConfig: m.ResetCounts,
			Config: cfg + `import {
  to = pipesolar_lead.l
  id = "L4YR1VSK7K"
}
`,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(leadAddr, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				expectLead(knownvalue.StringExact(id), "id"),
				expectLead(knownvalue.StringExact("L4YR1VSK7K"), "reference"),
				expectLead(knownvalue.Null(), "external_id"),
				expectLead(knownvalue.StringExact("rep@example.com"), "sales_rep_email"),
				expectLead(knownvalue.StringExact("grace@example.com"), "email"),
				expectLead(knownvalue.StringExact("CA"), "address", "state"),
			},
			Check: checkCounts(m, map[string]int{getLead: 1, createLead: 0, patchLead: 0}),
		},
		{
			Config:                               cfg,
			ResourceName:                         leadAddr,
			ImportState:                          true,
			ImportStateKind:                      resource.ImportBlockWithID,
			ImportStateId:                        "L4YR1VSK7K",
			ImportStateVerifyIdentifierAttribute: "id",
		},
	})
}

// Changes made in the app show on refresh: a managed argument plans an
// update back, an unmanaged one is shown without a diff; a lead gone plans
// a create.
func TestAccLead_drift(t *testing.T) {
	m := newTestMock(t)
	cfg := leadCfg(m, `email = "grace@example.com"`)
	testAccParallel(t, []resource.TestStep{
		{Config: cfg},
		{
			PreConfig: editLead(t, m, func(l map[string]any) {
				l["customer"].(map[string]any)["phone"] = "602-555-0100"
				l["setter"] = map[string]any{"name": "Sam", "email": "sam@example.com", "phone": nil}
			}),
			Config:   cfg,
			PlanOnly: true,
			ConfigStateChecks: []statecheck.StateCheck{
				expectLead(knownvalue.StringExact("602-555-0100"), "phone"),
				expectLead(knownvalue.StringExact("sam@example.com"), "setter_email"),
			},
		},
		{
			PreConfig: editLead(t, m, func(l map[string]any) {
				l["customer"].(map[string]any)["email"] = "hopper@example.com"
			}),
			Config:             cfg,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(leadAddr, plancheck.ResourceActionUpdate),
				expectPlannedAttr(leadAddr, "email", knownvalue.StringExact("grace@example.com")),
				// Not managed: the app's value, known in the plan.
				expectPlannedAttr(leadAddr, "setter_email", knownvalue.StringExact("sam@example.com")),
				expectPlannedAttr(leadAddr, "phone", knownvalue.StringExact("602-555-0100")),
				expectPlannedAttr(leadAddr, "external_id", knownvalue.NotNull()),
			}},
		},
		{
			PreConfig: m.ResetCounts,
			Config:    cfg,
			Check: resource.ComposeTestCheckFunc(
				checkCounts(m, map[string]int{patchLead: 1, createLead: 0}),
				mockCheck(func() error {
					l, err := onlyLead(m)
					if err != nil {
						return err
					}
					if got := l["customer"].(map[string]any)["email"]; got != "grace@example.com" {
						return fmt.Errorf("email %v, want it set back", got)
					}
					if got := l["setter"].(map[string]any)["email"]; got != "sam@example.com" {
						return fmt.Errorf("setter %v, want the app's kept", got)
					}
					return nil
				}),
			),
		},
		stepPlansCreate(func() { m.DeleteLead(m.LeadIDs()[0]) }, cfg, leadAddr),
	})
}

// pipe.solar re-formats what it stores: the configuration's values stay
// in state, the plan after apply is empty, and an edit of the configuration
// that only re-formats a value plans nothing.
func TestAccLead_reformatted(t *testing.T) {
	m := newTestMock(t)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{ReformatPhone: true, StateAsCode: true, LowercaseEmail: true, TrimSpaces: true})
	settings := []string{`email = "Grace.Hopper@Example.COM"`, `phone = "+1 555 010 0002"`, `notes = "  Roof faces south  "`,
		`sales_rep_email = "REP@example.com"`, `co_borrower = { first_name = " Alan", email = "Alan@Example.com", phone = "5550100003" }`}
	testAccParallel(t, []resource.TestStep{
		{
			Config: pipeProvider(m) + leadBlock("california", settings...),
			ConfigStateChecks: []statecheck.StateCheck{
				expectLead(knownvalue.StringExact("california"), "address", "state"),
				expectLead(knownvalue.StringExact("Grace.Hopper@Example.COM"), "email"),
				expectLead(knownvalue.StringExact("+1 555 010 0002"), "phone"),
			},
			Check: mockCheck(func() error {
				l, err := onlyLead(m)
				if err != nil {
					return err
				}
				if got := l["address"].(map[string]any)["state"]; got != "CA" {
					return fmt.Errorf("the mock stored state %v; the test needs it re-formatted", got)
				}
				if got := l["customer"].(map[string]any)["phone"]; got != "(555) 010-0002" {
					return fmt.Errorf("the mock stored phone %v; the test needs it re-formatted", got)
				}
				return nil
			}),
		},
		{
			PreConfig: m.ResetCounts,
			Config: pipeProvider(m) + leadBlock("california", `email = "grace.hopper@example.com"`, `phone = "(555) 010-0002"`,
				`notes = "Roof faces south"`, `sales_rep_email = "rep@example.com"`,
				`co_borrower = { first_name = " Alan", email = "Alan@Example.com", phone = "5550100003" }`),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		},
		{
			PreConfig:        m.ResetCounts,
			Config:           pipeProvider(m) + strings.Replace(leadBlock("CA", settings...), `"Grace"`, `"Grace "`, 1),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            checkCounts(m, map[string]int{patchLead: 0, createLead: 0, getLead: 1}),
		},
	})
}

// The mock applies the POST and answers 500: the client sends it again
// with the same external id, pipe.solar answers the lead already made
// (created: false), and there is exactly one lead.
func TestAccLead_ambiguousCreate(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		PreConfig: func() {
			m.ResetCounts()
			m.SetFaults(mockapi.Faults{AfterCommit: 1, Endpoints: []string{createLead}})
		},
		Config: leadCfg(m, `email = "grace@example.com"`),
		Check: resource.ComposeTestCheckFunc(
			checkOneLead(m),
			checkCounts(m, map[string]int{createLead: 2, getLead: 1, patchLead: 0}),
		),
	}})
}

// A rep e-mail that is not an active member: pipe.solar makes the lead
// without the rep; the apply fails naming the e-mail, the lead stays in
// state, and the next applies (a replacement of the tainted lead) find
// the same lead, until the e-mail is right.
func TestAccLead_unassignedEmail(t *testing.T) {
	m := newTestMock(t)
	bad := leadCfg(m, `sales_rep_email = "nobody@example.com"`)
	testAccParallel(t, []resource.TestStep{
		{
			Config:      bad,
			ExpectError: expectError(`"nobody@example.com" is not a member who is active in the company .* The lead is kept in Terraform state`),
			Check:       checkOneLead(m),
		},
		{
			Config:      bad,
			ExpectError: expectError(`pipe.solar refused sales_rep_email "nobody@example.com": a rep or setter must be a member who is active in the company`),
		},
		{
			PreConfig: m.ResetCounts,
			Config:    leadCfg(m, `sales_rep_email = "rep@example.com"`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectLead(knownvalue.StringExact("rep@example.com"), "sales_rep", "email"),
			},
			Check: resource.ComposeTestCheckFunc(
				checkOneLead(m),
				checkCounts(m, map[string]int{createLead: 1, patchLead: 1}),
			),
		},
	})
}

// A lead with the configured external id exists already (made by another
// apply, or by a create that failed after pipe.solar made it): create adopts
// it and changes what differs.
func TestAccLead_adoptsByExternalID(t *testing.T) {
	m := newTestMock(t)
	seed := testLeadSeed()
	seed.Reference, seed.ExternalID, seed.FirstName, seed.Email = "", "crm-42", "Gracie", "old@example.com"
	id := seedTestLead(t, m, seed)
	testAccParallel(t, []resource.TestStep{{
		PreConfig: m.ResetCounts,
		Config:    leadCfg(m, `external_id = "crm-42"`, `email = "grace@example.com"`),
		ConfigStateChecks: []statecheck.StateCheck{
			expectLead(knownvalue.StringExact(id), "id"),
			expectLead(knownvalue.StringExact("Grace"), "first_name"),
			expectLead(knownvalue.StringExact("rep@example.com"), "sales_rep_email"),
		},
		Check: resource.ComposeTestCheckFunc(
			checkOneLead(m),
			checkCounts(m, map[string]int{createLead: 1, getLead: 1, patchLead: 1}),
		),
	}})
}

// external_id cannot change: the plan fails and says what to do.
func TestAccLead_externalIDChange(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{
		{Config: leadCfg(m, `external_id = "crm-1"`)},
		{
			Config:      leadCfg(m, `external_id = "crm-2"`),
			PlanOnly:    true,
			ExpectError: expectError(`external_id cannot change .* has the external id "crm-1"; the configuration sets "crm-2".*terraform state rm`),
		},
		stepPlansNothing(nil, leadCfg(m)),
	})
}

func TestAccLead_invalid(t *testing.T) {
	t.Parallel()
	block := func(first, state string, settings ...string) string {
		return strings.Replace(leadBlock(state, settings...), `"Grace"`, first, 1)
	}
	testAccInvalid(t, pipeProvider, map[string]invalidConfig{
		"blank first name": {block(`"  "`, "CA"), `first_name .* must not be empty`},
		"unknown state":    {block(`"Grace"`, "Atlantis"), `Unknown state or province .* "Atlantis"`},
		"bad email":        {block(`"Grace"`, "CA", `email = "grace"`), `Invalid e-mail address .* "grace"`},
		"bad co-borrower":  {block(`"Grace"`, "CA", `co_borrower = { email = "x@" }`), `Invalid e-mail address`},
		"bad country": {strings.Replace(block(`"Grace"`, "CA"), `postal_code = "90210"`, `postal_code = "90210"
    country     = "MX"`, 1), `address.country value must be one of`},
		"external id too long": {block(`"Grace"`, "CA", fmt.Sprintf("external_id = %q", strings.Repeat("x", 129))), `external_id .* at most 128`},
	})
}

// pipe.solar refuses an update that names an e-mail no active member has:
// the apply fails naming it, nothing changes in pipe.solar or in state, and
// the next plan proposes the change again.
func TestAccLead_refusedEmailOnUpdate(t *testing.T) {
	m := newTestMock(t)
	good := leadCfg(m, `sales_rep_email = "rep@example.com"`, `phone = "555-010-0002"`)
	bad := leadCfg(m, `sales_rep_email = "nobody@example.com"`, `phone = "555-010-0003"`)
	testAccParallel(t, []resource.TestStep{
		{Config: good},
		{
			Config:      bad,
			ExpectError: expectError(`pipe.solar refused sales_rep_email "nobody@example.com":.*Nothing was changed`),
			Check: mockCheck(func() error {
				l, err := onlyLead(m)
				if err != nil {
					return err
				}
				if got := l["customer"].(map[string]any)["phone"]; got != "555-010-0002" {
					return fmt.Errorf("phone %v: the refused PATCH changed the lead", got)
				}
				return nil
			}),
		},
		{
			Config:   bad,
			PlanOnly: true, ExpectNonEmptyPlan: true,
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(leadAddr, plancheck.ResourceActionUpdate),
			}},
		},
		stepPlansNothing(nil, good),
	})
}
