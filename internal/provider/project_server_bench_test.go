package provider

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// BenchmarkProjectServer measures what the provider's server spends on each
// RPC Terraform makes per managed pipesolar_project in a refresh plan
// (upgrade, validation, read, plan), against an in-process mock: the
// provider's share of make bench's figure (a), one RPC at a time.
func BenchmarkProjectServer(b *testing.B) {
	m := newTestMock(b)
	// Unpaced: the provider's default pace (100 calls a minute) would
	// measure the pace.
	p := newServerPairWith(b, m, map[string]tftypes.Value{"requests_per_second": tftypes.NewValue(tftypes.Number, 1e6)})
	id := seedTestProject(b, m, testProjectSeed())
	read := p.adopted(b, id, nil)
	state, ok := jsonOf(b, decodedValue(b, p.state, read.CurrentState)).(map[string]any)
	if !ok {
		b.Fatal("the state is not an object")
	}
	raw, err := json.Marshal(state)
	if err != nil {
		b.Fatal(err)
	}
	config := dynamic(b, p.state, p.configOf(b, read.CurrentState))
	ctx := context.Background()
	for _, c := range []struct {
		name string
		rpc  func(tfprotov6.ProviderServer) ([]*tfprotov6.Diagnostic, error)
	}{
		{"UpgradeResourceState", func(s tfprotov6.ProviderServer) ([]*tfprotov6.Diagnostic, error) {
			resp, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
				TypeName: projectTypeName, Version: projectSchemaVersion, RawState: &tfprotov6.RawState{JSON: raw},
			})
			return diagnosticsOf(resp, err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
		}},
		{"ValidateResourceConfig", func(s tfprotov6.ProviderServer) ([]*tfprotov6.Diagnostic, error) {
			resp, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: projectTypeName, Config: config})
			return diagnosticsOf(resp, err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
		}},
		{"ReadResource", func(s tfprotov6.ProviderServer) ([]*tfprotov6.Diagnostic, error) {
			resp, err := s.ReadResource(ctx, read)
			return diagnosticsOf(resp, err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
		}},
		{"PlanResourceChange", func(s tfprotov6.ProviderServer) ([]*tfprotov6.Diagnostic, error) {
			resp, err := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
				TypeName: projectTypeName, PriorState: read.CurrentState, ProposedNewState: read.CurrentState,
				Config: config, PriorPrivate: read.Private, PriorIdentity: read.CurrentIdentity,
			})
			return diagnosticsOf(resp, err, func() []*tfprotov6.Diagnostic { return resp.Diagnostics })
		}},
	} {
		for _, srv := range []struct {
			name string
			s    tfprotov6.ProviderServer
		}{{"provider", p.ours}, {"framework", p.framework}} {
			b.Run(c.name+"/"+srv.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					diags, err := c.rpc(srv.s)
					if err != nil {
						b.Fatal(err)
					}
					failOnErrors(b, diags)
				}
			})
		}
	}
}

// diagnosticsOf is an RPC's diagnostics, or its error.
func diagnosticsOf[T any](resp *T, err error, diags func() []*tfprotov6.Diagnostic) ([]*tfprotov6.Diagnostic, error) {
	if err != nil || resp == nil {
		return nil, err
	}
	return diags(), nil
}
