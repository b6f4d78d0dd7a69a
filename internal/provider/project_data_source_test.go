package provider

import (
	"context"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// dsNumber parses decimal text the way knownvalue compares numbers (512
// bits), so an exact check fails on any float64 rounding.
func dsNumber(t *testing.T, s string) *big.Float {
	t.Helper()
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestProjectDataSource_schemaMatchesValues checks that the schema, the
// object type and the value mapper agree on every attribute name, for both
// data sources: a mismatch would only show at runtime as a panic-free but
// failing Read.
func TestProjectDataSource_schemaMatchesValues(t *testing.T) {
	ctx := context.Background()
	want := slices.Sorted(maps.Keys(projectAPIValues(&pipesolar.Project{})))

	if got := slices.Sorted(maps.Keys(projectObjectType().AttrTypes)); !slices.Equal(got, want) {
		t.Errorf("projectObjectType attributes = %v\nprojectAPIValues keys = %v", got, want)
	}

	var single datasource.SchemaResponse
	NewProjectDataSource().Schema(ctx, datasource.SchemaRequest{}, &single)
	wantSingle := slices.Sorted(slices.Values(append(want, "org_id"))) // org_id is an argument only
	if got := slices.Sorted(maps.Keys(single.Schema.Attributes)); !slices.Equal(got, wantSingle) {
		t.Errorf("data pipesolar_project attributes = %v\nwant %v", got, wantSingle)
	}
	if !single.Schema.Type().(types.ObjectType).Equal(projectDataSourceType()) {
		t.Errorf("data pipesolar_project state type %v differs from projectDataSourceType %v", single.Schema.Type(), projectDataSourceType())
	}

	var list datasource.SchemaResponse
	NewProjectsDataSource().Schema(ctx, datasource.SchemaRequest{}, &list)
	elem := list.Schema.Attributes["projects"].GetType().(types.ListType).ElemType
	if !elem.Equal(projectObjectType()) {
		t.Errorf("data pipesolar_projects projects element type %v differs from projectObjectType %v", elem, projectObjectType())
	}
	for name, a := range single.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("data pipesolar_project attribute %s has no description", name)
		}
	}
	for name, a := range list.Schema.Attributes {
		if a.GetMarkdownDescription() == "" {
			t.Errorf("data pipesolar_projects attribute %s has no description", name)
		}
	}
}

func TestAccProjectDataSource_readBack(t *testing.T) {
	m := newTestMock(t)
	id, err := m.SeedProject("org-1", "inst-1", map[string]any{
		"address": "123 Solar St, Sunville, CA 90210", "first_name": "Ada", "last_name": "Lovelace",
		"email": "ada@example.com", "phone_number": "555-123-9876", "org_id": "org-1",
		"sales_rep": "rep-1", "setter": "setter-1", "system_size": 8.5, "system_cost": 18450.01,
		"panel_count": "20", "project_stage": "Proposal", "adders": []string{"Roof work", "Trenching"},
		"apr": 3.99, "term_years": "25", "financing_type": "Loan",
	})
	if err != nil {
		t.Fatal(err)
	}
	// The app's own formatting, and the awkward values the provider must
	// normalise: an upper-case email with spaces, US dates.
	if !m.EditProject(id, func(d map[string]any) {
		d["customerEmail"] = "  ADA.Lovelace@Example.COM "
		d["contractSignedDate"] = "03/07/2025"
		d["submittedDate"] = "2/9/2025"
	}) {
		t.Fatal("project vanished")
	}
	data, _ := m.Project(id)
	// Preconditions: the mock formats numbers as the real API does, so the
	// checks below prove the provider parses them.
	if data["systemSize"] != "8.50" || data["contractPrice"] != "18,450.01" || data["numberOfPanel"] != "20" {
		t.Fatalf("mock formatting changed: systemSize %q, contractPrice %q, numberOfPanel %q",
			data["systemSize"], data["contractPrice"], data["numberOfPanel"])
	}

	addr := "data.pipesolar_project.p"
	fileURLs := map[string]knownvalue.Check{}
	for api, key := range map[string]string{
		"surveyFiles": "survey_files", "personalFiles": "personal_files", "utilityBills": "utility_bills",
		"insuranceFiles": "insurance_files", "driverLicense": "driver_license", "installationPhotos": "installation_photos",
		"plansets": "plansets", "materials": "materials", "otherDocuments": "other_documents",
		"interconnection": "interconnection", "permits": "permits", "internalDocuments": "internal_documents",
	} {
		fileURLs[key] = knownvalue.StringExact(data["allFilesURL"].(map[string]any)[api].(string))
	}
	check := func(attr string, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New(attr), v)
	}
	config := pipeProvider(m) + projectLookup(id)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					check("id", knownvalue.StringExact(id)),
					check("first_name", knownvalue.StringExact("Ada")),
					check("last_name", knownvalue.StringExact("Lovelace")),
					check("email", knownvalue.StringExact("ada.lovelace@example.com")),
					check("address", knownvalue.StringExact("123 Solar St, Sunville, CA 90210")),
					check("customer_city", knownvalue.StringExact("Sunville")),
					check("customer_zip", knownvalue.StringExact("90210")),
					check("system_cost", knownvalue.NumberExact(dsNumber(t, "18450.01"))),
					check("finance_amount", knownvalue.NumberExact(dsNumber(t, "18450.01"))),
					check("system_size", knownvalue.NumberExact(dsNumber(t, "8.5"))),
					check("apr", knownvalue.NumberExact(dsNumber(t, "3.99"))),
					check("panel_count", knownvalue.Int64Exact(20)),
					check("term_years", knownvalue.Int64Exact(25)),
					check("inverter_count", knownvalue.Null()),
					check("annual_production", knownvalue.Null()),
					check("financing_type", knownvalue.StringExact("Loan")),
					check("project_stage", knownvalue.StringExact("Proposal")),
					check("contract_signed_date", knownvalue.StringExact("2025-03-07")),
					check("submitted_date", knownvalue.StringExact("2025-02-09")),
					check("contract_url", knownvalue.Null()),
					check("project_url", knownvalue.StringExact("https://pipe.solar/project_dashboard?id="+id)),
					check("file_urls", knownvalue.MapExact(fileURLs)),
					check("adders", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("Roof work"), knownvalue.StringExact("Trenching"),
					})),
					check("secondary_customer", knownvalue.Null()),
					check("battery_name", knownvalue.Null()),
				},
			},
			{
				// An edit in the app: a second customer, and an amount
				// beyond float64's precision.
				PreConfig: func() {
					m.EditProject(id, func(d map[string]any) {
						d["secondaryCustomerFirstName"] = " Charles "
						d["secondaryCustomerLastName"] = "Babbage"
						d["secondaryCustomerEmail"] = "Charles@Example.com"
						d["financeAmount"] = "12,345,678,901,234,567.89"
						d["numberOfInverter"] = "2.0"
					})
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					check("secondary_customer", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"first_name":   knownvalue.StringExact("Charles"),
						"last_name":    knownvalue.StringExact("Babbage"),
						"email":        knownvalue.StringExact("charles@example.com"),
						"phone_number": knownvalue.Null(),
					})),
					check("finance_amount", knownvalue.NumberExact(dsNumber(t, "12345678901234567.89"))),
					check("inverter_count", knownvalue.Int64Exact(2)),
				},
			},
		},
	})
}

func TestAccProjectDataSource_notFound(t *testing.T) {
	for _, style := range []string{"404", "null", "empty", "400"} {
		t.Run(style, func(t *testing.T) {
			m := newTestMock(t)
			seedProject(t, m, "org-1")
			m.SetPipeBehaviour(mockapi.PipeBehaviour{NotFound: style})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: pipeProvider(m) + projectLookup("NOSUCH0001"),
					// The error is attached to the id argument, so Terraform
					// quotes that line of the configuration, and it names
					// the id.
					ExpectError: expectError(`Project not found .* id = "NOSUCH0001" .*no project with id "NOSUCH0001"`),
				}},
			})
			if n := m.Count(mockapi.EndpointFetchProject); n == 0 {
				t.Error("fetch_project was never called")
			}
		})
	}
}

// TestAccProjectDataSource_foundInEveryNotFoundStyle guards the not-found
// tests: a project that exists still reads in each style.
func TestAccProjectDataSource_foundInEveryNotFoundStyle(t *testing.T) {
	for _, style := range []string{"404", "null", "empty", "400"} {
		t.Run(style, func(t *testing.T) {
			m := newTestMock(t)
			id := seedProject(t, m, "org-1")
			m.SetPipeBehaviour(mockapi.PipeBehaviour{NotFound: style})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: pipeProvider(m) + projectLookup(id),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.pipesolar_project.p", tfjsonpath.New("last_name"), knownvalue.StringExact("Lovelace")),
					},
				}},
			})
		})
	}
}

func TestAccProjectDataSource_wrongToken(t *testing.T) {
	// ErrorStyle "200" (401 sent as HTTP 200 {"success": false}) is left
	// out: the transport classifies it by status as "rejected as invalid",
	// not as unauthorized, so the advice cannot name the token.
	for _, style := range []string{"flat", "bubble"} {
		t.Run(style, func(t *testing.T) {
			m := newTestMock(t)
			id := seedProject(t, m, "org-1")
			m.SetPipeBehaviour(mockapi.PipeBehaviour{ErrorStyle: style})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      testProvider{token: "ps_wrong_token", baseURL: m.PipeBaseURL()}.String() + projectLookup(id),
					ExpectError: expectError(`Could not read pipe.solar project.*HTTP 401.*api_token. / PIPESOLAR_API_TOKEN`),
				}},
			})
		})
	}
}

func TestAccProjectDataSource_serverError(t *testing.T) {
	m := newTestMock(t)
	id := seedProject(t, m, "org-1")
	m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointFetchProject}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      noRetryProvider(m) + projectLookup(id),
			ExpectError: expectError(`Could not read pipe.solar project.*` + id + `.*HTTP 500.*retries were exhausted`),
		}},
	})
}

func TestAccProjectDataSource_invalidID(t *testing.T) {
	for name, id := range map[string]string{"empty": "", "blank": " \t"} {
		t.Run(name, func(t *testing.T) {
			m := newTestMock(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      pipeProvider(m) + projectLookup(id),
					PlanOnly:    true,
					ExpectError: expectError(`Attribute id must not be empty or only white space`),
				}},
			})
			if n := m.Count(mockapi.EndpointFetchProject); n != 0 {
				t.Errorf("%d fetch_project requests for an invalid id", n)
			}
		})
	}
}

// TestAPIErrorAdvice: the advice after an API failure fits its kind; a
// rate limit points at requests_per_second, not at max_retries (429s do
// not use retries up).
func TestAPIErrorAdvice(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]string{
		http.StatusTooManyRequests:     "requests_per_second",
		http.StatusInternalServerError: "raise max_retries",
		http.StatusUnauthorized:        "check `api_token`",
	} {
		got := apiErrorAdvice(transport.NewAPIError("pipe.solar", http.MethodGet, "fetch_project", status, "refused"))
		if !strings.Contains(got, want) {
			t.Errorf("HTTP %d: advice %q, want it to mention %q", status, got, want)
		}
		if status == http.StatusTooManyRequests && strings.Contains(got, "max_retries") {
			t.Errorf("HTTP 429: advice %q mentions max_retries", got)
		}
	}
}
