package provider

import (
	"bytes"
	"context"
	"reflect"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// projectServer serves resource and list resource pipesolar_project through
// the framework, with one shortcut: a plan whose proposed new state is the
// prior state byte for byte (the common case of a refresh plan: nothing
// changed) is answered with that proposal, the prior private data and the
// prior identity, which is what the framework answers when the schema has
// no defaults and no attribute plan modifiers and ModifyPlan changes
// nothing for an unchanged plan. Reaching that answer costs the framework
// about 7 ms of CPU per resource (it reads and rewrites the plan once per
// attribute, and every step copies the schema's attribute map): most of a
// refresh plan's CPU. The shortcut is on only when the schema allows it
// (shortcutAllowed, checked when the server starts); the equivalence test
// TestProjectServer_unchangedPlanSameAsFramework compares its answers with
// the framework's for states with lists, maps, objects and identity.
//
// It implements the list resource RPCs by calling the framework server's,
// so the mux finds them; every other RPC is the framework's.
//
// A second measured shortcut reads a project: see ReadResource.
type projectServer struct {
	tfprotov6.ProviderServer
	list         tfprotov6.ListResourceServer
	core         *pipesolarProvider
	shortcut     bool
	readShortcut bool
	// reads and upgrades count the RPCs the shortcuts answered, so that
	// the equivalence tests know they compared a shortcut with the
	// framework and not the framework with itself.
	reads, upgrades atomic.Int64
}

var _ tfprotov6.ListResourceServer = (*projectServer)(nil)

func newProjectServer(version string, core *pipesolarProvider) *projectServer {
	fw := providerserver.NewProtocol6(newProvider(version, projectTypes, core))()
	list, _ := fw.(tfprotov6.ListResourceServer)
	return &projectServer{ProviderServer: fw, list: list, core: core, shortcut: shortcutAllowed(), readShortcut: readShortcutAllowed()}
}

func (s *projectServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if s.shortcut && unchangedPlan(req) {
		identity := req.PriorIdentity
		if identity == nil {
			// A Terraform without identity support (before 1.12), or a
			// state written before the resource had one: the framework
			// plans a null identity.
			identity = &tfprotov6.ResourceIdentityData{IdentityData: &tfprotov6.DynamicValue{MsgPack: []byte{msgPackNil}}}
		}
		return &tfprotov6.PlanResourceChangeResponse{
			PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate, PlannedIdentity: identity,
		}, nil
	}
	return s.ProviderServer.PlanResourceChange(ctx, req)
}

func (s *projectServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.list.ListResource(ctx, req)
}

func (s *projectServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.list.ValidateListResourceConfig(ctx, req)
}

// unchangedPlan reports whether a pipesolar_project's proposed new state is
// byte for byte its prior state and neither is null (a create or a
// destroy).
func unchangedPlan(req *tfprotov6.PlanResourceChangeRequest) bool {
	prior, proposed := req.PriorState, req.ProposedNewState
	if req.TypeName != "pipesolar_project" || prior == nil || proposed == nil ||
		len(prior.MsgPack) == 0 || len(prior.JSON) > 0 || len(proposed.JSON) > 0 {
		return false
	}
	if req.PriorIdentity != nil && (req.PriorIdentity.IdentityData == nil || len(req.PriorIdentity.IdentityData.MsgPack) == 0) {
		return false
	}
	if len(prior.MsgPack) == 1 && prior.MsgPack[0] == msgPackNil {
		return false
	}
	return bytes.Equal(prior.MsgPack, proposed.MsgPack)
}

// msgPackNil is msgpack's nil, the encoding of a null value.
const msgPackNil = 0xc0

// shortcutAllowed reports whether pipesolar_project's schema lets the
// framework plan an unchanged resource as the proposal itself: no
// attribute or block anywhere has a default or a plan modifier. It walks
// the schema as the framework builds it, so an attribute added with one
// turns the shortcut off rather than making it wrong.
func shortcutAllowed() bool {
	var resp resource.SchemaResponse
	NewProjectResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return len(resp.Schema.Attributes) > 0 && !hasPlanRules(reflect.ValueOf(resp.Schema))
}

// hasPlanRules walks a schema value for non-empty PlanModifiers or a
// Default.
func hasPlanRules(v reflect.Value) bool {
	for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return false
	}
	if f := v.FieldByName("PlanModifiers"); f.IsValid() && f.Len() > 0 {
		return true
	}
	if f := v.FieldByName("Default"); f.IsValid() && !f.IsNil() {
		return true
	}
	for _, field := range []string{"Attributes", "Blocks"} {
		if f := v.FieldByName(field); f.IsValid() && f.Kind() == reflect.Map {
			for _, k := range f.MapKeys() {
				if hasPlanRules(f.MapIndex(k)) {
					return true
				}
			}
		}
	}
	if f := v.FieldByName("NestedObject"); f.IsValid() {
		return hasPlanRules(f)
	}
	return false
}
