package provider

import (
	"fmt"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// expectData checks the value at p (a top-level name, then map keys or
// list indexes) of the data source at addr.
func expectData(addr string, v knownvalue.Check, name string, steps ...any) statecheck.StateCheck {
	p := tfjsonpath.New(name)
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			p = p.AtMapKey(s)
		case int:
			p = p.AtSliceIndex(s)
		}
	}
	return statecheck.ExpectKnownValue(addr, p, v)
}

func TestAccLeadDataSource(t *testing.T) {
	m := newTestMock(t)
	id := seedTestLead(t, m, testLeadSeed())
	const addr = "data.pipesolar_lead.l"
	testAccParallel(t, []resource.TestStep{
		{
			Config:      pipeProvider(m) + `data "pipesolar_lead" "l" { id = "nope" }`,
			ExpectError: expectError(`Lead not found .* no lead "nope"`),
		},
		{
			PreConfig: m.ResetCounts,
			Config:    pipeProvider(m) + `data "pipesolar_lead" "l" { id = "L4YR1VSK7K" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.StringExact("L4YR1VSK7K"), "id"),
				expectData(addr, knownvalue.StringExact(id), "lead_id"),
				expectData(addr, knownvalue.StringExact("Grace"), "customer", "first_name"),
				expectData(addr, knownvalue.StringExact("rep@example.com"), "sales_rep", "email"),
				expectData(addr, knownvalue.StringExact("CA"), "address", "state"),
				expectData(addr, knownvalue.StringExact("Option 1"), "proposal", "label"),
				expectData(addr, knownvalue.StringExact("cash"), "proposal", "financing", "type"),
				expectData(addr, knownvalue.StringExact("Tesla"), "proposal", "system", "batteries", "manufacturer"),
				expectData(addr, knownvalue.NumberExact(big.NewFloat(13.5)), "proposal", "system", "batteries", "capacity_kwh"),
				expectData(addr, knownvalue.StringExact("Main panel upgrade"), "proposal", "adders", 0, "name"),
				expectData(addr, knownvalue.NotNull(), "proposal", "price", "net"),
				expectData(addr, knownvalue.Null(), "project_id"),
			},
			Check: checkCounts(m, map[string]int{getLead: 1}),
		},
	})
}

func TestAccLeadsDataSource(t *testing.T) {
	m := newTestMock(t)
	a := seedTestLead(t, m, mockapi.LeadSeed{FirstName: "Ada"})
	b := seedTestLead(t, m, mockapi.LeadSeed{FirstName: "Bea", ProductLine: "hi"})
	c := seedTestLead(t, m, mockapi.LeadSeed{FirstName: "Cy"})
	const addr = "data.pipesolar_leads.l"
	testAccParallel(t, []resource.TestStep{
		{
			Config:      pipeProvider(m) + `data "pipesolar_leads" "l" { updated_since = "yesterday" }`,
			ExpectError: expectError(`not an RFC 3339 date-time`),
		},
		{
			Config: pipeProvider(m) + `data "pipesolar_leads" "l" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact(c), knownvalue.StringExact(b), knownvalue.StringExact(a)}), "ids"),
				expectData(addr, knownvalue.StringExact("Cy"), "leads", 0, "customer", "first_name"),
				expectData(addr, knownvalue.StringExact("Option 1"), "leads", 0, "proposal", "label"),
			},
		},
		{
			Config: pipeProvider(m) + `data "pipesolar_leads" "l" { product_line = "hi" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(b)}), "ids"),
			},
		},
	})
}

// A lead's activity, every page, newest first by created_at whatever the
// order of the pages, with internal, customer_facing and reply_to.
func TestAccLeadActivitiesDataSource(t *testing.T) {
	var clock atomic.Int64
	start := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	m := mockapi.NewTest(t, mockapi.Config{Now: func() time.Time {
		return start.Add(time.Duration(clock.Add(1)) * time.Second)
	}})
	id := seedTestLead(t, m, mockapi.LeadSeed{Fields: map[string]any{"activities": []any{
		map[string]any{"id": "act_late", "reference": nil, "type": "note", "body": "written last, listed first",
			"internal": true, "customerFacing": false, "replyTo": nil, "author": "Jordan", "authorId": "usr_j",
			"createdAt": "2027-01-01T00:00:00.000Z"},
		map[string]any{"id": "act_reply", "reference": "OLDACT0001", "type": "note", "body": "a reply",
			"internal": false, "customerFacing": true, "replyTo": "act_late", "author": "Ada", "authorId": nil,
			"createdAt": "2026-10-01T00:00:00.000Z"},
	}}})
	for i := range 120 {
		if _, err := m.SeedActivity(id, fmt.Sprintf("note %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	const addr = "data.pipesolar_lead_activities.a"
	testAccParallel(t, []resource.TestStep{{
		PreConfig: m.ResetCounts,
		Config:    pipeProvider(m) + fmt.Sprintf(`data "pipesolar_lead_activities" "a" { lead_id = %q }`, id),
		ConfigStateChecks: []statecheck.StateCheck{
			expectData(addr, knownvalue.ListSizeExact(122), "activities"),
			expectData(addr, knownvalue.StringExact("act_late"), "activities", 0, "id"),
			expectData(addr, knownvalue.Bool(true), "activities", 0, "internal"),
			expectData(addr, knownvalue.StringExact("note 119"), "activities", 1, "body"),
			expectData(addr, knownvalue.StringExact("note 0"), "activities", 120, "body"),
			expectData(addr, knownvalue.StringExact("act_reply"), "activities", 121, "id"),
			expectData(addr, knownvalue.StringExact("act_late"), "activities", 121, "reply_to"),
			expectData(addr, knownvalue.Bool(true), "activities", 121, "customer_facing"),
			expectData(addr, knownvalue.StringExact("OLDACT0001"), "activities", 121, "reference"),
		},
		Check: checkCounts(m, map[string]int{mockapi.EndpointLeadActivities: 2}),
	}})
}

func TestAccStagesDataSource(t *testing.T) {
	m := newTestMock(t)
	const addr = "data.pipesolar_stages.s"
	testAccParallel(t, []resource.TestStep{
		{
			Config: pipeProvider(m) + `data "pipesolar_stages" "s" { product_line = "hi" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.ListSizeExact(len(m.Stages("hi"))), "stages"),
				expectData(addr, knownvalue.StringExact("Sold"), "stages", 0, "name"),
				expectData(addr, knownvalue.StringExact("hi"), "stages", 0, "product_line"),
			},
		},
		{
			Config: pipeProvider(m) + `data "pipesolar_stages" "s" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.ListSizeExact(len(m.Stages(""))), "stages"),
				expectData(addr, knownvalue.StringExact("stg_new_lead"), "stages", 0, "id"),
				expectData(addr, knownvalue.StringExact("normal"), "stages", 0, "kind"),
			},
		},
	})
}

func TestAccAddersDataSource(t *testing.T) {
	m := newTestMock(t)
	const addr = "data.pipesolar_adders.a"
	testAccParallel(t, []resource.TestStep{{
		Config: pipeProvider(m) + `data "pipesolar_adders" "a" {}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectData(addr, knownvalue.ListSizeExact(3), "adders"),
			expectData(addr, knownvalue.StringExact("Main panel upgrade"), "adders", 0, "name"),
			expectData(addr, knownvalue.NumberExact(big.NewFloat(2450)), "adders", 0, "unit_price"),
			expectData(addr, knownvalue.Null(), "adders", 1, "brand"),
			expectData(addr, knownvalue.StringExact("roofing"), "adders", 2, "product_kind"),
		},
	}})
}

func TestAccEquipmentDataSource(t *testing.T) {
	m := newTestMock(t)
	const addr = "data.pipesolar_equipment.e"
	testAccParallel(t, []resource.TestStep{
		{
			Config:      pipeProvider(m) + `data "pipesolar_equipment" "e" { kind = "cable" }`,
			ExpectError: expectError(`kind value must be one of`),
		},
		{
			Config: pipeProvider(m) + `data "pipesolar_equipment" "e" { kind = "inverter" }`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.ListSizeExact(2), "equipment"),
				expectData(addr, knownvalue.Bool(true), "equipment", 0, "microinverter"),
				expectData(addr, knownvalue.Null(), "equipment", 0, "watts"),
			},
		},
		{
			Config: pipeProvider(m) + `data "pipesolar_equipment" "e" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				expectData(addr, knownvalue.ListSizeExact(5), "equipment"),
				expectData(addr, knownvalue.NumberExact(big.NewFloat(400)), "equipment", 0, "watts"),
			},
		},
	})
}

func TestAccCompanyDataSource(t *testing.T) {
	m := newTestMock(t)
	const addr = "data.pipesolar_company.c"
	testAccParallel(t, []resource.TestStep{{
		Config: pipeProvider(m) + `data "pipesolar_company" "c" {}`,
		ConfigStateChecks: []statecheck.StateCheck{
			expectData(addr, knownvalue.StringExact(mockapi.DefaultCompanyName), "name"),
			expectData(addr, knownvalue.StringExact(mockapi.DefaultKeyName), "key_name"),
			expectData(addr, knownvalue.StringExact(testPipeToken[:12]), "key_prefix"),
		},
	}})
}

// A dealer's key reading the ladder or the catalogue gets an error that
// says an installer's key is needed.
func TestAccCatalogue_dealerKey(t *testing.T) {
	t.Parallel()
	for _, ds := range []string{"stages", "adders", "equipment"} {
		t.Run(ds, func(t *testing.T) {
			m := newTestMock(t)
			testAccParallel(t, []resource.TestStep{{
				Config:      testProvider{token: m.DealerKey(), baseURL: m.PipeBaseURL()}.String() + fmt.Sprintf(`data "pipesolar_%s" "x" {}`, ds),
				ExpectError: expectError(`HTTP 403 .* need the installer's key`),
			}})
		})
	}
}
