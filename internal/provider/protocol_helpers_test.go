package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/mockapi"
)

// Helpers for tests that call the provider's protocol server in-process, as
// Terraform would, without Terraform: they run on any Terraform version
// (identity and list resources included).

// testProtocolServer is the provider's protocol server, as main serves it.
func testProtocolServer(t testing.TB) tfprotov6.ProviderServer {
	t.Helper()
	srv, err := NewProtocol6Server("test")()
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// frameworkProtocolServer is the framework's own protocol server of the
// provider, without projectServer's shortcuts: what they are compared with.
func frameworkProtocolServer(t testing.TB) tfprotov6.ProviderServer {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// configuredServer is testProtocolServer configured for the mock's
// pipe.solar API, and its schemas.
func configuredServer(t testing.TB, m *mockapi.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	return configure(t, testProtocolServer(t), m)
}

// configure configures srv for the mock's pipe.solar API; it returns srv
// and its schemas.
func configure(t testing.TB, srv tfprotov6.ProviderServer, m *mockapi.Server) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	schemas := providerSchemas(t, srv)
	typ := objectType(t, schemas.Provider.ValueType())
	resp, err := srv.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.14.0",
		Config: dynamic(t, typ, objectOf(typ, map[string]tftypes.Value{
			"api_token": tfString(testPipeToken), "base_url": tfString(m.PipeBaseURL()),
		})),
	})
	if err != nil {
		t.Fatal(err)
	}
	failOnErrors(t, resp.Diagnostics)
	return srv, schemas
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

// identityType is the type of the identity of resource type typeName.
func identityType(t testing.TB, srv tfprotov6.ProviderServer, typeName string) tftypes.Object {
	t.Helper()
	ids, err := srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	s := ids.IdentitySchemas[typeName]
	if s == nil {
		t.Fatalf("%s has no identity schema", typeName)
	}
	return objectType(t, s.ValueType())
}

func objectType(t testing.TB, typ tftypes.Type) tftypes.Object {
	t.Helper()
	o, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	return o
}

// objectOf is an object of type typ with the attributes set, every other
// attribute null.
func objectOf(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	vals := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(typ, vals)
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

// decodedValue decodes a protocol value.
func decodedValue(t testing.TB, typ tftypes.Type, d *tfprotov6.DynamicValue) tftypes.Value {
	t.Helper()
	if d == nil {
		t.Fatal("no value")
	}
	v, err := d.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// decoded decodes a protocol value into its attributes; nil for null.
func decoded(t testing.TB, typ tftypes.Object, d *tfprotov6.DynamicValue) map[string]tftypes.Value {
	t.Helper()
	if d == nil {
		return nil
	}
	v := decodedValue(t, typ, d)
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
