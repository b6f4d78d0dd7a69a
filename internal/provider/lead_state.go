package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// leadKind is pipesolar_lead's recordKind; leadState its values by
// attribute name, as projectState is a project's.
type leadKind struct{}

func (leadKind) objectType() types.ObjectType { return leadStateType() }

type leadState = recordValues[leadKind]

// getLeadState reads a plan, a state or a configuration.
var getLeadState = getRecordValues[leadKind]

// isKnown reports whether v is set to a known value.
func isKnown(v attr.Value) bool { return v != nil && !v.IsNull() && !v.IsUnknown() }

// objectAttrs are an object value's attributes; nil for null, unknown or
// another kind of value.
func objectAttrs(v attr.Value) map[string]attr.Value {
	if o, ok := v.(types.Object); ok && isKnown(o) {
		return o.Attributes()
	}
	return nil
}

// leadStateFromAPI is what pipesolar_lead stores for lead l, given the
// prior state (the plan after a create or update; nil for an import or a
// list result): every field from l, except that a value cleared with ""
// stays "" while pipe.solar has none (it answers null), and the timeouts
// stay as they were. The framework keeps a prior value pipe.solar only
// re-formatted (leadText's semantic equality).
func leadStateFromAPI(l *pipesolar.Lead, prior leadState) (leadState, error) {
	m, err := jsonObject(l)
	if err != nil {
		return nil, fmt.Errorf("decoding the lead: %w", err)
	}
	next := make(leadState, len(leadStateType().AttrTypes))
	for i := range leadFields {
		if f := &leadFields[i]; isLeadResourceField(f) {
			next[f.name] = f.value(member(m, f.api))
		}
	}
	var rep, setter *string
	if l.SalesRep != nil {
		rep = l.SalesRep.Email
	}
	if l.Setter != nil {
		setter = l.Setter.Email
	}
	for name, v := range map[string]*string{"first_name": l.Customer.FirstName, "last_name": l.Customer.LastName,
		"email": l.Customer.Email, "phone": l.Customer.Phone, "notes": l.Notes, "sales_rep_email": rep,
		"setter_email": setter, "external_id": l.ExternalID} {
		next[name] = keepCleared(prior[name], newLeadText(leadTextKinds[name], v))
	}
	a := l.Address
	next["address"] = textObject(leadAddressKinds, map[string]*string{"line1": a.Line1, "line2": a.Line2,
		"city": a.City, "state": a.State, "postal_code": a.PostalCode, "country": a.Country}, objectAttrs(prior["address"]))
	next["co_borrower"] = coBorrowerValue(l.CoBorrower, prior["co_borrower"])
	next["timeouts"] = nullLeadTimeouts()
	if t, ok := prior["timeouts"]; ok && !t.IsUnknown() {
		next["timeouts"] = t
	}
	return next, nil
}

// keepCleared is v, or prior when prior is "" and v null: a value the
// configuration cleared with "".
func keepCleared(prior attr.Value, v leadText) attr.Value {
	if p, ok := prior.(leadText); ok && v.IsNull() && isKnown(p) && p.ValueString() == "" {
		return p
	}
	return v
}

// textObject is an object of texts of the given kinds; prior holds the
// values cleared with "" to keep.
func textObject(kinds map[string]leadTextKind, texts map[string]*string, prior map[string]attr.Value) types.Object {
	vals := make(map[string]attr.Value, len(kinds))
	for name, k := range kinds {
		vals[name] = keepCleared(prior[name], newLeadText(k, texts[name]))
	}
	return types.ObjectValueMust(objectTypeOf(kinds).AttrTypes, vals)
}

// coBorrowerValue is the co_borrower attribute for v1's coBorrower p. A
// co-borrower the configuration cleared field by field is null in v1: the
// prior value stays.
func coBorrowerValue(p *pipesolar.Person, prior attr.Value) types.Object {
	t := objectTypeOf(leadPersonKinds)
	priorAttrs := objectAttrs(prior)
	if p == nil {
		if o, ok := prior.(types.Object); ok && priorAttrs != nil && allEmpty(priorAttrs) {
			return o
		}
		return types.ObjectNull(t.AttrTypes)
	}
	return textObject(leadPersonKinds, map[string]*string{"first_name": p.FirstName, "last_name": p.LastName,
		"email": p.Email, "phone": p.Phone}, priorAttrs)
}

// allEmpty reports whether every text of attrs is null or "".
func allEmpty(attrs map[string]attr.Value) bool {
	for _, v := range attrs {
		if textOf(v) != "" {
			return false
		}
	}
	return true
}

// nullLeadTimeouts is an unset timeouts block.
func nullLeadTimeouts() timeouts.Value {
	t, ok := leadStateType().AttrTypes["timeouts"].(timeouts.Type)
	if !ok {
		panic("pipesolar_lead's timeouts block has an unexpected type") // a programming error, caught by every test
	}
	return timeouts.Value{Object: types.ObjectNull(t.AttrTypes)}
}

// derivedExternalID is the externalId the provider sends for a lead whose
// configuration sets none: "tf-" and 32 hexadecimal characters of a hash of
// the customer's name and address (line1, city, state, postal code), each compared the way pipe.solar may
// store it (so re-formatting the configuration derives the same id). The
// same customer at the same address always gets the same id: a create
// retried or repeated after a failed apply finds the lead already made.
// ok is false while a part is not known yet.
func derivedExternalID(first, last, address attr.Value) (string, bool) {
	addr := objectAttrs(address)
	if !isKnown(first) || !isKnown(last) || addr == nil {
		return "", false
	}
	parts := []string{leadTrimmed.canonical(textOf(first)), leadTrimmed.canonical(textOf(last))}
	for _, name := range []string{"line1", "city", "state", "postal_code"} {
		v := addr[name]
		if v.IsUnknown() {
			return "", false
		}
		parts = append(parts, leadAddressKinds[name].canonical(textOf(v)))
	}
	for i, p := range parts {
		parts[i] = strings.ToLower(strings.Join(strings.Fields(p), " "))
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return "tf-" + hex.EncodeToString(sum[:16]), true
}

// leadAddressInput is the address attribute as v1's write body has it.
func leadAddressInput(address attr.Value) pipesolar.LeadAddress {
	a := objectAttrs(address)
	return pipesolar.LeadAddress{Line1: textOf(a["line1"]), Line2: textOf(a["line2"]), City: textOf(a["city"]),
		State: textOf(a["state"]), PostalCode: textOf(a["postal_code"]), Country: textOf(a["country"])}
}

// leadChanges is the PATCH that makes lead current what plan configures:
// each argument plan sets to a known value that is not current's (as
// pipe.solar may store it). Arguments left out (unknown in a create's plan,
// the state's value in an update's) are not sent.
func leadChanges(plan, current leadState) pipesolar.LeadUpdate {
	var u pipesolar.LeadUpdate
	for name, field := range map[string]**string{"first_name": &u.FirstName, "last_name": &u.LastName,
		"email": &u.Email, "phone": &u.Phone, "notes": &u.Notes, "sales_rep_email": &u.SalesRepEmail,
		"setter_email": &u.SetterEmail} {
		if want, ok := plan[name].(leadText); ok && isKnown(want) && !sameText(want, current[name]) {
			s := want.ValueString()
			*field = &s
		}
	}
	if want := objectAttrs(plan["address"]); want != nil && !sameTexts(want, objectAttrs(current["address"])) {
		a := leadAddressInput(plan["address"])
		u.Address = &a
	}
	if want := objectAttrs(plan["co_borrower"]); want != nil && !sameTexts(want, objectAttrs(current["co_borrower"])) {
		u.CoBorrower = &pipesolar.CoBorrowerUpdate{FirstName: textOf(want["first_name"]), LastName: textOf(want["last_name"]),
			Email: textOf(want["email"]), Phone: textOf(want["phone"])}
	}
	return u
}

// sameText reports whether current holds want's value, as pipe.solar may
// store it ("" and null are the same: no value).
func sameText(want leadText, current attr.Value) bool {
	have := textOf(current)
	if want.ValueString() == "" || have == "" {
		return want.ValueString() == have
	}
	return want.sameAs(have)
}

// sameTexts compares the known texts of want with current's; an unknown
// one (country left to pipe.solar) matches anything.
func sameTexts(want, current map[string]attr.Value) bool {
	for name, v := range want {
		w, ok := v.(leadText)
		if !ok || v.IsUnknown() {
			continue
		}
		if w.IsNull() {
			w = leadText{StringValue: types.StringValue(""), kind: w.kind}
		}
		if !sameText(w, current[name]) {
			return false
		}
	}
	return true
}
