package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/statecodec"
)

// projectServer is the provider's protocol server: the framework's, with
// shortcuts for the four RPCs a refresh plan makes once per managed
// pipesolar_project:
//
//   - ValidateResourceConfig runs the arguments' validators without the
//     framework's walk over every attribute (project_server_validate.go);
//   - UpgradeResourceState of a state of the current version transcodes
//     its JSON to msgpack in one pass (statecodec);
//   - ReadResource runs the resource's own refresh (readProject, which Read
//     runs too) on the decoded state and writes the answer straight from
//     the framework's values (statecodec);
//   - PlanResourceChange of an unchanged project (the proposed new state is
//     the prior state byte for byte) answers the proposal, the prior
//     private state and the prior identity.
//
// Each is what the framework answers for this schema (numbers excepted:
// the upgrade and the plan write a decimal Terraform sends as text as the
// float64 it is, the same number to Terraform); reaching the answer costs
// the framework a walk over the schema per attribute per step (semantic
// equality, defaults, write-only and collection-block nulling, attribute
// plan modification, validation), each step copying the schema's
// attribute map: the four RPCs of one project take 13 ms through the
// framework and 0.6 ms through the shortcuts, the mock's answer included
// (BenchmarkProjectServer; make bench and the performance guide have the
// whole plan). The read, upgrade and plan shortcuts are on only when the
// schema has none of what those walks act on (projectSchemaPlain, checked
// when the server starts: an attribute added with a default, a plan
// modifier, semantic equality, write-only or a list block turns them off
// rather than making them wrong) and statecodec can carry its state; the
// validation one only when projectValidation finds nothing it does not
// run. Requests outside their conditions (JSON the codec leaves, the
// framework's own private keys, an unconfigured provider) go to the
// framework. TestProjectServer_sameAsFramework,
// TestProjectServer_upgradeSameAsFramework and
// TestProjectServer_validateSameAsFramework compare their answers with the
// framework's, RPC by RPC, over the states and configurations a user
// meets.
type projectServer struct {
	frameworkServer
	provider *pipesolarProvider
	// plain: projectSchemaPlain() and a state statecodec carries; the read,
	// upgrade and plan shortcuts are on.
	plain bool
	// plans, reads, upgrades and validations count the RPCs the shortcuts
	// answered, so that the equivalence test knows it compared a shortcut
	// with the framework and not the framework with itself.
	plans, reads, upgrades, validations atomic.Int64
}

func newProjectServer(p *pipesolarProvider) (*projectServer, error) {
	fw, ok := providerserver.NewProtocol6(p)().(frameworkServer)
	if !ok {
		return nil, errNotFrameworkServer
	}
	plain := projectSchemaPlain() && projectProtoTypes().codec != nil
	return &projectServer{frameworkServer: fw, provider: p, plain: plain}, nil
}

// projectTypeName is the resource the shortcuts serve.
const projectTypeName = "pipesolar_project"

// msgPackNil is msgpack's nil, the encoding of a null value.
const msgPackNil = 0xc0

// PlanResourceChange answers an unchanged pipesolar_project as the
// framework does: with no defaults and no plan modifiers in the schema it
// marks nothing unknown and modifies nothing, and ModifyPlan returns at
// once when the plan equals the state. The planned state is the proposal
// with its numbers compacted (statecodec.CompactMsgPack): Terraform sends
// the decimals it read from its state file as text, and a planned 2.85 it
// decodes as a float64 costs it a twentieth of one it decodes as a 512-bit
// decimal each time it compares or stores it; to Terraform both are the
// same number.
func (s *projectServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if !s.plain || req.TypeName != projectTypeName || !unchangedPlan(req) {
		return s.frameworkServer.PlanResourceChange(ctx, req)
	}
	if _, ok := providerPrivate(req.PriorPrivate); !ok {
		return s.frameworkServer.PlanResourceChange(ctx, req)
	}
	s.plans.Add(1)
	planned := req.ProposedNewState
	if b, err := projectProtoTypes().codec.CompactMsgPack(planned.MsgPack); err == nil {
		planned = &tfprotov6.DynamicValue{MsgPack: b}
	}
	identity := req.PriorIdentity
	if identity == nil {
		// A Terraform without identity support (before 1.12), or a state
		// written before the resource had one: the framework plans a null
		// identity.
		identity = &tfprotov6.ResourceIdentityData{IdentityData: &tfprotov6.DynamicValue{MsgPack: []byte{msgPackNil}}}
	}
	return &tfprotov6.PlanResourceChangeResponse{
		PlannedState: planned, PlannedPrivate: req.PriorPrivate, PlannedIdentity: identity,
	}, nil
}

// unchangedPlan reports whether a proposed new state is byte for byte its
// prior state, in msgpack, and neither is null (a create or a destroy),
// with a prior identity that is absent or in msgpack.
func unchangedPlan(req *tfprotov6.PlanResourceChangeRequest) bool {
	prior, proposed := req.PriorState, req.ProposedNewState
	if prior == nil || proposed == nil || len(prior.MsgPack) == 0 || len(prior.JSON) > 0 || len(proposed.JSON) > 0 {
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

// ReadResource refreshes a pipesolar_project through readProject, as Read
// does, and answers what the framework answers around Read: the state
// (null when the project is gone), the identity (the prior one, null when
// Terraform sends none, until the read sets it) and the private state with
// the stage read kept under projectStageKey.
func (s *projectServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	data := s.provider.configured.Load()
	if !s.plain || data == nil || req.TypeName != projectTypeName || req.CurrentState == nil ||
		len(req.CurrentState.MsgPack) == 0 || len(req.CurrentState.JSON) > 0 {
		return s.frameworkServer.ReadResource(ctx, req)
	}
	private, ok := providerPrivate(req.Private)
	if !ok {
		return s.frameworkServer.ReadResource(ctx, req)
	}
	t := projectProtoTypes()
	priorObj, err := statecodec.MsgPackToValue(ctx, req.CurrentState.MsgPack, projectStateType())
	prior, ok := priorObj.(types.Object)
	if err != nil || !ok || prior.IsNull() {
		return s.frameworkServer.ReadResource(ctx, req)
	}
	identity := tftypes.NewValue(t.identity, nil)
	if req.CurrentIdentity != nil && req.CurrentIdentity.IdentityData != nil {
		if identity, err = req.CurrentIdentity.IdentityData.Unmarshal(t.identity); err != nil {
			return s.frameworkServer.ReadResource(ctx, req)
		}
	}

	s.reads.Add(1)
	var diags diag.Diagnostics
	r := &projectResource{resourceBase: resourceBase{name: "project", data: data}}
	got := r.readProject(ctx, projectState(prior.Attributes()), &diags)
	if got.id != "" {
		identity = tftypes.NewValue(t.identity, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, got.id)})
	}
	if got.stage != nil && !got.gone {
		private[projectStageKey] = got.stage
	}
	state, err := projectReadState(ctx, t, got, req.CurrentState.MsgPack, &diags)
	if err != nil {
		return nil, err
	}
	if !diags.HasError() && identity.IsNull() {
		diags.AddError("Missing Resource Identity After Read",
			"The Terraform Provider unexpectedly returned no resource identity data after having no errors in the resource read. "+
				"This is always an issue in the Terraform Provider and should be reported to the provider developers.")
	}

	resp := &tfprotov6.ReadResourceResponse{Diagnostics: protoDiagnostics(diags)}
	newIdentity, err := tfprotov6.NewDynamicValue(t.identity, identity)
	if err != nil {
		return nil, fmt.Errorf("encoding the identity of %s: %w", projectTypeName, err)
	}
	resp.NewState = state
	resp.NewIdentity = &tfprotov6.ResourceIdentityData{IdentityData: &newIdentity}
	if len(private) > 0 {
		if resp.Private, err = json.Marshal(private); err != nil {
			return nil, fmt.Errorf("encoding the private state of %s: %w", projectTypeName, err)
		}
	}
	return resp, nil
}

// UpgradeResourceState answers a pipesolar_project state of the current
// schema version as the framework does (the state decoded from its JSON
// with the current schema, attributes it no longer has ignored, and written
// as msgpack), transcoded in one pass (statecodec) instead of through the
// framework's conversions, and with its numbers compacted as a read writes
// them. Terraform calls this for every managed project in every plan. Other
// versions (1.x states: the upgraders), flatmap states and JSON the codec
// leaves to terraform-plugin-go go to the framework.
func (s *projectServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	if !s.plain || req.TypeName != projectTypeName || req.RawState == nil || len(req.RawState.JSON) == 0 ||
		req.Version != projectSchemaVersion {
		return s.frameworkServer.UpgradeResourceState(ctx, req)
	}
	state, err := projectProtoTypes().codec.JSONToMsgPack(req.RawState.JSON)
	if err != nil {
		return s.frameworkServer.UpgradeResourceState(ctx, req)
	}
	s.upgrades.Add(1)
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &tfprotov6.DynamicValue{MsgPack: state}}, nil
}

// projectReadState is the state a read answers: null when the project is
// gone; the values read, written by the codec straight from the
// framework's values; or the prior state (msgpack), its numbers compacted
// when batch_refresh found the project unchanged.
func projectReadState(ctx context.Context, t projectSchemaTypes, got projectRead, prior []byte, diags *diag.Diagnostics) (*tfprotov6.DynamicValue, error) {
	switch {
	case got.gone:
		null, err := tfprotov6.NewDynamicValue(t.state, tftypes.NewValue(t.state, nil))
		return &null, err
	case got.next != nil:
		if b, err := t.codec.AttributesToMsgPack(ctx, got.next); err == nil {
			return &tfprotov6.DynamicValue{MsgPack: b}, nil
		}
		// Values that do not make the schema's object: the framework's
		// error, and the prior state.
		priorValue, err := (&tfprotov6.DynamicValue{MsgPack: prior}).Unmarshal(t.state)
		if err != nil {
			return nil, fmt.Errorf("decoding the state of %s: %w", projectTypeName, err)
		}
		newState, err := projectTerraformValue(ctx, got.next, priorValue, diags)
		if err != nil {
			return nil, err
		}
		state, err := tfprotov6.NewDynamicValue(t.state, newState)
		return &state, err
	case got.unchanged:
		b, err := t.codec.CompactMsgPack(prior)
		if err != nil {
			return nil, fmt.Errorf("compacting the numbers of %s: %w", projectTypeName, err)
		}
		return &tfprotov6.DynamicValue{MsgPack: b}, nil
	}
	return &tfprotov6.DynamicValue{MsgPack: prior}, nil // the read failed: kept
}

// projectTerraformValue is values as the protocol's state value; prior
// when they do not make one (the error is in diags).
func projectTerraformValue(ctx context.Context, values projectState, prior tftypes.Value, diags *diag.Diagnostics) (tftypes.Value, error) {
	obj, d := types.ObjectValue(projectStateType().AttrTypes, values)
	diags.Append(d...)
	if d.HasError() {
		return prior, nil
	}
	return obj.ToTerraformValue(ctx)
}

// providerPrivate decodes private state as the framework writes it (a JSON
// object of base64 values); ok is false when it does not decode or holds
// one of the framework's own keys (they start with "."; the import marker
// is one), which only the framework handles.
func providerPrivate(b []byte) (map[string][]byte, bool) {
	out := map[string][]byte{}
	if len(b) == 0 {
		return out, true
	}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, false
	}
	for k, v := range out {
		if strings.HasPrefix(k, ".") || !json.Valid(v) {
			return nil, false
		}
		if len(v) == 0 {
			delete(out, k)
		}
	}
	return out, true
}

// projectSchemaTypes are pipesolar_project's value types, and the codec
// of its state (nil if the type held what statecodec leaves to
// terraform-plugin-go).
type projectSchemaTypes struct {
	state, identity tftypes.Object
	codec           *statecodec.Codec
}

var projectProtoTypes = sync.OnceValue(func() projectSchemaTypes {
	ctx := context.Background()
	var t projectSchemaTypes
	t.state, _ = projectStateType().TerraformType(ctx).(tftypes.Object) // the schema's type, already built
	t.identity, _ = projectIdentitySchema().Type().TerraformType(ctx).(tftypes.Object)
	t.codec, _ = statecodec.New(t.state)
	return t
})

// projectSchemaPlain reports whether the framework's walks around Read and
// PlanResourceChange change nothing for pipesolar_project's schema: no
// default or plan modifier anywhere, no list or set block, no write-only
// attribute, and no type (attribute, element, object member) with semantic
// equality. It looks at the schema the resource declares.
func projectSchemaPlain() bool {
	s := projectResourceSchema(context.Background())
	return len(s.Attributes) > 0 && !hasPlanRules(reflect.ValueOf(s)) && plainSchema(s)
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

// plainSchema: no list or set blocks, no write-only attributes, no
// semantic equality anywhere.
func plainSchema(s schema.Schema) bool {
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

// compactNumbers is v with every number held as customtypes.Compact holds
// it: a non-integer that is a float64's shortest decimal (2.85, as
// pipe.solar sends it) as that float64. Terraform reads numbers from its
// state file as 512-bit decimals and sends them as text; a refresh that
// keeps the prior state (batch_refresh, unchanged) answers them compacted,
// as a read from the API does, and Terraform decodes them several times
// faster.
func compactNumbers(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.Type().Is(tftypes.Number) || !v.IsKnown() || v.IsNull() {
			return v, nil
		}
		f := new(big.Float)
		if err := v.As(&f); err != nil {
			return v, err
		}
		if f.Prec() <= 53 || f.IsInt() {
			return v, nil // a float64 already, or an integer (sent as one)
		}
		if c := customtypes.Compact(f); c != f {
			return tftypes.NewValue(tftypes.Number, c), nil
		}
		return v, nil
	})
}
