package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/numbervalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/objectvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// serverPair is the provider's server (projectServer) and the framework's
// own, both configured for one mock, with pipesolar_project's types.
type serverPair struct {
	ours            *projectServer
	framework       tfprotov6.ProviderServer
	state, identity tftypes.Object
}

func newServerPair(t testing.TB, m *mockapi.Server, batch bool) serverPair {
	t.Helper()
	return newServerPairWith(t, m, map[string]tftypes.Value{"batch_refresh": tftypes.NewValue(tftypes.Bool, batch)})
}

// newServerPairWith is newServerPair with the provider arguments settings
// (besides the key and the mock's URL).
func newServerPairWith(t testing.TB, m *mockapi.Server, settings map[string]tftypes.Value) serverPair {
	t.Helper()
	ours, err := NewProtocol6Server("test")()
	if err != nil {
		t.Fatal(err)
	}
	ps, ok := ours.(*projectServer)
	if !ok {
		t.Fatalf("NewProtocol6Server serves %T, want *projectServer", ours)
	}
	if !ps.plain {
		t.Fatal("the shortcuts are off for pipesolar_project's schema: nothing to compare")
	}
	pair := serverPair{ours: ps, framework: frameworkProtocolServer(t)}
	for _, srv := range []tfprotov6.ProviderServer{pair.ours, pair.framework} {
		schemas := providerSchemas(t, srv)
		typ := objectType(t, schemas.Provider.ValueType())
		config := map[string]tftypes.Value{"api_token": tfString(testPipeToken), "base_url": tfString(m.PipeBaseURL())}
		maps.Copy(config, settings)
		resp, err := srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
			TerraformVersion: "1.14.0", Config: dynamic(t, typ, objectOf(typ, config)),
		})
		if err != nil {
			t.Fatal(err)
		}
		failOnErrors(t, resp.Diagnostics)
		pair.state = objectType(t, schemas.ResourceSchemas[projectTypeName].ValueType())
	}
	pair.identity = identityType(t, pair.framework, projectTypeName)
	return pair
}

// adopted is a project's state, identity and private state as the
// framework stores them after an import and its read, with the state's
// values changed by edit (nil: none).
func (p serverPair) adopted(t testing.TB, id string, edit func(map[string]tftypes.Value)) *tfprotov6.ReadResourceRequest {
	t.Helper()
	imported, err := p.framework.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: projectTypeName, ID: id})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, imported.Diagnostics)
	ir := imported.ImportedResources[0]
	read, err := p.framework.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{
		TypeName: projectTypeName, CurrentState: ir.State, CurrentIdentity: ir.Identity, Private: ir.Private,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, read.Diagnostics)
	state := read.NewState
	if edit != nil {
		attrs := decoded(t, p.state, state)
		edit(attrs)
		state = dynamic(t, p.state, tftypes.NewValue(p.state, attrs))
	}
	return &tfprotov6.ReadResourceRequest{TypeName: projectTypeName, CurrentState: state, CurrentIdentity: read.NewIdentity, Private: read.Private}
}

// sameRead calls ReadResource of both servers and compares their answers:
// state and identity value for value (msgpack may order a map's entries
// either way), private state and diagnostics exactly. want says whether
// the shortcut must have answered.
func (p serverPair) sameRead(t *testing.T, req *tfprotov6.ReadResourceRequest, shortcut bool) *tfprotov6.ReadResourceResponse {
	t.Helper()
	before := p.ours.reads.Load()
	got, err := p.ours.ReadResource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if answered := p.ours.reads.Load() > before; answered != shortcut {
		t.Fatalf("the read shortcut answered: %t, want %t", answered, shortcut)
	}
	want, err := p.framework.ReadResource(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !decodedValue(t, p.state, got.NewState).Equal(decodedValue(t, p.state, want.NewState)) {
		t.Errorf("state:\n got  %s\n want %s", decodedValue(t, p.state, got.NewState), decodedValue(t, p.state, want.NewState))
	}
	if (got.NewIdentity == nil) != (want.NewIdentity == nil) ||
		got.NewIdentity != nil && !decodedValue(t, p.identity, got.NewIdentity.IdentityData).Equal(decodedValue(t, p.identity, want.NewIdentity.IdentityData)) {
		t.Errorf("identity: got %v, want %v", got.NewIdentity, want.NewIdentity)
	}
	if string(got.Private) != string(want.Private) {
		t.Errorf("private state: got %s, want %s", got.Private, want.Private)
	}
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Errorf("diagnostics:\n got  %v\n want %v", got.Diagnostics, want.Diagnostics)
	}
	return got
}

// samePlan calls PlanResourceChange of both servers for the plan Terraform
// makes of state req with configuration config, and compares their
// answers.
//
// proposed nil is the prior state itself: Terraform sends the same bytes
// for an unchanged resource (its encoding is deterministic; tftypes', of a
// map, is not).
func (p serverPair) samePlan(t *testing.T, req *tfprotov6.ReadResourceRequest, config tftypes.Value, proposed *tftypes.Value, shortcut bool) {
	t.Helper()
	plan := &tfprotov6.PlanResourceChangeRequest{
		TypeName: projectTypeName, PriorState: req.CurrentState, PriorPrivate: req.Private, PriorIdentity: req.CurrentIdentity,
		Config: dynamic(t, p.state, config), ProposedNewState: req.CurrentState,
	}
	if proposed != nil {
		plan.ProposedNewState = dynamic(t, p.state, *proposed)
	}
	before := p.ours.plans.Load()
	got, err := p.ours.PlanResourceChange(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	if answered := p.ours.plans.Load() > before; answered != shortcut {
		t.Fatalf("the plan shortcut answered: %t, want %t", answered, shortcut)
	}
	want, err := p.framework.PlanResourceChange(context.Background(), plan)
	if err != nil {
		t.Fatal(err)
	}
	gotPlanned, wantPlanned := decodedValue(t, p.state, got.PlannedState), decodedValue(t, p.state, want.PlannedState)
	if shortcut {
		// The shortcut plans the proposal with its numbers compacted.
		var err error
		if wantPlanned, err = compactNumbers(wantPlanned); err != nil {
			t.Fatal(err)
		}
	}
	if !gotPlanned.Equal(wantPlanned) {
		t.Errorf("planned state:\n got  %s\n want %s", gotPlanned, wantPlanned)
	}
	if (got.PlannedIdentity == nil) != (want.PlannedIdentity == nil) || got.PlannedIdentity != nil &&
		!decodedValue(t, p.identity, got.PlannedIdentity.IdentityData).Equal(decodedValue(t, p.identity, want.PlannedIdentity.IdentityData)) {
		t.Errorf("planned identity: got %v, want %v", got.PlannedIdentity, want.PlannedIdentity)
	}
	if string(got.PlannedPrivate) != string(want.PlannedPrivate) {
		t.Errorf("planned private state: got %s, want %s", got.PlannedPrivate, want.PlannedPrivate)
	}
	if !reflect.DeepEqual(got.RequiresReplace, want.RequiresReplace) || !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) ||
		got.Deferred != nil || want.Deferred != nil {
		t.Errorf("requires replace %v, diagnostics %v; the framework's: %v, %v", got.RequiresReplace, got.Diagnostics, want.RequiresReplace, want.Diagnostics)
	}
}

// configOf is the configuration that manages state's project with the
// arguments args (every other attribute null, as Terraform sends
// computed-only attributes).
func (p serverPair) configOf(t testing.TB, state *tfprotov6.DynamicValue, args ...string) tftypes.Value {
	t.Helper()
	attrs := decoded(t, p.state, state)
	config := map[string]tftypes.Value{}
	for name, v := range attrs {
		config[name] = tftypes.NewValue(p.state.AttributeTypes[name], nil)
		if name == "project_id" || name == "timeouts" {
			config[name] = v
		}
	}
	for _, name := range args {
		config[name] = attrs[name]
	}
	return tftypes.NewValue(p.state, config)
}

// TestProjectServer_sameAsFramework compares projectServer's shortcuts with
// the framework's answers over the states a user meets: adopted, managed
// by stage name or id, install date cleared, timeouts set, changed in the
// app, gone, unreadable, from a Terraform without identity, with no
// private state, and with batch_refresh; and checks that requests outside
// their conditions go to the framework.
func TestProjectServer_sameAsFramework(t *testing.T) {
	t.Parallel()
	for _, batch := range []bool{false, true} {
		m := newTestMock(t)
		p := newServerPair(t, m, batch)
		seed := func(s mockapi.ProjectSeed) string {
			id, err := m.SeedProject(s)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		plain := seed(mockapi.ProjectSeed{Stage: "Permitting", CustomFields: map[string]any{"roof": "tile", "panels": 24}})
		dated := seed(mockapi.ProjectSeed{InstallDate: "2027-03-15", NTPGranted: true, Reference: "Q7ZK2M4P9R"})

		cases := []struct {
			name string
			req  func() *tfprotov6.ReadResourceRequest
			// args are the configured arguments of the plan compared.
			args []string
			// app changes the project in the mock before the read.
			app func()
		}{
			{name: "adopted", req: func() *tfprotov6.ReadResourceRequest { return p.adopted(t, plain, nil) }},
			{name: "by stage name", args: []string{"stage"}, req: func() *tfprotov6.ReadResourceRequest {
				return p.adopted(t, plain, func(a map[string]tftypes.Value) { a["stage"] = tfString("PERMITTING") })
			}},
			{name: "by stage id", args: []string{"stage_id"}, req: func() *tfprotov6.ReadResourceRequest {
				return p.adopted(t, plain, func(a map[string]tftypes.Value) {
					a["stage_id"], a["stage"] = tfString(m.Stages("solar")[2].ID), tftypes.NewValue(tftypes.String, nil)
				})
			}},
			{name: "no install date", args: []string{"install_date", "ntp_granted"}, req: func() *tfprotov6.ReadResourceRequest {
				return p.adopted(t, plain, func(a map[string]tftypes.Value) { a["install_date"] = tfString("") })
			}},
			{name: "by reference, with timeouts", req: func() *tfprotov6.ReadResourceRequest {
				return p.adopted(t, dated, func(a map[string]tftypes.Value) {
					a["project_id"] = tfString("Q7ZK2M4P9R")
					typ := p.state.AttributeTypes["timeouts"].(tftypes.Object) //nolint:forcetypeassert // the schema's block
					a["timeouts"] = tftypes.NewValue(typ, map[string]tftypes.Value{
						"create": tftypes.NewValue(tftypes.String, nil), "update": tftypes.NewValue(tftypes.String, nil),
						"read": tfString("2m"),
					})
				})
			}},
			{name: "changed in the app", req: func() *tfprotov6.ReadResourceRequest { return p.adopted(t, dated, nil) }, app: func() {
				m.EditProject(dated, func(pr map[string]any) {
					pr["ntpGranted"] = false
					pr["customer"].(map[string]any)["email"] = "changed@example.com" //nolint:forcetypeassert // the mock's shape
				})
			}},
			{name: "no identity (Terraform before 1.12)", req: func() *tfprotov6.ReadResourceRequest {
				r := p.adopted(t, plain, nil)
				r.CurrentIdentity = nil
				return r
			}},
			{name: "no private state (written before it was kept)", req: func() *tfprotov6.ReadResourceRequest {
				r := p.adopted(t, plain, nil)
				r.Private = nil
				return r
			}},
			{name: "numbers as Terraform reads them from its state file", req: func() *tfprotov6.ReadResourceRequest {
				return p.adopted(t, plain, func(a map[string]tftypes.Value) {
					for name, v := range a {
						a[name] = decimalNumbers(t, v)
					}
				})
			}},
			{name: "another key in private state", req: func() *tfprotov6.ReadResourceRequest {
				r := p.adopted(t, plain, nil)
				r.Private = []byte(`{"other":"eyJhIjoxfQ==","stage":"e30="}`)
				return r
			}},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				req := c.req()
				if c.app != nil {
					c.app()
				}
				read := p.sameRead(t, req, true)
				if batch && c.app == nil {
					// Kept from the prior state: its numbers compacted, as
					// a read from the API gives them.
					checkCompactNumbers(t, decodedValue(t, p.state, read.NewState))
				}
				// The refresh plan that follows: unchanged, so the shortcut.
				next := &tfprotov6.ReadResourceRequest{CurrentState: read.NewState, CurrentIdentity: read.NewIdentity, Private: read.Private}
				p.samePlan(t, next, p.configOf(t, read.NewState, c.args...), nil, true)
				// And of the state as it was (terraform plan
				// -refresh=false): numbers as Terraform sends those of its
				// state file in one case.
				p.samePlan(t, req, p.configOf(t, req.CurrentState, c.args...), nil, true)
				if c.name == "no identity (Terraform before 1.12)" {
					next.CurrentIdentity = nil
					p.samePlan(t, next, p.configOf(t, read.NewState, c.args...), nil, true)
				}
			})
		}

		t.Run("a change is planned by the framework", func(t *testing.T) {
			req := p.adopted(t, plain, nil)
			proposed := decoded(t, p.state, req.CurrentState)
			proposed["ntp_granted"] = tftypes.NewValue(tftypes.Bool, true)
			config := p.configOf(t, req.CurrentState)
			cfg := map[string]tftypes.Value{}
			_ = config.As(&cfg)
			cfg["ntp_granted"] = proposed["ntp_granted"]
			changed := tftypes.NewValue(p.state, proposed)
			p.samePlan(t, req, tftypes.NewValue(p.state, cfg), &changed, false)
		})
		t.Run("the framework's own private keys go to the framework", func(t *testing.T) {
			req := p.adopted(t, plain, nil)
			req.Private = []byte(`{".import_before_read":"dHJ1ZQ=="}`)
			p.sameRead(t, req, false)
			p.samePlan(t, req, p.configOf(t, req.CurrentState), nil, false)
		})
		t.Run("unreadable", func(t *testing.T) {
			// Seeded after the listing batch_refresh made: read by id.
			req := p.adopted(t, seed(mockapi.ProjectSeed{}), nil)
			m.SetFaults(mockapi.Faults{Status: 403, Endpoints: []string{mockapi.EndpointGetProject}})
			defer m.SetFaults(mockapi.Faults{})
			if got := p.sameRead(t, req, true); len(got.Diagnostics) == 0 {
				t.Fatal("a project read refused with 403 gave no diagnostic")
			}
		})
		t.Run("gone", func(t *testing.T) {
			req := p.adopted(t, dated, nil)
			if !m.DeleteProject(dated) {
				t.Fatal("the mock did not delete the project")
			}
			if got := p.sameRead(t, req, true); !decodedValue(t, p.state, got.NewState).IsNull() {
				t.Fatal("a project gone from pipe.solar kept its state")
			}
		})
	}
}

// TestProjectSchemaPlain checks the condition of the shortcuts: true for
// pipesolar_project's schema, false with any of what the framework's
// walks act on.
func TestProjectSchemaPlain(t *testing.T) {
	t.Parallel()
	if !projectSchemaPlain() {
		t.Fatal("pipesolar_project's schema is not plain: the shortcuts are off")
	}
	base := func() schema.Schema { return projectResourceSchema(context.Background()) }
	for name, change := range map[string]func(*schema.Schema){
		"a plan modifier": func(s *schema.Schema) {
			s.Attributes["project_id"] = schema.StringAttribute{Required: true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()}}
		},
		"a default": func(s *schema.Schema) {
			s.Attributes["extra"] = schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("x")}
		},
		"semantic equality": func(s *schema.Schema) {
			s.Attributes["extra"] = schema.StringAttribute{Optional: true, CustomType: jsontypes.NormalizedType{}}
		},
		"write-only": func(s *schema.Schema) {
			s.Attributes["extra"] = schema.StringAttribute{Optional: true, WriteOnly: true}
		},
		"a list block": func(s *schema.Schema) {
			s.Blocks["extra"] = schema.ListNestedBlock{}
		},
	} {
		s := base()
		change(&s)
		if !hasPlanRules(reflect.ValueOf(s)) && plainSchema(s) {
			t.Errorf("a schema with %s counts as plain", name)
		}
	}
}

// TestProtocol6Server_passesOn checks that the wrapper offers every
// optional set of RPCs the framework's server does, so that
// terraform-plugin-go finds list resources, actions and state stores.
func TestProtocol6Server_passesOn(t *testing.T) {
	t.Parallel()
	ours, framework := testProtocolServer(t), frameworkProtocolServer(t)
	for name, implements := range map[string]func(tfprotov6.ProviderServer) bool{
		"list resources": func(s tfprotov6.ProviderServer) bool {
			_, ok := s.(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // the only way in terraform-plugin-go v0.31
			return ok
		},
		"actions": func(s tfprotov6.ProviderServer) bool {
			_, ok := s.(tfprotov6.ProviderServerWithActions) //nolint:staticcheck // as above
			return ok
		},
		"state stores": func(s tfprotov6.ProviderServer) bool {
			_, ok := s.(tfprotov6.ProviderServerWithStateStores) //nolint:staticcheck // as above
			return ok
		},
		"resource identity": func(s tfprotov6.ProviderServer) bool {
			_, ok := s.(tfprotov6.ResourceServer)
			return ok
		},
	} {
		if implements(framework) && !implements(ours) {
			t.Errorf("the framework's server serves %s and the provider's does not pass them on", name)
		}
	}
	if got, want := providerSchemas(t, ours), providerSchemas(t, framework); !reflect.DeepEqual(got, want) {
		t.Error("the provider's server answers other schemas than the framework's")
	}
}

// jsonOf is v as Terraform writes it in a state file's attributes.
func jsonOf(t testing.TB, v tftypes.Value) any {
	t.Helper()
	if v.IsNull() {
		return nil
	}
	switch typ := v.Type(); {
	case typ.Is(tftypes.String):
		var s string
		_ = v.As(&s)
		return s
	case typ.Is(tftypes.Bool):
		var b bool
		_ = v.As(&b)
		return b
	case typ.Is(tftypes.Number):
		f := new(big.Float)
		_ = v.As(&f)
		// As Terraform writes them: 2.85, the shortest decimal.
		return json.Number(f.Text('g', -1))
	case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
		var elems []tftypes.Value
		_ = v.As(&elems)
		out := make([]any, 0, len(elems))
		for _, e := range elems {
			out = append(out, jsonOf(t, e))
		}
		return out
	default: // maps and objects
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		out := make(map[string]any, len(attrs))
		for k, e := range attrs {
			out[k] = jsonOf(t, e)
		}
		return out
	}
}

// TestProjectServer_upgradeSameAsFramework compares projectServer's
// UpgradeResourceState with the framework's for JSON states as Terraform
// stores them: adopted and managed states with maps, lists, objects and
// the timeouts block; with an attribute the schema no longer has; with one
// missing; and, answered by the framework, with a value of the wrong type
// and of schema version 0 (1.x).
func TestProjectServer_upgradeSameAsFramework(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	p := newServerPair(t, m, false)
	seeded, err := m.SeedProject(testProjectSeed())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		edit     func(map[string]any)
		version  int64
		shortcut bool
	}{
		{name: "adopted", version: 1, shortcut: true},
		{name: "managed, timeouts set", version: 1, shortcut: true, edit: func(s map[string]any) {
			s["stage"], s["install_date"] = "proposal", ""
			s["timeouts"] = map[string]any{"read": "2m", "create": nil, "update": nil}
		}},
		{name: "an attribute no longer in the schema", version: 1, shortcut: true, edit: func(s map[string]any) { s["org_id"] = "org-1" }},
		{name: "an attribute missing", version: 1, shortcut: true, edit: func(s map[string]any) { delete(s, "custom_fields") }},
		{name: "a value of the wrong type", version: 1, edit: func(s map[string]any) { s["ntp_granted"] = []any{"yes"} }},
		{name: "schema version 0 (1.x)", version: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			read := p.adopted(t, seeded, nil)
			state, ok := jsonOf(t, decodedValue(t, p.state, read.CurrentState)).(map[string]any)
			if !ok {
				t.Fatal("the state is not an object")
			}
			if c.edit != nil {
				c.edit(state)
			}
			raw, err := json.Marshal(state)
			if err != nil {
				t.Fatal(err)
			}
			req := &tfprotov6.UpgradeResourceStateRequest{TypeName: projectTypeName, Version: c.version, RawState: &tfprotov6.RawState{JSON: raw}}
			before := p.ours.upgrades.Load()
			got, err := p.ours.UpgradeResourceState(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if answered := p.ours.upgrades.Load() > before; answered != c.shortcut {
				t.Fatalf("the upgrade shortcut answered: %t, want %t", answered, c.shortcut)
			}
			want, err := p.framework.UpgradeResourceState(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if (got.UpgradedState == nil) != (want.UpgradedState == nil) {
				t.Fatalf("upgraded state: got %v, want %v", got.UpgradedState, want.UpgradedState)
			}
			if got.UpgradedState != nil {
				// The shortcut answers the framework's state with its
				// numbers compacted (statecodec).
				gotState, wantState := decodedValue(t, p.state, got.UpgradedState), decodedValue(t, p.state, want.UpgradedState)
				if c.shortcut {
					if wantState, err = compactNumbers(wantState); err != nil {
						t.Fatal(err)
					}
				}
				if !gotState.Equal(wantState) {
					t.Errorf("upgraded state:\n got  %s\n want %s", gotState, wantState)
				}
			}
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Errorf("diagnostics:\n got  %v\n want %v", got.Diagnostics, want.Diagnostics)
			}
			if c.shortcut && c.edit == nil {
				// The same values; numbers read from JSON as decimals, so
				// compared compacted.
				upgraded, err := compactNumbers(decodedValue(t, p.state, got.UpgradedState))
				if err != nil {
					t.Fatal(err)
				}
				if d, _ := upgraded.Diff(decodedValue(t, p.state, read.CurrentState)); len(d) > 0 {
					t.Errorf("the upgrade of an unchanged state changed it: %v", d)
				}
			}
		})
	}
}

// decimalNumbers is v with its non-integer numbers as Terraform holds them
// after reading its state file: decimals at 512 bits, sent as text.
func decimalNumbers(t *testing.T, v tftypes.Value) tftypes.Value {
	t.Helper()
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.Type().Is(tftypes.Number) || v.IsNull() {
			return v, nil
		}
		f := new(big.Float)
		if err := v.As(&f); err != nil || f.IsInt() {
			return v, err
		}
		d, _, err := big.ParseFloat(f.Text('g', -1), 10, 512, big.ToNearestEven)
		return tftypes.NewValue(tftypes.Number, d), err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkCompactNumbers fails the test when a non-integer number of v is not
// held as a float64.
func checkCompactNumbers(t *testing.T, v tftypes.Value) {
	t.Helper()
	numbers := 0
	_, err := tftypes.Transform(v, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.Type().Is(tftypes.Number) || v.IsNull() {
			return v, nil
		}
		f := new(big.Float)
		if err := v.As(&f); err != nil {
			return v, err
		}
		if !f.IsInt() {
			numbers++
			if f.Prec() > 53 {
				t.Errorf("%s: %s held at %d bits, not as a float64", p, f.Text('g', -1), f.Prec())
			}
		}
		return v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if numbers == 0 {
		t.Fatal("the state has no non-integer number: nothing checked")
	}
}

// TestProjectServer_validateSameAsFramework compares projectServer's
// ValidateResourceConfig with the framework's over the configurations a
// user writes, right and wrong, before and after the provider is
// configured (Terraform validates before it configures), and checks that
// those the shortcut leaves (a read-only attribute or the timeouts block
// set) go to the framework.
func TestProjectServer_validateSameAsFramework(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	configured := newServerPair(t, m, false)
	unconfigured := serverPair{state: configured.state, framework: frameworkProtocolServer(t)}
	var ok bool
	if unconfigured.ours, ok = testProtocolServer(t).(*projectServer); !ok {
		t.Fatal("the provider's server is not a projectServer")
	}
	typ := configured.state
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	cases := []struct {
		name     string
		set      map[string]tftypes.Value
		shortcut bool
		errors   int
	}{
		{name: "project_id only", set: map[string]tftypes.Value{"project_id": str("rs3tjzhsav3vxbmuvh7y")}, shortcut: true},
		{name: "project_id unknown (count.index at validation)", set: map[string]tftypes.Value{"project_id": unknown}, shortcut: true},
		{name: "project_id blank", set: map[string]tftypes.Value{"project_id": str("  ")}, shortcut: true, errors: 1},
		{name: "every argument", shortcut: true, set: map[string]tftypes.Value{
			"project_id": str("D4YR1VSK7K"), "stage": str("Permitting"), "install_date": str("2027-03-01"),
			"ntp_granted": tftypes.NewValue(tftypes.Bool, true),
		}},
		{name: "stage_id", set: map[string]tftypes.Value{"project_id": str("p"), "stage_id": str("st_1")}, shortcut: true},
		{name: "stage and stage_id", set: map[string]tftypes.Value{"project_id": str("p"), "stage": str("Permitting"), "stage_id": str("st_1")}, shortcut: true, errors: 1},
		{name: "stage blank", set: map[string]tftypes.Value{"project_id": str("p"), "stage": str("")}, shortcut: true, errors: 1},
		{name: "stage unknown", set: map[string]tftypes.Value{"project_id": str("p"), "stage": unknown, "stage_id": str("st_1")}, shortcut: true},
		{name: "install date cleared", set: map[string]tftypes.Value{"project_id": str("p"), "install_date": str("")}, shortcut: true},
		{name: "install date not a date", set: map[string]tftypes.Value{"project_id": str("p"), "install_date": str("2027-02-30")}, shortcut: true, errors: 1},
		{name: "a read-only attribute set", set: map[string]tftypes.Value{"project_id": str("p"), "reference": str("D4YR1VSK7K")}, errors: 1},
		{name: "timeouts", set: map[string]tftypes.Value{"project_id": str("p"), "timeouts": tftypes.NewValue(typ.AttributeTypes["timeouts"], map[string]tftypes.Value{
			"create": str("10m"), "read": str("forever"), "update": tftypes.NewValue(tftypes.String, nil),
		})}, errors: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			config := dynamic(t, typ, objectOf(typ, c.set))
			for _, p := range []serverPair{configured, unconfigured} {
				req := &tfprotov6.ValidateResourceConfigRequest{TypeName: projectTypeName, Config: config}
				before := p.ours.validations.Load()
				got, err := p.ours.ValidateResourceConfig(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if answered := p.ours.validations.Load() > before; answered != c.shortcut {
					t.Fatalf("the validation shortcut answered: %t, want %t", answered, c.shortcut)
				}
				want, err := p.framework.ValidateResourceConfig(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := sortedDiagnostics(got.Diagnostics), sortedDiagnostics(want.Diagnostics); !reflect.DeepEqual(g, w) {
					t.Errorf("diagnostics:\n got  %v\n want %v", g, w)
				}
				errors := 0
				for _, d := range got.Diagnostics {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						errors++
					}
				}
				if errors != c.errors {
					t.Errorf("%d errors, want %d: %v", errors, c.errors, sortedDiagnostics(got.Diagnostics))
				}
			}
		})
	}
}

// sortedDiagnostics are diags as text, sorted: the framework validates
// attributes in any order.
func sortedDiagnostics(diags []*tfprotov6.Diagnostic) []string {
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		out = append(out, fmt.Sprintf("%s|%s|%s|%v", d.Severity, d.Summary, d.Detail, d.Attribute))
	}
	slices.Sort(out)
	return out
}

// TestProjectValidationPlan checks the condition of the validation
// shortcut: on for pipesolar_project, off for a resource or schema with
// what it does not run.
func TestProjectValidationPlan(t *testing.T) {
	t.Parallel()
	if !projectValidation().on {
		t.Fatal("the validation shortcut is off for pipesolar_project")
	}
	base := func() schema.Schema { return projectResourceSchema(context.Background()) }
	for name, change := range map[string]func(*schema.Schema){
		"a number validator": func(s *schema.Schema) {
			s.Attributes["extra"] = schema.NumberAttribute{Optional: true, Validators: []validator.Number{numbervalidator.OneOf(big.NewFloat(1))}}
		},
		"a deprecated attribute": func(s *schema.Schema) {
			s.Attributes["extra"] = schema.StringAttribute{Optional: true, DeprecationMessage: "use stage"}
		},
		"a deprecated schema": func(s *schema.Schema) { s.DeprecationMessage = "use pipesolar_thing" },
		"validators on a nested attribute": func(s *schema.Schema) {
			s.Attributes["extra"] = schema.SingleNestedAttribute{Optional: true,
				Validators: []validator.Object{objectvalidator.IsRequired()}, Attributes: map[string]schema.Attribute{}}
		},
		"a list block": func(s *schema.Schema) { s.Blocks["extra"] = schema.ListNestedBlock{} },
		"a required attribute in a block": func(s *schema.Schema) {
			s.Blocks["extra"] = schema.SingleNestedBlock{Attributes: map[string]schema.Attribute{"x": schema.StringAttribute{Required: true}}}
		},
	} {
		s := base()
		change(&s)
		if validationPlan(&projectResource{}, s).on {
			t.Errorf("the validation shortcut is on with %s", name)
		}
	}
	if validationPlan(&projectStageResource{}, base()).on {
		t.Error("the validation shortcut is on for a resource with its own config validators")
	}
}
