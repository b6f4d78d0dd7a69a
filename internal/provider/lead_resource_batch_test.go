package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// leadBatchCompany seeds 120 leads the configuration does not manage (with
// its three, the listing has two pages) and returns a configuration of
// three leads l0..l2 with batch_refresh as given.
func leadBatchCompany(t *testing.T, m *mockapi.Server, batch bool) string {
	t.Helper()
	for i := range 120 {
		seedTestLead(t, m, mockapi.LeadSeed{FirstName: "Other", LastName: fmt.Sprintf("Customer %d", i),
			Line1: fmt.Sprintf("%d Elm St", i+1), City: "Sunville", State: "CA", PostalCode: "90210"})
	}
	var b strings.Builder
	b.WriteString(testProvider{token: testPipeToken, baseURL: m.PipeBaseURL(), batchRefresh: batch}.String())
	for i := range 3 {
		fmt.Fprintf(&b, `resource "pipesolar_lead" "l%d" {
  first_name  = "Grace"
  last_name   = "Hopper %d"
  email       = "grace%d@example.com"
  external_id = "crm-%d"
  address = {
    line1       = "%d Main St"
    city        = "Sunville"
    state       = "CA"
    postal_code = "90210"
  }
}
`, i, i, i, i, i+1)
	}
	return b.String()
}

// leadRefreshCalls are the calls of one refresh of leadBatchCompany's three
// leads, of which gone are gone: one read each without batch_refresh; with
// it, the listing's two pages and one read per lead the listing lacks.
func leadRefreshCalls(batch bool, gone int) map[string]int {
	if !batch {
		return map[string]int{mockapi.EndpointListLeads: 0, getLead: 3}
	}
	return map[string]int{mockapi.EndpointListLeads: 2, getLead: gone}
}

// leadByExternalID is the id of the mock's lead with externalId ext.
func leadByExternalID(t *testing.T, m *mockapi.Server, ext string) string {
	t.Helper()
	for _, id := range m.LeadIDs() {
		if l, ok := m.Lead(id); ok && l["externalId"] == ext {
			return id
		}
	}
	t.Fatalf("the mock holds no lead with externalId %s", ext)
	return ""
}

// The drift, out-of-band change and deletion cases of pipesolar_lead, each
// with batch_refresh off and on: the same plans, and the calls each way (a
// changed lead costs no call with it: the listing's rows are full leads).
func TestAccLeadBatch_bothWays(t *testing.T) {
	l := func(i int) string { return fmt.Sprintf("pipesolar_lead.l%d", i) }
	scenarios := []struct {
		name string
		step func(t *testing.T, m *mockapi.Server, before func(), cfg string) resource.TestStep
		gone int
	}{
		{
			name: "drift",
			step: func(t *testing.T, m *mockapi.Server, before func(), cfg string) resource.TestStep {
				return resource.TestStep{
					PreConfig: func() {
						before()
						m.EditLead(leadByExternalID(t, m, "crm-1"), func(l map[string]any) {
							l["customer"].(map[string]any)["email"] = "hopper@example.com"
						})
					},
					Config:             cfg,
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(l(1), plancheck.ResourceActionUpdate),
						expectPlannedAttr(l(1), "email", knownvalue.StringExact("grace1@example.com")),
						plancheck.ExpectResourceAction(l(0), plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(l(2), plancheck.ResourceActionNoop),
					}},
				}
			},
		},
		{
			name: "out-of-band change",
			step: func(t *testing.T, m *mockapi.Server, before func(), cfg string) resource.TestStep {
				return resource.TestStep{
					PreConfig: func() {
						before()
						m.EditLead(leadByExternalID(t, m, "crm-2"), func(l map[string]any) {
							l["customer"].(map[string]any)["phone"] = "602-555-0100"
						})
					},
					Config:   cfg,
					PlanOnly: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectEmptyPlan(),
						expectPlannedAttr(l(2), "phone", knownvalue.StringExact("602-555-0100")),
					}},
				}
			},
		},
		{
			name: "deletion", gone: 1,
			step: func(t *testing.T, m *mockapi.Server, before func(), cfg string) resource.TestStep {
				return stepPlansCreate(func() {
					before()
					if !m.DeleteLead(leadByExternalID(t, m, "crm-0")) {
						t.Fatal("lead crm-0 not in the mock")
					}
				}, cfg, l(0))
			},
		},
	}
	for _, sc := range scenarios {
		for _, batch := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/batch_refresh=%t", sc.name, batch), func(t *testing.T) {
				m := newTestMock(t)
				cfg := leadBatchCompany(t, m, batch)
				step := sc.step(t, m, countsNow(t, m, leadRefreshCalls(batch, 0)), cfg)
				again := step
				again.PreConfig = countsNow(t, m, leadRefreshCalls(batch, sc.gone))
				testAccParallel(t, []resource.TestStep{
					{Config: cfg},
					stepPlansNothing(m.ResetCounts, cfg),
					step,
					again,
				})
			})
		}
	}
}
