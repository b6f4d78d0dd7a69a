package provider

import (
	"errors"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// NewProtocol6Server returns a constructor of the provider's protocol
// server, for main and the acceptance tests: the framework's server of
// New(version), wrapped by projectServer, which answers two RPCs of
// pipesolar_project that a refresh plan makes for every managed project
// without the framework's per-attribute walks (measured: most of the
// provider's CPU in a plan of 1,000 projects; see project_server.go).
// Every other RPC and type, and every request outside the shortcuts'
// conditions, is the framework's.
func NewProtocol6Server(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		return newProjectServer(&pipesolarProvider{version: version, lookupEnv: os.LookupEnv})
	}
}

// frameworkServer is the framework's protocol server with every optional
// set of RPCs it implements in terraform-plugin-go v0.31: list resources,
// actions and state stores. terraform-plugin-go finds those by type
// assertion, so a wrapper passes them on only by implementing them too;
// TestProtocol6Server_passesOn checks that the wrapper offers each one the
// framework's server does.
type frameworkServer interface {
	tfprotov6.ProviderServerWithListResource //nolint:staticcheck // the only way in terraform-plugin-go v0.31
	tfprotov6.ProviderServerWithActions      //nolint:staticcheck // as above
	tfprotov6.ProviderServerWithStateStores  //nolint:staticcheck // as above
}

// errNotFrameworkServer is returned when the framework's server lacks an
// optional interface the wrapper expects (a framework upgrade removed it).
var errNotFrameworkServer = errors.New("the framework's protocol server does not implement list resources, actions " +
	"and state stores; this provider build expects terraform-plugin-framework v1.19 or later")

// protoDiagnostics is diags as the protocol carries them, as the
// framework writes them.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	if len(diags) == 0 {
		return nil
	}
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

// protoPath is p as a protocol attribute path; nil for the root.
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
