package provider

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ReadResource refreshes a pipesolar_project by calling the resource's own
// Read, exactly as the framework does, without the four walks over the
// state the framework makes around it: semantic equality, nulling
// write-only attributes, and the null/empty conversion of list and set
// blocks on the way in and out. For a schema with none of those (no
// semantic-equality types, no write-only attributes, no list or set
// blocks: readShortcutAllowed, checked when the server starts) they change
// nothing, yet on this 60-attribute schema they were two thirds of a
// refresh's CPU in the provider: each step of each walk copies the
// schema's attribute map.
//
// What it keeps from the framework: Read gets the prior state and identity
// (a null identity when Terraform sends none), a configured resource, and
// the client capabilities; after Read, the identity checks ("Unexpected
// Identity Change", "Missing Resource Identity After Read") with the
// framework's words. States with private data (the framework's import
// marker among them), in JSON, or that do not decode go to the framework.
// TestProjectServer_readSameAsFramework compares the two answers: state
// and identity value for value (tftypes writes a map's entries in no fixed
// order), private data and diagnostics exactly.
func (s *projectServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	data := s.core.configured()
	if !s.readShortcut || data == nil || req.TypeName != "pipesolar_project" || len(req.Private) > 0 ||
		req.CurrentState == nil || len(req.CurrentState.MsgPack) == 0 || len(req.CurrentState.JSON) > 0 {
		return s.ProviderServer.ReadResource(ctx, req)
	}
	types := projectProtoTypes()
	prior, err := req.CurrentState.Unmarshal(types.state)
	if err != nil {
		return s.ProviderServer.ReadResource(ctx, req)
	}
	identity := tftypes.NewValue(types.identity, nil)
	if req.CurrentIdentity != nil && req.CurrentIdentity.IdentityData != nil {
		if identity, err = req.CurrentIdentity.IdentityData.Unmarshal(types.identity); err != nil {
			return s.ProviderServer.ReadResource(ctx, req)
		}
	}

	s.reads.Add(1)
	r := &projectResource{}
	var configured resource.ConfigureResponse
	r.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &configured)
	diags := configured.Diagnostics
	readResp := resource.ReadResponse{
		State:    tfsdk.State{Schema: types.schema, Raw: prior.Copy()},
		Identity: &tfsdk.ResourceIdentity{Schema: types.identitySchema, Raw: identity.Copy()},
	}
	if !diags.HasError() {
		readReq := resource.ReadRequest{
			State:    tfsdk.State{Schema: types.schema, Raw: prior},
			Identity: &tfsdk.ResourceIdentity{Schema: types.identitySchema, Raw: identity},
		}
		if req.ClientCapabilities != nil {
			readReq.ClientCapabilities.DeferralAllowed = req.ClientCapabilities.DeferralAllowed
		}
		r.Read(ctx, readReq, &readResp)
		diags = readResp.Diagnostics
	}
	if readResp.Identity == nil {
		// Read dropped the identity object: answer a null one, which the
		// check below reports.
		readResp.Identity = &tfsdk.ResourceIdentity{Schema: types.identitySchema, Raw: tftypes.NewValue(types.identity, nil)}
	}
	if !diags.HasError() {
		diags.Append(checkReadIdentity(identity, readResp.Identity.Raw)...)
	}

	resp := &tfprotov6.ReadResourceResponse{Diagnostics: protoDiagnostics(diags)}
	if configured.Diagnostics.HasError() {
		// The framework stops before Read and answers no state.
		return resp, nil
	}
	state, err := tfprotov6.NewDynamicValue(types.state, readResp.State.Raw)
	if err != nil {
		return nil, fmt.Errorf("encoding the state of pipesolar_project: %w", err)
	}
	newIdentity, err := tfprotov6.NewDynamicValue(types.identity, readResp.Identity.Raw)
	if err != nil {
		return nil, fmt.Errorf("encoding the identity of pipesolar_project: %w", err)
	}
	resp.NewState = &state
	resp.NewIdentity = &tfprotov6.ResourceIdentityData{IdentityData: &newIdentity}
	return resp, nil
}

// checkReadIdentity is the framework's check of the identity a Read
// returned, for a resource whose identity may not change.
func checkReadIdentity(prior, read tftypes.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case !prior.IsFullyNull() && !prior.Equal(read):
		diags.AddError(
			"Unexpected Identity Change",
			"During the read operation, the Terraform Provider unexpectedly returned a different identity than the previously stored one.\n\n"+
				"This is always a problem with the provider and should be reported to the provider developer.\n\n"+
				fmt.Sprintf("Current Identity: %s\n\n", prior.String())+
				fmt.Sprintf("New Identity: %s", read.String()),
		)
	case read.IsFullyNull():
		diags.AddError(
			"Missing Resource Identity After Read",
			"The Terraform Provider unexpectedly returned no resource identity data after having no errors in the resource read. "+
				"This is always an issue in the Terraform Provider and should be reported to the provider developers.",
		)
	}
	return diags
}

// projectSchemaTypes are pipesolar_project's schemas and their value types.
type projectSchemaTypes struct {
	schema         schema.Schema
	identitySchema identityschema.Schema
	state          tftypes.Object
	identity       tftypes.Object
}

var projectProtoTypes = sync.OnceValue(func() projectSchemaTypes {
	ctx := context.Background()
	t := projectSchemaTypes{schema: projectResourceSchema(ctx), identitySchema: projectIdentitySchema()}
	t.state, _ = t.schema.Type().TerraformType(ctx).(tftypes.Object)
	t.identity, _ = t.identitySchema.Type().TerraformType(ctx).(tftypes.Object)
	return t
})

// readShortcutAllowed reports whether the framework's walks around Read
// change nothing for pipesolar_project's schema: no list or set blocks, no
// write-only attributes, and no type anywhere (attribute, element, object
// member) with semantic equality. It looks at the schema the resource
// declares, so an attribute added with any of them turns the shortcut off
// rather than making it wrong.
func readShortcutAllowed() bool {
	return plainSchema(projectResourceSchema(context.Background()))
}

// plainSchema: no list or set blocks, no write-only attributes, no
// semantic equality anywhere.
func plainSchema(s schema.Schema) bool {
	if len(s.Attributes) == 0 {
		return false
	}
	for _, a := range s.Attributes {
		if !plainAttribute(a) {
			return false
		}
	}
	for _, b := range s.Blocks {
		single, ok := b.(schema.SingleNestedBlock)
		if !ok || len(single.Blocks) > 0 {
			return false
		}
		for _, a := range single.Attributes {
			if !plainAttribute(a) {
				return false
			}
		}
	}
	return true
}

// plainAttribute: not write-only, and no semantic equality in its type.
func plainAttribute(a schema.Attribute) bool {
	if a.IsWriteOnly() {
		return false
	}
	if nested, ok := a.(interface {
		GetNestedObject() schema.NestedAttributeObject
	}); ok {
		for _, n := range nested.GetNestedObject().Attributes {
			if !plainAttribute(n) {
				return false
			}
		}
	}
	return !hasSemanticEquality(a.GetType())
}

// hasSemanticEquality reports whether t's values, or those of any type in
// it, have a semantic-equality method (StringSemanticEquals,
// ListSemanticEquals, ...).
func hasSemanticEquality(t attr.Type) bool {
	v := reflect.TypeOf(t.ValueType(context.Background()))
	for i := range v.NumMethod() {
		if strings.HasSuffix(v.Method(i).Name, "SemanticEquals") {
			return true
		}
	}
	switch t := t.(type) {
	case attr.TypeWithElementType:
		return hasSemanticEquality(t.ElementType())
	case attr.TypeWithAttributeTypes:
		for _, m := range t.AttributeTypes() {
			if hasSemanticEquality(m) {
				return true
			}
		}
	case attr.TypeWithElementTypes:
		for _, m := range t.ElementTypes() {
			if hasSemanticEquality(m) {
				return true
			}
		}
	}
	return false
}

// UpgradeResourceState answers a pipesolar_project state of the current
// schema version as the framework does (the state, decoded from its JSON
// with the current schema, attributes it no longer has ignored) without
// the framework's walk over it that turns empty list and set blocks into
// null: the schema has none (readShortcutAllowed). Terraform calls this
// for every resource in every plan; the walk was a third of its cost.
// Other versions, flatmap states and states that do not decode go to the
// framework. TestProjectServer_upgradeSameAsFramework compares the two.
func (s *projectServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	types := projectProtoTypes()
	if !s.readShortcut || req.TypeName != "pipesolar_project" || req.RawState == nil || len(req.RawState.JSON) == 0 ||
		req.Version != types.schema.Version {
		return s.ProviderServer.UpgradeResourceState(ctx, req)
	}
	v, err := req.RawState.UnmarshalWithOpts(types.state, tfprotov6.UnmarshalOpts{
		ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true},
	})
	if err != nil {
		return s.ProviderServer.UpgradeResourceState(ctx, req)
	}
	s.upgrades.Add(1)
	state, err := tfprotov6.NewDynamicValue(types.state, v)
	if err != nil {
		return nil, fmt.Errorf("encoding the state of pipesolar_project: %w", err)
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &state}, nil
}
