package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Helpers every resource shares: timeouts, identity, import ids, and
// reading values. (Error advice is in api_errors.go, validators in
// internal/validate.)

// timeoutOf picks one operation's timeout from a timeouts block:
// timeouts.Value.Create, Read, Update or Delete.
type timeoutOf func(t timeouts.Value, ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// withTimeout limits ctx by the timeout which picks from t (def when t does
// not set it). ok is false, and nothing is to cancel, when diags holds an
// error, from before or from reading the timeout.
func withTimeout(ctx context.Context, t timeouts.Value, which timeoutOf, def time.Duration, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	if diags.HasError() {
		return ctx, nil, false
	}
	timeout, d := which(t, ctx, def)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, nil, false
	}
	ctx, cancel = context.WithTimeout(ctx, timeout)
	return ctx, cancel, true
}

// setIdentity records the identity { name = id }; identity is nil on a
// Terraform without identity support.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, name, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root(name), id)
}

// importedID is the id an import names, trimmed: the import id (terraform
// import, an import block's id), else the identity's attribute name (an
// import block's identity). "" when it names none: the framework passes an
// identity even to an import by id, with that attribute null.
func importedID(ctx context.Context, req resource.ImportStateRequest, name string) string {
	if id := strings.TrimSpace(req.ID); id != "" || req.Identity == nil {
		return id
	}
	var id types.String
	if diags := req.Identity.GetAttribute(ctx, path.Root(name), &id); diags.HasError() {
		return ""
	}
	return strings.TrimSpace(id.ValueString())
}

// textOf is a string value's text; "" when it is null, unknown or not a
// string.
func textOf(v attr.Value) string {
	if s, ok := v.(interface{ ValueString() string }); ok {
		return s.ValueString()
	}
	return ""
}

// deref is *s, "" when s is nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
