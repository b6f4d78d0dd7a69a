// Package customtypes holds attribute types whose values compare the way the
// APIs store them, so a value the API normalises (a trimmed name, a
// lower-cased email, "18,450.01" for 18450.01) never shows as a diff.
package customtypes

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// stringKind selects how two strings compare.
type stringKind int

const (
	kindTrimmed stringKind = iota
	kindCaseInsensitive
)

func (k stringKind) equal(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if k == kindCaseInsensitive {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func (k stringKind) name() string {
	if k == kindCaseInsensitive {
		return "customtypes.CaseInsensitiveString"
	}
	return "customtypes.TrimmedString"
}

// StringType is a string attribute type with semantic equality.
type StringType struct {
	basetypes.StringType
	kind stringKind
}

var (
	_ basetypes.StringTypable                    = StringType{}
	_ basetypes.StringValuableWithSemanticEquals = StringValue{}
)

// TrimmedStringType compares strings ignoring surrounding white space, which
// the API trims.
func TrimmedStringType() StringType { return StringType{kind: kindTrimmed} }

// CaseInsensitiveStringType compares strings ignoring case and surrounding
// white space (emails, which the API lower-cases).
func CaseInsensitiveStringType() StringType { return StringType{kind: kindCaseInsensitive} }

func (t StringType) String() string { return t.kind.name() }

func (t StringType) Equal(o attr.Type) bool {
	other, ok := o.(StringType)
	return ok && other.kind == t.kind
}

func (t StringType) ValueType(context.Context) attr.Value { return StringValue{kind: t.kind} }

func (t StringType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return StringValue{StringValue: in, kind: t.kind}, nil
}

func (t StringType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	sv, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return StringValue{StringValue: sv, kind: t.kind}, nil
}

// StringValue is a value of a StringType.
type StringValue struct {
	basetypes.StringValue
	kind stringKind
}

// NewTrimmedString returns a known TrimmedString value.
func NewTrimmedString(s string) StringValue {
	return StringValue{StringValue: basetypes.NewStringValue(s), kind: kindTrimmed}
}

// NewCaseInsensitiveString returns a known CaseInsensitiveString value.
func NewCaseInsensitiveString(s string) StringValue {
	return StringValue{StringValue: basetypes.NewStringValue(s), kind: kindCaseInsensitive}
}

// NullString returns a null value of the kind of t.
func (t StringType) Null() StringValue {
	return StringValue{StringValue: basetypes.NewStringNull(), kind: t.kind}
}

// Unknown returns an unknown value of the kind of t.
func (t StringType) Unknown() StringValue {
	return StringValue{StringValue: basetypes.NewStringUnknown(), kind: t.kind}
}

// Known returns a known value of the kind of t.
func (t StringType) Known(s string) StringValue {
	return StringValue{StringValue: basetypes.NewStringValue(s), kind: t.kind}
}

func (v StringValue) Type(context.Context) attr.Type { return StringType{kind: v.kind} }

func (v StringValue) Equal(o attr.Value) bool {
	other, ok := o.(StringValue)
	return ok && other.kind == v.kind && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals reports whether the API would store both values the
// same way.
func (v StringValue) StringSemanticEquals(ctx context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	nv, diags := newValuable.ToStringValue(ctx)
	if diags.HasError() || v.IsNull() || v.IsUnknown() || nv.IsNull() || nv.IsUnknown() {
		return false, diags
	}
	return v.kind.equal(v.ValueString(), nv.ValueString()), diags
}

// SemanticallyEqual reports whether a and b are the same for the API.
func (v StringValue) SemanticallyEqual(o StringValue) bool {
	if v.IsNull() || o.IsNull() || v.IsUnknown() || o.IsUnknown() {
		return v.IsNull() == o.IsNull() && v.IsUnknown() == o.IsUnknown() && !v.IsUnknown()
	}
	return v.kind.equal(v.ValueString(), o.ValueString())
}
