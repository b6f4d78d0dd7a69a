package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// idAttribute is the id of a resource whose API (or the provider) assigns
// it once, at create: read-only, and known in every plan after the create.
func idAttribute(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// replaceString is the plan modifier of a string argument the API cannot
// change in place: a new value replaces the resource.
var replaceString = []planmodifier.String{stringplanmodifier.RequiresReplace()}
