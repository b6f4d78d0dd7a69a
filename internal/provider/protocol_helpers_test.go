package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Helpers for tests that call the provider's protocol server in-process, as
// Terraform would, without Terraform: they run on any Terraform version
// (identity and list resources included).

// protoTypes are the types a test needs to build and read protocol values.
type protoTypes struct {
	project, stage            tftypes.Object // resource states
	projectIdentity, stageID  tftypes.Object // identities
	projectList               tftypes.Object // the list block's configuration
	identitySchemas           map[string]*tfprotov6.ResourceIdentitySchema
	projectSchema, listSchema *tfprotov6.Schema
}

// providerSchemas asks srv for its schemas, as Terraform does first; an
// error or any diagnostic fails the test.
func providerSchemas(t testing.TB, srv tfprotov6.ProviderServer) *tfprotov6.GetProviderSchemaResponse {
	t.Helper()
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		t.Fatalf("GetProviderSchema: %s: %s", d.Summary, d.Detail)
	}
	return resp
}

func serverTypes(t testing.TB, srv tfprotov6.ProviderServer) protoTypes {
	t.Helper()
	schemas := providerSchemas(t, srv)
	ids, err := srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var pt protoTypes
	pt.identitySchemas = ids.IdentitySchemas
	pt.projectSchema = schemas.ResourceSchemas["pipesolar_project"]
	pt.listSchema = schemas.ListResourceSchemas["pipesolar_project"]
	pt.project, _ = pt.projectSchema.ValueType().(tftypes.Object)
	pt.stage, _ = schemas.ResourceSchemas["pipesolar_project_stage"].ValueType().(tftypes.Object)
	if pt.listSchema != nil {
		pt.projectList, _ = pt.listSchema.ValueType().(tftypes.Object)
	}
	if s := ids.IdentitySchemas["pipesolar_project"]; s != nil {
		pt.projectIdentity, _ = s.ValueType().(tftypes.Object)
	}
	if s := ids.IdentitySchemas["pipesolar_project_stage"]; s != nil {
		pt.stageID, _ = s.ValueType().(tftypes.Object)
	}
	return pt
}

// dynamic encodes v for the protocol.
func dynamic(t testing.TB, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	d, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &d
}

// decoded decodes a protocol value into its attributes; nil for null.
func decoded(t testing.TB, typ tftypes.Object, d *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	if d == nil {
		return nil
	}
	v, err := d.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if v.IsNull() {
		return nil
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	return attrs
}

// str is a string attribute's Go value ("" for null).
func str(t testing.TB, v tftypes.Value) string {
	t.Helper()
	var s *string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	if s == nil {
		return ""
	}
	return *s
}

func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// failOnErrors fails the test on any error diagnostic.
func failOnErrors(t testing.TB, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("error: %s: %s", d.Summary, d.Detail)
		}
	}
}

// planAndApply plans req's change and applies that plan, as Terraform does
// for one resource; a protocol error or an error diagnostic of either call
// fails the test.
func planAndApply(t testing.TB, srv tfprotov6.ProviderServer, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, *tfprotov6.ApplyResourceChangeResponse) {
	t.Helper()
	ctx := context.Background()
	plan, err := srv.PlanResourceChange(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, plan.Diagnostics)
	applied, err := srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: req.TypeName, PriorState: req.PriorState, PlannedState: plan.PlannedState,
		Config: req.Config, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, applied.Diagnostics)
	return plan, applied
}
