package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

const leadResourceDescription = "A pipe.solar lead (Pipe API v1): the way to bring a new customer into pipe.solar. " +
	"A project is made from a lead in the app when it is sold (then manage it with `pipesolar_project`).\n\n" +
	"Create is `POST /leads`, always with an `externalId`: yours (`external_id`), or one the provider derives from " +
	"the customer's name and address. Sent again, pipe.solar answers the lead already made, so a retried create, " +
	"or the next apply after a failed one, never makes a second lead; the provider then changes what differs " +
	"(`PATCH /leads/{id}`). Update changes only what changed (`PATCH /leads/{id}`). An optional argument left out of " +
	"the configuration is not managed (a rep assigned in the app stays assigned); set it to `\"\"` to clear it.\n\n" +
	"pipe.solar may store a value in its own form (a state's name as its code, an e-mail in lower case, a phone " +
	"re-punctuated, surrounding spaces trimmed): the configured value is kept and shows no difference.\n\n" +
	"Pipe API v1 cannot delete a lead: destroying the resource only removes it from Terraform state, with a " +
	"warning. Import by Pipe's id or the old reference (`terraform import`, `import` blocks) or, on Terraform " +
	"1.12 and later, by identity `{ id }`."

// leadArgNames are pipesolar_lead's arguments. They stand for the fields of
// leadFields named in leadFieldsAsArgs; every other field is read-only.
var leadArgNames = []string{"first_name", "last_name", "email", "phone", "notes", "sales_rep_email", "setter_email",
	"external_id", "address", "co_borrower"}

// leadFieldsAsArgs are the fields of leadFields the resource has as
// arguments instead (customer as first_name, last_name, email and phone),
// or leaves to data pipesolar_lead (proposal).
var leadFieldsAsArgs = map[string]bool{"customer": true, "co_borrower": true, "address": true, "notes": true,
	"external_id": true, "proposal": true}

// isLeadResourceField selects the read-only fields of pipesolar_lead.
func isLeadResourceField(f *projectField) bool { return !leadFieldsAsArgs[f.name] }

// leadAddressKinds and leadPersonKinds are the text kinds of the address's
// and the co-borrower's attributes.
var (
	leadAddressKinds = map[string]leadTextKind{"line1": leadTrimmed, "line2": leadTrimmed, "city": leadTrimmed,
		"state": leadRegion, "postal_code": leadTrimmed, "country": leadCode}
	leadPersonKinds = map[string]leadTextKind{"first_name": leadTrimmed, "last_name": leadTrimmed,
		"email": leadEmail, "phone": leadPhone}
)

// leadTextKinds are the kinds of the top-level text arguments.
var leadTextKinds = map[string]leadTextKind{"first_name": leadTrimmed, "last_name": leadTrimmed, "email": leadEmail,
	"phone": leadPhone, "notes": leadTrimmed, "sales_rep_email": leadEmail, "setter_email": leadEmail,
	"external_id": leadTrimmed}

// objectTypeOf is the object type of text attributes of the given kinds.
func objectTypeOf(kinds map[string]leadTextKind) types.ObjectType {
	t := make(map[string]attr.Type, len(kinds))
	for name, k := range kinds {
		t[name] = leadTextType{kind: k}
	}
	return types.ObjectType{AttrTypes: t}
}

func leadTextAttr(kind leadTextKind, desc string, required, computed bool, v ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{MarkdownDescription: desc, CustomType: leadTextType{kind: kind}, Required: required,
		Optional: !required, Computed: computed, Validators: v}
}

// leadResourceSchema is pipesolar_lead's schema.
func leadResourceSchema(ctx context.Context) schema.Schema {
	attrs := make(map[string]schema.Attribute, len(leadFields)+len(leadArgNames))
	for i := range leadFields {
		if f := &leadFields[i]; isLeadResourceField(f) {
			attrs[f.name] = f.resourceAttribute()
		}
	}
	notManaged := " Left out, it is not managed and shows the lead's value; `\"\"` clears it."
	attrs["first_name"] = leadTextAttr(leadTrimmed, "The customer's first name (not blank; compared without "+
		"surrounding spaces).", true, false, validate.NotBlank())
	attrs["last_name"] = leadTextAttr(leadTrimmed, "The customer's last name (not blank; compared without "+
		"surrounding spaces).", true, false, validate.NotBlank())
	attrs["email"] = leadTextAttr(leadEmail, "The customer's e-mail address (compared without regard to case)."+notManaged,
		false, true, validate.EmailOrEmpty())
	attrs["phone"] = leadTextAttr(leadPhone, "The customer's phone number (compared by its digits: pipe.solar may "+
		"re-punctuate it)."+notManaged, false, true)
	attrs["notes"] = leadTextAttr(leadTrimmed, "The lead's notes. pipe.solar posts each new value to the lead's activity "+
		"(see the action `pipesolar_lead_note`, which sets this same field)."+notManaged, false, true)
	attrs["sales_rep_email"] = leadTextAttr(leadEmail, "Sign-in e-mail of the sales rep: a member who is active in the "+
		"company (an unknown e-mail fails the apply, naming it)."+notManaged, false, true, validate.EmailOrEmpty())
	attrs["setter_email"] = leadTextAttr(leadEmail, "Sign-in e-mail of the setter: a member who is active in the company "+
		"(an unknown e-mail fails the apply, naming it)."+notManaged, false, true, validate.EmailOrEmpty())
	attrs["external_id"] = leadTextAttr(leadTrimmed, "Your system's id of the lead (v1's `externalId`, at most 128 "+
		"characters): set it to your CRM's id. Left out, the provider derives one from the customer's name and "+
		"address when the lead is created (`tf-` and 32 hexadecimal characters) and keeps it, so a create that is "+
		"retried, or repeated after a failed apply, finds the same lead instead of making a second. It cannot change "+
		"once the lead exists (v1 cannot change it): a new value is a plan-time error that says what to do.",
		false, true, validate.NotBlank(), stringvalidator.LengthAtMost(128))
	attrs["address"] = schema.SingleNestedAttribute{
		MarkdownDescription: "The customer's address: `line1`, `city`, `state` and `postal_code` are required. Any " +
			"change sends all of it (v1 takes the four required parts together).",
		Required: true,
		Attributes: map[string]schema.Attribute{
			"line1": leadTextAttr(leadTrimmed, "Street and number.", true, false, validate.NotBlank()),
			"line2": leadTextAttr(leadTrimmed, "Second line (unit, suite). Left out, it is not managed and shows "+
				"the lead's (null when none); `\"\"` clears it.", false, true),
			"city":        leadTextAttr(leadTrimmed, "City.", true, false, validate.NotBlank()),
			"state":       leadTextAttr(leadRegion, "US state or Canadian province, by code or name (`CA` and `California` are the same).", true, false, validate.Region()),
			"postal_code": leadTextAttr(leadTrimmed, "ZIP or postal code.", true, false, validate.NotBlank()),
			"country": leadTextAttr(leadCode, "`US` or `CA`. Left out, pipe.solar reads it from the state.", false, true,
				stringvalidator.OneOfCaseInsensitive("US", "CA")),
		},
	}
	attrs["co_borrower"] = schema.SingleNestedAttribute{
		MarkdownDescription: "The co-borrower. Left out, it is not managed and shows the lead's co-borrower (null " +
			"when none); so is each field left out of it. `\"\"` clears a field; all four cleared remove the " +
			"co-borrower. A change sends all four fields (v1 takes them together).",
		Optional: true,
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"first_name": leadTextAttr(leadTrimmed, "First name.", false, true),
			"last_name":  leadTextAttr(leadTrimmed, "Last name.", false, true),
			"email":      leadTextAttr(leadEmail, "E-mail address.", false, true, validate.EmailOrEmpty()),
			"phone":      leadTextAttr(leadPhone, "Phone number.", false, true),
		},
	}
	return schema.Schema{
		MarkdownDescription: leadResourceDescription,
		Attributes:          attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true}),
		},
	}
}

// leadIdentitySchema is pipesolar_lead's identity: { id }.
func leadIdentitySchema() identityschema.Schema {
	return idIdentitySchema("Pipe's id of the lead; the old reference is accepted on import.")
}

// leadStateType is the resource's whole type.
var leadStateType = sync.OnceValue(func() types.ObjectType {
	t, ok := leadResourceSchema(context.Background()).Type().(types.ObjectType)
	if !ok {
		panic("pipesolar_lead's schema is not an object type") // a programming error, caught by every test
	}
	return t
})
