package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

// The lead's text arguments are custom string types whose semantic
// equality follows what pipe.solar may do to a value it stores (SPEC §1.1:
// not published, so the provider survives either way): trim surrounding
// spaces, lower-case an e-mail, re-punctuate a phone, store a state's name
// as its code. After a create, an update or a refresh the framework then
// keeps the value the configuration wrote when pipe.solar's differs only so;
// the lead's ModifyPlan does the same for a configuration edit that is only
// formatting.

// leadTextKind is what makes two texts the same value.
type leadTextKind int

const (
	leadTrimmed leadTextKind = iota // equal once surrounding spaces are trimmed
	leadEmail                       // and without regard to case
	leadPhone                       // the same digits (a leading US/CA 1 aside)
	leadRegion                      // the same US state or Canadian province, by code or name, any case
	leadCode                        // a code (country), any case
)

var leadTextKindNames = [...]string{"trimmed", "email", "phone", "region", "code"}

// canonical is s as compared under kind k.
func (k leadTextKind) canonical(s string) string {
	s = strings.TrimSpace(s)
	switch k {
	case leadEmail:
		return strings.ToLower(s)
	case leadPhone:
		var digits strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				digits.WriteRune(r)
			}
		}
		d := digits.String()
		if len(d) == 11 && d[0] == '1' {
			d = d[1:]
		}
		if d == "" {
			return s
		}
		return d
	case leadRegion:
		if code, ok := validate.RegionCode(s); ok {
			return code
		}
		return strings.ToUpper(s)
	case leadCode:
		return strings.ToUpper(s)
	}
	return s
}

// leadTextType is the type of a lead text of one kind.
type leadTextType struct {
	basetypes.StringType
	kind leadTextKind
}

var _ basetypes.StringTypable = leadTextType{}

func (t leadTextType) Equal(o attr.Type) bool {
	other, ok := o.(leadTextType)
	return ok && other.kind == t.kind
}

func (t leadTextType) String() string { return "leadTextType(" + leadTextKindNames[t.kind] + ")" }

func (t leadTextType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return leadText{StringValue: in, kind: t.kind}, nil
}

func (t leadTextType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return leadText{StringValue: s, kind: t.kind}, nil
}

func (t leadTextType) ValueType(context.Context) attr.Value { return leadText{kind: t.kind} }

// leadText is a value of leadTextType.
type leadText struct {
	basetypes.StringValue
	kind leadTextKind
}

var _ basetypes.StringValuableWithSemanticEquals = leadText{}

func (v leadText) Equal(o attr.Value) bool {
	other, ok := o.(leadText)
	return ok && other.kind == v.kind && v.StringValue.Equal(other.StringValue)
}

func (v leadText) Type(context.Context) attr.Type { return leadTextType{kind: v.kind} }

// StringSemanticEquals reports whether pipe.solar's value is the configured
// one as pipe.solar may store it.
func (v leadText) StringSemanticEquals(_ context.Context, other basetypes.StringValuable) (bool, diag.Diagnostics) {
	o, err := other.ToStringValue(context.Background())
	if err != nil {
		return false, err
	}
	return v.sameAs(o.ValueString()), nil
}

// sameAs reports whether s is v's text under v's kind.
func (v leadText) sameAs(s string) bool {
	return v.kind.canonical(v.ValueString()) == v.kind.canonical(s)
}

// newLeadText is a known text of kind k, or null for a nil pointer.
func newLeadText(k leadTextKind, s *string) leadText {
	if s == nil {
		return leadText{StringValue: basetypes.NewStringNull(), kind: k}
	}
	return leadText{StringValue: basetypes.NewStringValue(*s), kind: k}
}
