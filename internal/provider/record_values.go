package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// recordKind names a resource whose values are kept by attribute name
// (pipesolar_project, pipesolar_lead): its whole object type.
type recordKind interface {
	objectType() types.ObjectType
}

// recordValues is such a resource's values by attribute name: every field
// of its field table, its arguments and timeouts. Working on the values by
// name lets the plan and read rules loop over the field tables.
type recordValues[K recordKind] map[string]attr.Value

// getRecordValues reads a plan, a state or a configuration.
func getRecordValues[K recordKind](ctx context.Context, from valueSource) (recordValues[K], diag.Diagnostics) {
	var obj types.Object
	diags := from.Get(ctx, &obj)
	if diags.HasError() {
		return nil, diags
	}
	return recordValues[K](obj.Attributes()), diags
}

// set writes s to a state, a plan or a list result's resource.
func (s recordValues[K]) set(ctx context.Context, to interface {
	Set(context.Context, any) diag.Diagnostics
}) diag.Diagnostics {
	var kind K
	obj, diags := types.ObjectValue(kind.objectType().AttrTypes, s)
	if diags.HasError() {
		return diags
	}
	return to.Set(ctx, obj)
}

// text is a string attribute's text; "" when null or unknown.
func (s recordValues[K]) text(name string) string { return textOf(s[name]) }

// known reports whether attribute name is set to a known value.
func (s recordValues[K]) known(name string) bool { return isKnown(s[name]) }

func (s recordValues[K]) timeouts() timeouts.Value {
	t, _ := s["timeouts"].(timeouts.Value)
	return t
}

// beginWrite starts a Create or Update: the pipe.solar client, the planned
// values, and ctx limited by the timeout which picks from the plan's
// timeouts block. ok is false, and nothing is to cancel, when diags holds an
// error.
func beginWrite[K recordKind](ctx context.Context, data *providerData, from tfsdk.Plan, which timeoutOf,
	diags *diag.Diagnostics) (*pipesolar.Client, recordValues[K], context.Context, context.CancelFunc, bool) {
	client, d := data.PipeSolar()
	diags.Append(d...)
	plan, d := getRecordValues[K](ctx, from)
	diags.Append(d...)
	ctx, cancel, ok := withTimeout(ctx, plan.timeouts(), which, defaultProjectTimeout, diags)
	return client, plan, ctx, cancel, ok
}
