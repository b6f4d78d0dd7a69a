package provider

import (
	"context"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// ValidateResourceConfig validates a pipesolar_project configuration as
// the framework does, without walking every attribute of the schema:
// Terraform calls it for every managed project in every plan, and the
// framework's walk (a path lookup per attribute, 45 of them) was a quarter
// of the provider's CPU in a refresh plan of 1,000 projects.
//
// It answers what the framework answers when the configuration sets only
// arguments, no read-only attribute, block or nested attribute: the
// diagnostics of the string arguments' validators, each run as the
// framework runs it. Anything else (a read-only attribute or the timeouts
// block set, a required argument null) goes to the framework, which then
// says what is wrong; projectValidation turns the shortcut off if the
// resource or its schema gains what it does not run (resource-level
// validators, validators of another type, deprecations).
func (s *projectServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	v := projectValidation()
	if !v.on || req.TypeName != projectTypeName || req.Config == nil || len(req.Config.MsgPack) == 0 {
		return s.frameworkServer.ValidateResourceConfig(ctx, req)
	}
	raw, err := req.Config.Unmarshal(projectProtoTypes().state)
	if err != nil || !raw.IsKnown() || raw.IsNull() {
		return s.frameworkServer.ValidateResourceConfig(ctx, req)
	}
	var attrs map[string]tftypes.Value
	if err := raw.As(&attrs); err != nil {
		return s.frameworkServer.ValidateResourceConfig(ctx, req)
	}
	for name, a := range v.schema.Attributes {
		value, ok := attrs[name]
		if !ok || value.IsNull() && a.IsRequired() || !value.IsNull() && (!a.IsOptional() && !a.IsRequired() || v.nested[name]) {
			return s.frameworkServer.ValidateResourceConfig(ctx, req)
		}
	}
	for name := range v.schema.Blocks {
		if value, ok := attrs[name]; !ok || !value.IsNull() {
			return s.frameworkServer.ValidateResourceConfig(ctx, req)
		}
	}

	s.validations.Add(1)
	config := tfsdk.Config{Raw: raw, Schema: v.schema}
	var diags diag.Diagnostics
	for _, c := range v.strings {
		value := types.StringNull() // an attribute of a block, which is null
		if c.block == "" {
			v, err := c.typ.ValueFromTerraform(ctx, attrs[c.name])
			str, ok := v.(basetypes.StringValuable)
			if err != nil || !ok {
				return s.frameworkServer.ValidateResourceConfig(ctx, req)
			}
			var d diag.Diagnostics
			if value, d = str.ToStringValue(ctx); d.HasError() {
				return s.frameworkServer.ValidateResourceConfig(ctx, req)
			}
		}
		for _, check := range c.validators {
			resp := &validator.StringResponse{}
			check.ValidateString(ctx, validator.StringRequest{
				Path: c.path, PathExpression: c.path.Expression(), Config: config, ConfigValue: value,
			}, resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	return &tfprotov6.ValidateResourceConfigResponse{Diagnostics: protoDiagnostics(diags)}, nil
}

// stringChecks are the validators of one string attribute.
type stringChecks struct {
	name       string
	path       path.Path
	typ        attr.Type
	block      string // the block it is in; "" at the top
	validators []validator.String
}

// projectValidationPlan is what the validation shortcut runs for
// pipesolar_project's schema.
type projectValidationPlan struct {
	// on: the resource has no resource-level validation and every
	// attribute's validation is one the shortcut runs.
	on     bool
	schema schema.Schema
	// strings are the validators of the string attributes that have any:
	// top-level arguments, and the attributes of blocks, which the
	// framework validates (as null) when the block is null.
	strings []stringChecks
	// nested are the attributes with nested attributes (set: to the
	// framework).
	nested map[string]bool
}

var projectValidation = sync.OnceValue(func() projectValidationPlan {
	return validationPlan(&projectResource{}, projectResourceSchema(context.Background()))
})

// validationPlan is the validation shortcut's plan for resource r of
// schema s; off when r or s has what the shortcut does not run.
func validationPlan(r resource.Resource, s schema.Schema) projectValidationPlan {
	p := projectValidationPlan{schema: s, nested: map[string]bool{}}
	if _, ok := r.(resource.ResourceWithConfigValidators); ok {
		return p
	}
	if _, ok := r.(resource.ResourceWithValidateConfig); ok {
		return p
	}
	if p.schema.DeprecationMessage != "" {
		return p
	}
	for name, a := range p.schema.Attributes {
		if a.GetDeprecationMessage() != "" || a.IsWriteOnly() {
			return p
		}
		switch a := a.(type) {
		case schema.StringAttribute:
			if len(a.Validators) > 0 {
				p.strings = append(p.strings, stringChecks{name: name, path: path.Root(name), typ: a.GetType(), validators: a.Validators})
			}
		case schema.NumberAttribute, schema.BoolAttribute, schema.ListAttribute, schema.MapAttribute:
			if hasValidators(a) {
				return p
			}
		case schema.SingleNestedAttribute, schema.ListNestedAttribute:
			if hasValidators(a) {
				return p
			}
			p.nested[name] = true
		default:
			return p // a kind of attribute the shortcut was not written for
		}
	}
	for name, b := range p.schema.Blocks {
		single, ok := b.(schema.SingleNestedBlock)
		if !ok || len(single.Validators) > 0 || len(single.Blocks) > 0 || single.DeprecationMessage != "" {
			return p
		}
		for attrName, a := range single.Attributes {
			str, ok := a.(schema.StringAttribute)
			if !ok || str.IsRequired() || str.DeprecationMessage != "" {
				return p
			}
			if len(str.Validators) > 0 {
				p.strings = append(p.strings, stringChecks{
					name: attrName, path: path.Root(name).AtName(attrName), typ: str.GetType(), block: name, validators: str.Validators,
				})
			}
		}
	}
	p.on = true
	return p
}

// hasValidators reports whether a schema attribute has validators of its
// own (every attribute kind has a Validators field of its own type); an
// attribute without the field counts as having some.
func hasValidators(a schema.Attribute) bool {
	f := reflect.ValueOf(a).FieldByName("Validators")
	return !f.IsValid() || f.Len() > 0
}
