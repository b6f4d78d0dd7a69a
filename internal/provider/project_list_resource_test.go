package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// The list resource pipesolar_project (terraform query, Terraform 1.14 and
// later) at the protocol level: these run in make test on any Terraform.

// listProjects calls ListResource; each result goes to fn, which may stop
// the stream by returning false.
func listProjectsVia(t *testing.T, srv tfprotov6.ProviderServer, pt protoTypes, filter map[string]tftypes.Value, include bool, limit int64, fn func(tfprotov6.ListResourceResult) bool) {
	t.Helper()
	ls, ok := srv.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider's server does not offer list resources")
	}
	stream, err := ls.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: "pipesolar_project", Config: dynamic(t, pt.projectList, dsObject(pt.projectList, filter)),
		IncludeResource: include, Limit: limit,
	})
	if err != nil {
		t.Fatal(err)
	}
	for r := range stream.Results {
		if !fn(r) {
			return
		}
	}
}

func seedOrg(t *testing.T, m *mockapi.Server, org string, n int) []string {
	t.Helper()
	ids, err := m.SeedRandomProjects(org, "inst-9", n)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestProtocol_listProjects(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ids := seedOrg(t, m, "org-1", 12)
	seedOrg(t, m, "org-2", 3)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{PageSize: 5})
	srv := configuredServer(t, m, nil)
	pt := serverTypes(t, srv)
	org := map[string]tftypes.Value{"org_id": tfString("org-1")}

	t.Run("identity and display name", func(t *testing.T) {
		var got []string
		listProjectsVia(t, srv, pt, org, false, 100, func(r tfprotov6.ListResourceResult) bool {
			failOnErrors(t, r.Diagnostics)
			id := str(t, decoded(t, pt.projectIdentity, r.Identity.IdentityData)["id"])
			got = append(got, id)
			p, _ := m.Project(id)
			if want, _ := p["customerFirstName"].(string); !strings.Contains(r.DisplayName, want) || !strings.Contains(r.DisplayName, id) {
				t.Errorf("display name %q does not name customer %q and id %s", r.DisplayName, want, id)
			}
			if r.Resource != nil {
				t.Errorf("resource sent without include_resource")
			}
			return true
		})
		if strings.Join(got, ",") != strings.Join(ids, ",") {
			t.Errorf("listed %v, want %v", got, ids)
		}
	})

	t.Run("include_resource is what Read stores, plus org_id", func(t *testing.T) {
		n := 0
		listProjectsVia(t, srv, pt, org, true, 100, func(r tfprotov6.ListResourceResult) bool {
			failOnErrors(t, r.Diagnostics)
			n++
			listed := decoded(t, pt.project, r.Resource)
			id := str(t, listed["id"])
			read, _, diags := importAndRead(t, srv, pt, &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", ID: id})
			failOnErrors(t, diags)
			if str(t, listed["org_id"]) != "org-1" {
				t.Errorf("%s: org_id = %s, want org-1", id, listed["org_id"])
			}
			read["org_id"] = listed["org_id"]
			for name, v := range read {
				if !listed[name].Equal(v) {
					t.Errorf("%s: %s listed %s, Read stores %s", id, name, listed[name], v)
				}
			}
			return true
		})
		if n != len(ids) {
			t.Errorf("%d results, want %d", n, len(ids))
		}
	})

	t.Run("limit stops paging", func(t *testing.T) {
		m.ResetCounts()
		n := 0
		listProjectsVia(t, srv, pt, org, false, 7, func(r tfprotov6.ListResourceResult) bool {
			failOnErrors(t, r.Diagnostics)
			n++
			return true
		})
		if n != 7 {
			t.Errorf("%d results, want the limit of 7", n)
		}
		if c := m.Count(mockapi.EndpointListOrg); c != 2 {
			t.Errorf("%d pages read for 7 results of 5 a page, want 2", c)
		}
	})

	t.Run("streamed page by page", func(t *testing.T) {
		m.ResetCounts()
		var pagesAtFirst, n int
		listProjectsVia(t, srv, pt, org, false, 100, func(tfprotov6.ListResourceResult) bool {
			if n == 0 {
				pagesAtFirst = m.Count(mockapi.EndpointListOrg)
			}
			n++
			return true
		})
		if pagesAtFirst != 1 || m.Count(mockapi.EndpointListOrg) < 3 {
			t.Errorf("first result sent after %d page reads (want 1); %d in all", pagesAtFirst, m.Count(mockapi.EndpointListOrg))
		}
	})

	t.Run("installer", func(t *testing.T) {
		n := 0
		listProjectsVia(t, srv, pt, map[string]tftypes.Value{"installer_id": tfString("inst-9")}, true, 100, func(r tfprotov6.ListResourceResult) bool {
			failOnErrors(t, r.Diagnostics)
			if s := decoded(t, pt.project, r.Resource); !s["org_id"].IsNull() {
				t.Errorf("org_id %s set from an installer listing", s["org_id"])
			}
			n++
			return true
		})
		if n != 15 {
			t.Errorf("%d results, want 15", n)
		}
	})
}

// TestProtocol_listProjectsFailsMidStream: an API failure after the first
// page is an error diagnostic after the results already sent, not a panic.
func TestProtocol_listProjectsFailsMidStream(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	seedOrg(t, m, "org-1", 12)
	m.SetPipeBehaviour(mockapi.PipeBehaviour{PageSize: 5})
	srv := configuredServer(t, m, map[string]tftypes.Value{"max_retries": tftypes.NewValue(tftypes.Number, 0)})
	pt := serverTypes(t, srv)
	var results int
	var errs []*tfprotov6.Diagnostic
	listProjectsVia(t, srv, pt, map[string]tftypes.Value{"org_id": tfString("org-1")}, true, 100, func(r tfprotov6.ListResourceResult) bool {
		if results == 0 {
			m.SetFaults(mockapi.Faults{Rate500: 1, Endpoints: []string{mockapi.EndpointListOrg}})
		}
		for _, d := range r.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				errs = append(errs, d)
			}
		}
		if r.Identity != nil {
			results++
		}
		return true
	})
	if results != 5 || len(errs) != 1 || !strings.Contains(errs[0].Detail, "org-1") {
		t.Errorf("%d results and errors %v; want the first page's 5, then one error naming the org", results, errs)
	}
}

func TestProtocol_listProjectsValidation(t *testing.T) {
	t.Parallel()
	srv := configuredServer(t, newTestMock(t), nil)
	pt := serverTypes(t, srv)
	ls := srv.(tfprotov6.ListResourceServer)
	for name, filter := range map[string]map[string]tftypes.Value{
		"neither": {},
		"both":    {"org_id": tfString("org-1"), "installer_id": tfString("inst-1")},
		"blank":   {"org_id": tfString("  ")},
	} {
		t.Run(name, func(t *testing.T) {
			resp, err := ls.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
				TypeName: "pipesolar_project", Config: dynamic(t, pt.projectList, dsObject(pt.projectList, filter)),
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Diagnostics) == 0 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError ||
				name != "neither" && resp.Diagnostics[0].Attribute == nil {
				t.Errorf("diagnostics %v, want an error (on the attribute set)", resp.Diagnostics)
			}
		})
	}
}

// TestProtocol_generatedConfigImportsClean follows terraform query
// -generate-config-out: for each project an org's listing returns, the
// configuration GenerateResourceConfig writes from the list result's state,
// and an import by the result's identity. For the plan to read "N to
// import, 0 to change", each argument in that configuration must be what
// the import reads back (null where it reads null), and no read-only
// attribute may be written.
func TestProtocol_generatedConfigImportsClean(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	ids := seedOrg(t, m, "org-1", 4)
	srv := configuredServer(t, m, nil)
	pt := serverTypes(t, srv)
	n := 0
	listProjectsVia(t, srv, pt, map[string]tftypes.Value{"org_id": tfString("org-1")}, true, 100, func(r tfprotov6.ListResourceResult) bool {
		failOnErrors(t, r.Diagnostics)
		n++
		gen, err := srv.GenerateResourceConfig(context.Background(), &tfprotov6.GenerateResourceConfigRequest{
			TypeName: "pipesolar_project", State: r.Resource,
		})
		if err != nil {
			t.Fatal(err)
		}
		failOnErrors(t, gen.Diagnostics)
		config := decoded(t, pt.project, gen.Config)
		read, _, diags := importAndRead(t, srv, pt, &tfprotov6.ImportResourceStateRequest{TypeName: "pipesolar_project", Identity: r.Identity})
		failOnErrors(t, diags)
		id := str(t, read["id"])
		if str(t, config["first_name"]) == "" {
			t.Errorf("%s: generated configuration has no first_name: %v", id, config)
		}
		for i := range projectFields {
			f := &projectFields[i]
			switch {
			case f.arg && !config[f.name].Equal(read[f.name]):
				t.Errorf("%s: configuration sets %s = %s, the import reads %s: the plan would change it", id, f.name, config[f.name], read[f.name])
			case !f.arg && !config[f.name].IsNull():
				t.Errorf("%s: read-only %s written into the configuration", id, f.name)
			}
		}
		return true
	})
	if n != len(ids) {
		t.Errorf("%d results, want %d", n, len(ids))
	}
}
