package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// GenerateResourceConfig writes the configuration of a pipesolar_project
// for -generate-config-out (Terraform 1.14 and later): the framework's
// answer for the state, with the arguments fetch_project does not return
// (org_id, sales_rep, setter, ...) left out.
//
// terraform query hands this RPC the list resource's state, which carries
// org_id when the project was found in an org's listing. The configuration
// goes with an import block by identity, and an import by identity ({ id })
// cannot read org_id back: written into the configuration it would make the
// first plan "N to import, N to change" instead of "N to import, 0 to
// change". Left out, every import plans clean, and org_id can be added
// later (recorded in state with no API call). For terraform plan
// -generate-config-out the state comes from an import, which never holds
// those arguments, so nothing changes there.
func (s *projectServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	if req.TypeName != "pipesolar_project" || req.State == nil {
		return s.ProviderServer.GenerateResourceConfig(ctx, req)
	}
	state, err := withoutUnreadableArgs(req.State)
	if err == nil {
		generate := *req
		generate.State = state
		return s.ProviderServer.GenerateResourceConfig(ctx, &generate)
	}
	// A state that does not decode is reported to Terraform as a
	// diagnostic, the way every RPC reports a problem with what it was sent.
	return &tfprotov6.GenerateResourceConfigResponse{Diagnostics: []*tfprotov6.Diagnostic{{
		Severity: tfprotov6.DiagnosticSeverityError,
		Summary:  "Cannot generate configuration for pipesolar_project",
		Detail: "Terraform sent a state the provider could not decode: " + err.Error() +
			"\n\nThis is a bug in the provider or in Terraform; please report it with the Terraform version you ran.",
	}}}, nil
}

// withoutUnreadableArgs returns a pipesolar_project state with every
// argument fetch_project does not return set to null.
func withoutUnreadableArgs(dv *tfprotov6.DynamicValue) (*tfprotov6.DynamicValue, error) {
	typ := projectProtoTypes().state
	v, err := dv.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	if v.IsNull() || !v.IsKnown() {
		return dv, nil
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return nil, err
	}
	for i := range projectFields {
		f := &projectFields[i]
		if f.arg && !f.returned() {
			attrs[f.name] = tftypes.NewValue(typ.AttributeTypes[f.name], nil)
		}
	}
	out, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attrs))
	if err != nil {
		return nil, fmt.Errorf("encoding the state: %w", err)
	}
	return &out, nil
}
