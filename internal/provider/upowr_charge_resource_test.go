package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/upowr"
)

// ucStaticToken is a token the mock's UPowr endpoints accept without the
// token endpoint, so test setup never counts as a token fetch.
const ucStaticToken = "upowr-static-token"

// ucSeedProject creates a UPowr project in the mock through the API (not
// through the pipesolar_upowr_project resource) and returns its id.
func ucSeedProject(t *testing.T, m *mockapi.Server) string {
	t.Helper()
	c, err := upowr.New(upowr.Config{BaseURL: m.UPowrBaseURL(), TokenURL: m.TokenURL(), AccessToken: ucStaticToken})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.CreateProject(context.Background(), upowr.CreateProjectInput{
		Type:               "SALES",
		ProductsOfInterest: []upowr.ProductsOfInterest{{Solar: true}},
		Customer:           json.RawMessage(`{"firstName":"Ada","lastName":"Lovelace"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// ucDeleteOutOfBand deletes a charge directly in the mock, as a user in the
// UPowr app would.
func ucDeleteOutOfBand(t *testing.T, m *mockapi.Server, projectID, chargeID string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, m.UPowrBaseURL()+"/projects/"+projectID+"/charges/"+chargeID, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+ucStaticToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("out-of-band delete: HTTP %d", resp.StatusCode)
	}
}

// ucAttrs returns the state attributes of a resource.
func ucAttrs(s *terraform.State, address string) (map[string]string, error) {
	rs, ok := s.RootModule().Resources[address]
	if !ok || rs.Primary == nil {
		return nil, fmt.Errorf("%s is not in state", address)
	}
	return rs.Primary.Attributes, nil
}

// ucAddr is the charge "c" of ucCharge.
const ucAddr = "pipesolar_upowr_charge.c"

// ucCharge is the HCL of one pipesolar_upowr_charge; body holds the
// arguments other than project_id.
func ucCharge(name, projectID, body string) string {
	return fmt.Sprintf(`resource "pipesolar_upowr_charge" %q {
  project_id = %q
%s
}
`, name, projectID, body)
}

const ucBaseBody = `  amount         = 10000
  type           = "Credit card"
  description    = "Deposit"
  paid_by        = "Customer"
  external_links = ["https://example.com/receipts/1", "http://127.0.0.1/r/2"]`

var ucRFC3339Seconds = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)

// ucLazyString is a Terraform variable whose value is read when the step
// runs, so a step can use a value an earlier step recorded.
type ucLazyString struct{ v *string }

func (l ucLazyString) MarshalJSON() ([]byte, error) { return json.Marshal(*l.v) }

func TestAccUPowrCharge_lifecycle(t *testing.T) {
	m := newTestMock(t)
	pid := ucSeedProject(t, m)
	cfg := upowrProvider(m) + ucCharge("c", pid, ucBaseBody)
	var id, processedAt, sameInstant string

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: mockCheck(func() error {
			if n := len(m.UPowrCharges("")); n != 0 {
				return fmt.Errorf("%d charges left in UPowr after destroy", n)
			}
			return countsError(m, map[string]int{mockapi.EndpointUPowrDeleteCharge: 1})
		}),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttr(ucAddr, "id", knownvalue.StringRegexp(testUUID)),
					expectAttr(ucAddr, "amount", knownvalue.Int64Exact(10000)),
					expectAttr(ucAddr, "type", knownvalue.StringExact("Credit card")),
					expectAttr(ucAddr, "processed_at", knownvalue.StringRegexp(ucRFC3339Seconds)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(ucAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPreRefresh:  []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					a, err := ucAttrs(s, ucAddr)
					if err != nil {
						return err
					}
					charges := m.UPowrCharges(pid)
					if len(charges) != 1 {
						return fmt.Errorf("UPowr holds %d charges, want 1", len(charges))
					}
					c := charges[0]
					want := mockapi.UPowrCharge{
						ID: a["id"], ProjectID: pid, Type: "Credit card", Description: "Deposit", PaidBy: "Customer",
						ProcessedAt: a["processed_at"], Amount: 10000,
						ExternalLinks: []string{"https://example.com/receipts/1", "http://127.0.0.1/r/2"},
					}
					if c.ID != want.ID || c.ProjectID != want.ProjectID || c.Type != want.Type || c.Description != want.Description ||
						c.PaidBy != want.PaidBy || c.ProcessedAt != want.ProcessedAt || c.Amount != want.Amount ||
						!slices.Equal(c.ExternalLinks, want.ExternalLinks) {
						return fmt.Errorf("stored charge %+v, want %+v", c, want)
					}
					id, processedAt = a["id"], a["processed_at"]
					ts, err := time.Parse(time.RFC3339, processedAt)
					if err != nil {
						return err
					}
					// The same instant, spelled with an offset instead of Z.
					sameInstant = ts.In(time.FixedZone("", -5*3600)).Format(time.RFC3339)
					return nil
				},
			},
			// The recorded default is stable: the same configuration plans nothing.
			{Config: cfg, PlanOnly: true},
			// Setting processed_at to the recorded instant, spelled differently,
			// is not a change.
			{
				Config:          upowrProvider(m) + `variable "processed_at" { type = string }` + "\n" + ucCharge("c", pid, ucBaseBody+"\n  processed_at = var.processed_at"),
				ConfigVariables: config.Variables{"processed_at": ucLazyString{&sameInstant}},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					a, err := ucAttrs(s, ucAddr)
					if err != nil {
						return err
					}
					if a["id"] != id || a["processed_at"] != processedAt {
						return fmt.Errorf("state changed: id %s processed_at %s, want %s %s", a["id"], a["processed_at"], id, processedAt)
					}
					if strings.HasSuffix(sameInstant, "Z") || sameInstant == processedAt {
						return fmt.Errorf("test bug: %q is not a different spelling of %q", sameInstant, processedAt)
					}
					return countsError(m, map[string]int{mockapi.EndpointUPowrCreateCharge: 1})
				},
			},
		},
	})
}

// TestAccUPowrCharge_deletedOutOfBand: refresh cannot see a charge deleted
// in UPowr (the plan stays empty, as documented), and destroy, whose DELETE
// then answers 404, still succeeds.
func TestAccUPowrCharge_deletedOutOfBand(t *testing.T) {
	m := newTestMock(t)
	pid := ucSeedProject(t, m)
	cfg := upowrProvider(m) + ucCharge("c", pid, ucBaseBody)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// One DELETE by the test (200), one by terraform destroy (404, which
		// is success with a warning: the charge is gone).
		CheckDestroy: checkCounts(m, map[string]int{mockapi.EndpointUPowrDeleteCharge: 2}),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check:  resource.TestCheckResourceAttrWith(ucAddr, "id", func(v string) error { id = v; return nil }),
			},
			{
				PreConfig: func() {
					ucDeleteOutOfBand(t, m, pid, id)
					if n := len(m.UPowrCharges(pid)); n != 0 {
						t.Fatalf("%d charges after the out-of-band delete", n)
					}
				},
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

// TestAccUPowrCharge_formattingOnly: spellings of the same processed_at
// instant plan nothing; another instant replaces the charge.
func TestAccUPowrCharge_formattingOnly(t *testing.T) {
	m := newTestMock(t)
	pid := ucSeedProject(t, m)
	withTime := func(ts string) string {
		return upowrProvider(m) + ucCharge("c", pid, ucBaseBody+fmt.Sprintf("\n  processed_at = %q", ts))
	}
	expectState := func(ts string) []statecheck.StateCheck {
		return []statecheck.StateCheck{expectAttr(ucAddr, "processed_at", knownvalue.StringExact(ts))}
	}
	testAccParallel(t, []resource.TestStep{
		{
			Config:            withTime("2026-01-02T03:04:05Z"),
			ConfigStateChecks: expectState("2026-01-02T03:04:05Z"),
			Check: mockCheck(func() error {
				if c := m.UPowrCharges(pid); len(c) != 1 || c[0].ProcessedAt != "2026-01-02T03:04:05Z" {
					return fmt.Errorf("stored charges %+v", c)
				}
				return nil
			}),
		},
		{
			Config:            withTime("2026-01-02T03:04:05+00:00"),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: expectState("2026-01-02T03:04:05Z"),
		},
		{
			Config:            withTime("2026-01-02T04:04:05.000+01:00"),
			ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: expectState("2026-01-02T03:04:05Z"),
		},
		{
			Config: withTime("2026-01-02T03:04:06+00:00"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(ucAddr, plancheck.ResourceActionDestroyBeforeCreate),
			}},
			ConfigStateChecks: expectState("2026-01-02T03:04:06+00:00"),
			Check: mockCheck(func() error {
				if c := m.UPowrCharges(pid); len(c) != 1 || c[0].ProcessedAt != "2026-01-02T03:04:06Z" {
					return fmt.Errorf("stored charges %+v", c)
				}
				if n := m.Count(mockapi.EndpointUPowrCreateCharge); n != 2 {
					return fmt.Errorf("charge created %d times, want 2", n)
				}
				return nil
			}),
		},
	})
}

// TestAccUPowrCharge_replace: changing any argument replaces the charge:
// the old one is deleted in UPowr and a new one created.
func TestAccUPowrCharge_replace(t *testing.T) {
	cases := map[string]struct {
		body  string // replaces ucBaseBody
		check func(c mockapi.UPowrCharge) bool
		other bool // project_id of a second project
	}{
		"project_id": {body: ucBaseBody, other: true},
		"amount": {
			body:  strings.Replace(ucBaseBody, "10000", "12345", 1),
			check: func(c mockapi.UPowrCharge) bool { return c.Amount == 12345 },
		},
		"type": {
			body:  strings.Replace(ucBaseBody, `"Credit card"`, `"Bank transfer"`, 1),
			check: func(c mockapi.UPowrCharge) bool { return c.Type == "Bank transfer" },
		},
		"description": {
			body:  strings.Replace(ucBaseBody, `"Deposit"`, `"Final payment"`, 1),
			check: func(c mockapi.UPowrCharge) bool { return c.Description == "Final payment" },
		},
		"description removed": {
			body:  strings.Replace(ucBaseBody, `description    = "Deposit"`, ``, 1),
			check: func(c mockapi.UPowrCharge) bool { return c.Description == "" },
		},
		"paid_by": {
			body:  strings.Replace(ucBaseBody, `"Customer"`, `"Lender"`, 1),
			check: func(c mockapi.UPowrCharge) bool { return c.PaidBy == "Lender" },
		},
		"external_links": {
			body: strings.Replace(ucBaseBody, `"http://127.0.0.1/r/2"`, `"https://example.com/r/3"`, 1),
			check: func(c mockapi.UPowrCharge) bool {
				return len(c.ExternalLinks) == 2 && c.ExternalLinks[1] == "https://example.com/r/3"
			},
		},
		"processed_at": {
			body:  ucBaseBody + "\n  processed_at = \"2025-12-31T23:59:59Z\"",
			check: func(c mockapi.UPowrCharge) bool { return c.ProcessedAt == "2025-12-31T23:59:59Z" },
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			pid := ucSeedProject(t, m)
			newPID := pid
			if tc.other {
				newPID = ucSeedProject(t, m)
			}
			var oldID string
			testAccParallel(t, []resource.TestStep{
				{
					Config: upowrProvider(m) + ucCharge("c", pid, ucBaseBody),
					Check:  resource.TestCheckResourceAttrWith(ucAddr, "id", func(v string) error { oldID = v; return nil }),
				},
				{
					Config: upowrProvider(m) + ucCharge("c", newPID, tc.body),
					ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(ucAddr, plancheck.ResourceActionDestroyBeforeCreate),
					}},
					Check: func(s *terraform.State) error {
						a, err := ucAttrs(s, ucAddr)
						if err != nil {
							return err
						}
						all := m.UPowrCharges("")
						if len(all) != 1 {
							return fmt.Errorf("UPowr holds %d charges, want 1", len(all))
						}
						c := all[0]
						if c.ID == oldID || c.ID != a["id"] {
							return fmt.Errorf("stored charge %s, state %s, old %s", c.ID, a["id"], oldID)
						}
						if c.ProjectID != newPID {
							return fmt.Errorf("charge on project %s, want %s", c.ProjectID, newPID)
						}
						if tc.check != nil && !tc.check(c) {
							return fmt.Errorf("stored charge %+v does not have the new value", c)
						}
						if n := m.Count(mockapi.EndpointUPowrDeleteCharge); n != 1 {
							return fmt.Errorf("DELETE charge called %d times, want 1", n)
						}
						return nil
					},
				},
			})
		})
	}
}

func TestAccUPowrCharge_validation(t *testing.T) {
	const pid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
	with := func(from, to string) string { return ucCharge("c", pid, strings.Replace(ucBaseBody, from, to, 1)) }
	at := func(processedAt string) string {
		return ucCharge("c", pid, ucBaseBody+fmt.Sprintf("\n  processed_at = %q", processedAt))
	}
	testAccInvalid(t, upowrProvider, map[string]invalidConfig{
		"bad uuid":               {ucCharge("c", "not-a-uuid", ucBaseBody), `Attribute project_id must be a UUID`},
		"amount 0":               {with("10000", "0"), `Attribute amount value must be at least 1, got: 0`},
		"amount -5":              {with("10000", "-5"), `Attribute amount value must be at least 1, got: -5`},
		"unknown type":           {with(`"Credit card"`, `"Cheque"`), `Attribute type value must be one of:.*got: "Cheque"`},
		"lower-case type":        {with(`"Credit card"`, `"cash"`), `Attribute type value must be one of`},
		"blank paid_by":          {with(`"Customer"`, `"  "`), `Attribute paid_by must not be empty or only white space`},
		"empty paid_by":          {with(`"Customer"`, `""`), `Attribute paid_by must not be empty or only white space`},
		"bad processed_at":       {at("2026-01-02 03:04:05"), `processed_at: "2026-01-02 03:04:05" is not an RFC 3339 date-time`},
		"date only":              {at("2026-01-02"), `processed_at: "2026-01-02" is not an RFC 3339`},
		"bad external link":      {with(`"http://127.0.0.1/r/2"`, `"ftp://example.com/r/2"`), `external_links\[1\]: "ftp://example.com/r/2" must start with https://`},
		"relative external link": {with(`"http://127.0.0.1/r/2"`, `"/r/2"`), `external_links\[1\]: "/r/2" must start with https://`},
	})
}

// TestAccUPowrCharge_unknownProject: a project UPowr does not know is an
// error on project_id.
func TestAccUPowrCharge_unknownProject(t *testing.T) {
	m := newTestMock(t)
	testAccParallel(t, []resource.TestStep{{
		Config:      upowrProvider(m) + ucCharge("c", "3fa85f64-5717-4562-b3fc-2c963f66afa6", ucBaseBody),
		ExpectError: expectError(`UPowr project not found.*project_id = .*no project with id "3fa85f64-5717-4562-b3fc-2c963f66afa6"`),
	}})
}

// TestAccUPowrCharge_ambiguousCreate: the connection drops after UPowr
// stored the charge. The provider must not retry (that would record the
// payment twice) and must say the charge may exist.
func TestAccUPowrCharge_ambiguousCreate(t *testing.T) {
	m := newTestMock(t)
	pid := ucSeedProject(t, m)
	m.SetFaults(mockapi.Faults{DropAfterCommit: 1, Endpoints: []string{mockapi.EndpointUPowrCreateCharge}})
	testAccParallel(t, []resource.TestStep{{
		Config:      upowrProvider(m) + ucCharge("c", pid, ucBaseBody),
		ExpectError: expectError(`UPowr charge may have been created.*may have reached UPowr.*check the project's charges in UPowr`),
	}})
	if n := len(m.UPowrCharges(pid)); n != 1 {
		t.Fatalf("UPowr holds %d charges, want exactly 1 (no duplicate)", n)
	}
	if n := m.Count(mockapi.EndpointUPowrCreateCharge); n != 1 {
		t.Fatalf("POST charges sent %d times, want 1", n)
	}
}

// TestAccUPowrCharge_rateLimited: 429 answers (not processed) are retried
// after Retry-After, and the charge is recorded once.
func TestAccUPowrCharge_rateLimited(t *testing.T) {
	m := newTestMock(t)
	pid := ucSeedProject(t, m)
	// With seed 10 the mock's first two draws are below 0.5 (429) and the
	// third above: exactly two 429 answers, then success.
	m.SetFaults(mockapi.Faults{Rate429: 0.5, Seed: 10, Endpoints: []string{mockapi.EndpointUPowrCreateCharge}})
	testAccParallel(t, []resource.TestStep{{
		Config: upowrProvider(m) + ucCharge("c", pid, ucBaseBody),
		Check: func(s *terraform.State) error {
			a, err := ucAttrs(s, ucAddr)
			if err != nil {
				return err
			}
			c := m.UPowrCharges(pid)
			if len(c) != 1 || c[0].ID != a["id"] {
				return fmt.Errorf("stored charges %+v, want exactly one with id %s", c, a["id"])
			}
			// Two 429s, then the request that succeeded.
			return countsError(m, map[string]int{mockapi.EndpointUPowrCreateCharge: 3})
		},
	}})
}

// TestAccUPowrCharge_tokenOncePerRun checks that one provider run fetches
// one UPowr access token however many UPowr resources it creates.
//
// Method: the test harness starts the provider anew for every Terraform
// command (plan, apply, refresh, the post-apply plans, destroy), and each
// configuration of the provider has its own token cache, so the count that
// can be asserted exactly is "one token per provider run that called
// UPowr". Charges and temporary files have no read endpoint, so plans and
// refreshes never call UPowr (and the test creates its project with a
// static token, which the token endpoint never sees). Only two runs call
// UPowr: the apply, which creates five resources concurrently, and the
// destroy, which deletes three charges. So the token endpoint must have been
// called exactly once after the apply and exactly twice after the destroy;
// a cache that fetched per resource or per request would show 5+ and 8+.
func TestAccUPowrCharge_tokenOncePerRun(t *testing.T) {
	m := newTestMock(t)
	pid := ucSeedProject(t, m)
	dir := t.TempDir()
	cfg := upowrProvider(m)
	for i := 1; i <= 3; i++ {
		cfg += ucCharge(fmt.Sprintf("c%d", i), pid, strings.Replace(ucBaseBody, "10000", fmt.Sprint(i*100), 1))
	}
	for i, code := range []string{"switchboard_photo", "site_access_photo"} {
		cfg += ufFileConfig(fmt.Sprintf("f%d", i), "assoc-token", code, ufWriteFile(t, dir, code+".jpg", code))
	}
	if n := m.Count(mockapi.EndpointToken); n != 0 {
		t.Fatalf("token endpoint called %d times before the test", n)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: mockCheck(func() error {
			if n := m.Count(mockapi.EndpointToken); n != 2 {
				return fmt.Errorf("token endpoint called %d times after apply and destroy, want 2 (one per provider run that called UPowr)", n)
			}
			if n := len(m.UPowrCharges("")); n != 0 {
				return fmt.Errorf("%d charges left", n)
			}
			return nil
		}),
		Steps: []resource.TestStep{{
			Config: cfg,
			Check: mockCheck(func() error {
				if n := len(m.UPowrCharges(pid)); n != 3 {
					return fmt.Errorf("%d charges, want 3", n)
				}
				if n := len(m.TempFiles("assoc-token")); n != 2 {
					return fmt.Errorf("%d temp files, want 2", n)
				}
				if n := m.Count(mockapi.EndpointToken); n != 1 {
					return fmt.Errorf("token endpoint called %d times by one apply of 5 resources, want 1", n)
				}
				if n := m.IssuedTokens(); n != 1 {
					return fmt.Errorf("%d tokens issued, want 1", n)
				}
				return nil
			}),
		}},
	})
}

// TestUPowrChargeProcessedAtModifiers runs processed_at's plan modifiers in
// schema order, as the framework does. Terraform itself ignores a
// replacement requested for a value that ends up unchanged, so the
// acceptance tests cannot see the order; this test does: the same instant
// must neither change the plan nor request a replacement.
func TestUPowrChargeProcessedAtModifiers(t *testing.T) {
	ctx := context.Background()
	var sr fwresource.SchemaResponse
	(&upowrChargeResource{}).Schema(ctx, fwresource.SchemaRequest{}, &sr)
	attr, ok := sr.Schema.Attributes["processed_at"].(schema.StringAttribute)
	if !ok {
		t.Fatal("processed_at is not a string attribute")
	}
	present := tftypes.NewValue(tftypes.String, "present") // a non-null object: neither create nor destroy
	run := func(prior, planned string) (types.String, bool) {
		req := planmodifier.StringRequest{
			State:       tfsdk.State{Raw: present},
			Plan:        tfsdk.Plan{Raw: present},
			StateValue:  types.StringValue(prior),
			PlanValue:   types.StringValue(planned),
			ConfigValue: types.StringValue(planned),
		}
		replace := false
		for _, pm := range attr.PlanModifiers {
			resp := &planmodifier.StringResponse{PlanValue: req.PlanValue}
			pm.PlanModifyString(ctx, req, resp)
			if resp.Diagnostics.HasError() {
				t.Fatal(resp.Diagnostics)
			}
			replace = replace || resp.RequiresReplace
			req.PlanValue = resp.PlanValue
		}
		return req.PlanValue, replace
	}
	for _, spelling := range []string{"2026-01-02T03:04:05+00:00", "2026-01-02T04:04:05.000+01:00", "2026-01-01T22:04:05-05:00"} {
		got, replace := run("2026-01-02T03:04:05Z", spelling)
		if replace || got.ValueString() != "2026-01-02T03:04:05Z" {
			t.Errorf("%s: planned %s, replace %v; want the prior value and no replacement", spelling, got, replace)
		}
	}
	if got, replace := run("2026-01-02T03:04:05Z", "2026-01-02T03:04:06Z"); !replace || got.ValueString() != "2026-01-02T03:04:06Z" {
		t.Errorf("another instant: planned %s, replace %v; want the new value and a replacement", got, replace)
	}
}
