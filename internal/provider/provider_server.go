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
	"github.com/hashicorp/terraform-plugin-mux/tf6muxserver"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// NewProtocol6Server returns a constructor of the provider's protocol
// server, for main and the acceptance tests: three framework servers, each
// serving its share of the types, combined through tf6muxserver. The mux
// forwards every optional interface (identity, list resources, ...) to the
// server that has it, and routes every RPC by type name:
//   - the core: every resource and data source but the two below;
//   - projectServer: resource and list resource pipesolar_project, with one
//     measured shortcut (an unchanged plan);
//   - projectsServer: data pipesolar_projects, with its answer written
//     straight from the pages.
//
// All three use the core's configuration (one set of clients, connections
// and rate limits): the mux configures the core first.
func NewProtocol6Server(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		srv, _, err := newProtocol6Server(version)
		return srv, err
	}
}

// newProtocol6Server is NewProtocol6Server's server, and its projectServer
// for the tests that look into it.
func newProtocol6Server(version string) (tfprotov6.ProviderServer, *projectServer, error) {
	core := newProvider(version, otherTypes, nil)
	project := newProjectServer(version, core)
	projects := newProjectsServer(version, core)
	mux, err := tf6muxserver.NewMuxServer(context.Background(),
		providerserver.NewProtocol6(core),
		func() tfprotov6.ProviderServer { return project },
		func() tfprotov6.ProviderServer { return projects })
	if err != nil {
		return nil, nil, fmt.Errorf("combining the provider's servers: %w", err)
	}
	return mux.ProviderServer(), project, nil
}

// projectsServer serves data pipesolar_projects. A listing of 10,000
// projects is 700,000 values; building them as framework values, walking
// them for semantic equality and null blocks, and encoding them through
// tftypes cost the provider about 4 s and 500 MiB, where writing the
// msgpack straight from the decoded pages takes a fraction of a second
// (projectsMsgPack; the performance guide has the figures).
//
// Everything but ReadDataSource (the schemas, validation) is answered by a
// framework server that has this one data source (projectsDataSource), so
// the schema and the validation rules are the framework's. Its
// ReadDataSource answers the same value the framework's own Read would;
// TestProjectsServer_sameAsFramework compares them on every attribute.
// The provider's configuration is the core provider's: the mux configures
// that first.
type projectsServer struct {
	tfprotov6.ProviderServer // the framework server of projectsDataSource alone
	core                     *pipesolarProvider
}

func newProjectsServer(version string, core *pipesolarProvider) *projectsServer {
	return &projectsServer{
		ProviderServer: providerserver.NewProtocol6(newProvider(version, projectsTypes, core))(),
		core:           core,
	}
}

// ReadDataSource lists the projects and writes the state as msgpack, page
// by page.
func (s *projectsServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp := &tfprotov6.ReadDataSourceResponse{}
	var diags diag.Diagnostics
	filter, err := projectsFilter(req.Config)
	data := s.core.configured()
	switch {
	case err != nil:
		diags.AddError("Invalid pipesolar_projects configuration",
			"The configuration could not be read (this is a bug in the provider or Terraform; please report it): "+err.Error())
	case data == nil:
		diags.Append(notConfigured()...)
	default:
		w := newProjectsMsgPack(filter)
		diags = listProjects(ctx, data, filter, w.add)
		if !diags.HasError() {
			if state, err := w.bytes(); err != nil {
				diags.Append(projectsBuildError(filter, err))
			} else {
				resp.State = &tfprotov6.DynamicValue{MsgPack: state}
			}
		}
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, nil
}

// projectsStateType is pipesolar_projects' state type.
var projectsStateType = sync.OnceValue(func() tftypes.Type {
	var s datasource.SchemaResponse
	NewProjectsDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &s)
	return s.Schema.Type().TerraformType(context.Background())
})

// projectsFilter reads org_id and installer_id from the configuration.
// Terraform reads a data source only once its configuration is known, and
// has validated it (ValidateDataResourceConfig: exactly one of the two).
func projectsFilter(config *tfprotov6.DynamicValue) (filter pipesolar.ListFilter, err error) {
	if config == nil {
		return filter, fmt.Errorf("no configuration")
	}
	v, err := config.Unmarshal(projectsStateType())
	if err != nil {
		return filter, err
	}
	if !v.IsFullyKnown() {
		return filter, fmt.Errorf("the configuration is not known yet")
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return filter, err
	}
	var org, inst *string
	if err := attrs["org_id"].As(&org); err != nil {
		return filter, err
	}
	if err := attrs["installer_id"].As(&inst); err != nil {
		return filter, err
	}
	if org != nil {
		filter.OrgID = *org
	}
	if inst != nil {
		filter.InstallerID = *inst
	}
	return filter, nil
}

// projectsMsgPack writes pipesolar_projects' state as msgpack, the plugin
// protocol's encoding, page by page as the listing arrives: the value
// projectsState builds, attribute by attribute from projectAPIValues (so
// from projectFields), without building it first or holding every decoded
// project. The output is one buffer, written front to back: the arguments,
// the projects array (its length, unknown until the end, is a fixed-size
// array32 header patched last), then ids.
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
		vals := projectAPIValues(&page[i])
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
