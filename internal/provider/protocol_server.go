package provider

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewProtocol6Server returns a constructor of the provider's protocol
// server: the framework's server, except for two RPCs that measurably cost
// the framework far more than their answer needs: ReadDataSource of
// pipesolar_projects and PlanResourceChange of an unchanged
// pipesolar_project. Every other RPC, and those two whenever their fast path
// does not apply, goes to the framework unchanged. main and the acceptance
// tests both serve this.
func NewProtocol6Server(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p := newProvider(version)
		return &protocolServer{ProviderServer: providerserver.NewProtocol6(p)(), provider: p}
	}
}

// protocolServer wraps the framework's server. The provider has no list
// resources, actions or state stores, so hiding the framework server's
// optional interfaces for those changes nothing.
type protocolServer struct {
	tfprotov6.ProviderServer
	provider *pipesolarProvider
}

// ReadDataSource answers pipesolar_projects without the framework's value
// tree. A listing of 10,000 projects is 700,000 values; building them as
// framework values, walking them for semantic equality and null blocks, and
// encoding them through tftypes cost the provider about 4 s and 500 MiB of
// memory, where writing the msgpack straight from the decoded pages takes a
// fraction of a second (projectsMsgPack). The result is the same value (see
// TestProtocolServer_projectsSameAsFramework).
func (s *protocolServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	data := s.provider.configured()
	if req.TypeName != "pipesolar_projects" || data == nil || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	filter, ok := projectsFilter(req.Config)
	if !ok { // unknown or undecodable: the framework reports it
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	w := newProjectsMsgPack(filter)
	diags := listProjects(ctx, data, filter, w.add)
	resp := &tfprotov6.ReadDataSourceResponse{}
	if !diags.HasError() {
		if state, err := w.bytes(); err != nil {
			diags.Append(projectsBuildError(filter, err))
		} else {
			resp.State = &tfprotov6.DynamicValue{MsgPack: state}
		}
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, nil
}

// PlanResourceChange answers a pipesolar_project plan that changes nothing
// without the framework: when Terraform proposes exactly the prior state
// (byte for byte), the plan is that proposal. That is the common case of a
// refresh plan, and the framework's answer is the same (the schema has no
// defaults and no attribute plan modifiers, which
// TestProtocolServer_unchangedPlanNeedsNoFramework guards, and ModifyPlan
// returns at once when the plan equals the state), but reaching it cost
// about 7 ms of CPU per resource: the framework reads and rewrites the
// plan once per attribute, and each step copies the schema's attribute map.
// Every other plan (create, destroy, any difference at all) goes to the
// framework.
func (s *protocolServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	if req.TypeName == "pipesolar_project" && unchangedPlan(req) {
		return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
	}
	return s.ProviderServer.PlanResourceChange(ctx, req)
}

// unchangedPlan reports whether the proposed new state is byte for byte the
// prior state, and neither is null (a create or a destroy).
func unchangedPlan(req *tfprotov6.PlanResourceChangeRequest) bool {
	prior, proposed := req.PriorState, req.ProposedNewState
	if prior == nil || proposed == nil || len(prior.MsgPack) == 0 || len(prior.JSON) > 0 || len(proposed.JSON) > 0 {
		return false
	}
	const msgPackNil = 0xc0
	if len(prior.MsgPack) == 1 && prior.MsgPack[0] == msgPackNil {
		return false
	}
	return bytes.Equal(prior.MsgPack, proposed.MsgPack)
}

// projectsStateType is pipesolar_projects' state type.
var projectsStateType = sync.OnceValue(func() tftypes.Type {
	var s datasource.SchemaResponse
	NewProjectsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &s)
	return s.Schema.Type().TerraformType(context.Background())
})

// projectsFilter reads org_id and installer_id from the configuration; ok is
// false when it cannot be read or holds unknown values.
func projectsFilter(config *tfprotov6.DynamicValue) (filter pipesolar.ListFilter, ok bool) {
	v, err := config.Unmarshal(projectsStateType())
	if err != nil || !v.IsFullyKnown() {
		return filter, false
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return filter, false
	}
	var org, inst *string
	if attrs["org_id"].As(&org) != nil || attrs["installer_id"].As(&inst) != nil {
		return filter, false
	}
	if org != nil {
		filter.OrgID = *org
	}
	if inst != nil {
		filter.InstallerID = *inst
	}
	return filter, true
}

// projectsMsgPack writes pipesolar_projects' state as msgpack, the plugin
// protocol's encoding, page by page as the listing arrives: the same value
// projectsState builds, attribute by attribute from projectValues, without
// building it first or holding every decoded project. The output is one
// buffer, written front to back: the arguments, the projects array (its
// length, unknown until the end, is a fixed-size array32 header patched
// last), then ids.
type projectsMsgPack struct {
	buf     bytes.Buffer
	w       *msgPackWriter
	countAt int // offset of the projects array's 4-byte length
	count   int
	ids     []string
}

func newProjectsMsgPack(filter pipesolar.ListFilter) *projectsMsgPack {
	p := &projectsMsgPack{}
	p.w = newMsgPackWriter(&p.buf)
	p.w.mapLen(4)
	p.w.str("installer_id")
	p.w.optionalStr(filter.InstallerID)
	p.w.str("org_id")
	p.w.optionalStr(filter.OrgID)
	p.w.str("projects")
	p.buf.Write([]byte{msgpackArray32, 0, 0, 0, 0})
	p.countAt = p.buf.Len() - 4
	return p
}

// msgpackArray32 is msgpack's array header with a 4-byte big-endian length.
const msgpackArray32 = 0xdd

// add encodes a page of projects.
func (p *projectsMsgPack) add(page []pipesolar.Project) error {
	names := projectAttributeNames()
	for i := range page {
		vals := projectValues(&page[i])
		p.w.mapLen(len(names))
		for _, name := range names {
			p.w.str(name)
			if err := p.w.value(vals[name]); err != nil {
				return fmt.Errorf("project %d, attribute %s: %w", p.count+1, name, err)
			}
		}
		if id, _ := vals["id"].(types.String); !id.IsNull() {
			p.ids = append(p.ids, id.ValueString())
		}
		p.count++
	}
	return p.w.err
}

// bytes finishes the state (the projects' count, then ids) and returns it;
// call it once, after the last page.
func (p *projectsMsgPack) bytes() ([]byte, error) {
	if uint64(p.count) > math.MaxUint32 {
		return nil, fmt.Errorf("%d projects do not fit a msgpack array", p.count)
	}
	out := p.buf.Bytes()
	binary.BigEndian.PutUint32(out[p.countAt:], uint32(p.count))
	p.w.str("ids")
	p.w.arrayLen(len(p.ids))
	for _, id := range p.ids {
		p.w.str(id)
	}
	return p.buf.Bytes(), p.w.err
}

// projectAttributeNames are projectObjectType's attribute names, sorted.
var projectAttributeNames = sync.OnceValue(func() []string {
	names := make([]string, 0, len(projectObjectType().AttrTypes))
	for name := range projectObjectType().AttrTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
})

// protoDiagnostics converts diagnostics for the plugin protocol.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityError, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityWarning {
			pd.Severity = tfprotov6.DiagnosticSeverityWarning
		}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = protoPath(wp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// protoPath converts an attribute path; nil for a path it cannot express.
func protoPath(p path.Path) *tftypes.AttributePath {
	steps := p.Steps()
	if len(steps) == 0 {
		return nil
	}
	out := tftypes.NewAttributePath()
	for _, step := range steps {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			out = out.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			out = out.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			out = out.WithElementKeyString(string(s))
		default:
			return nil
		}
	}
	return out
}
