package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// stringValidator is a validator.String made of its description and a
// check of each known value; null and unknown values are not checked. The
// check adds its own diagnostics, attached to p, so each validator keeps its
// summaries and may warn (validate.stringCheck, for a plain func(string)
// error, words the error itself).
type stringValidator struct {
	description string
	check       func(p path.Path, s string, diags *diag.Diagnostics)
}

func (v stringValidator) Description(context.Context) string         { return v.description }
func (v stringValidator) MarkdownDescription(context.Context) string { return v.description }

func (v stringValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, req.ConfigValue.ValueString(), &resp.Diagnostics)
}
