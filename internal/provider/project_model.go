package provider

import (
	"math/big"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/customtypes"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// fileURLKeys maps fetch_project's allFilesURL keys to the snake_case keys of
// the file_urls attribute.
var fileURLKeys = map[string]string{
	"surveyFiles":        "survey_files",
	"personalFiles":      "personal_files",
	"utilityBills":       "utility_bills",
	"insuranceFiles":     "insurance_files",
	"driverLicense":      "driver_license",
	"installationPhotos": "installation_photos",
	"plansets":           "plansets",
	"materials":          "materials",
	"otherDocuments":     "other_documents",
	"interconnection":    "interconnection",
	"permits":            "permits",
	"internalDocuments":  "internal_documents",
}

// secondaryCustomerAttrTypes is the type of the secondary_customer object.
var secondaryCustomerAttrTypes = map[string]attr.Type{
	"first_name":   types.StringType,
	"last_name":    types.StringType,
	"phone_number": types.StringType,
	"email":        types.StringType,
}

// stringValue maps the API's text to a string attribute; "" is null, so an
// absent value and an empty one read the same.
func stringValue(s string) types.String {
	s = strings.TrimSpace(s)
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// numberValue maps a formatted number ("18,450.01") to a number attribute,
// compacted (customtypes.Compact) so that Terraform handles it cheaply.
func numberValue(s string) types.Number {
	f, ok := pipesolar.ParseNumber(s)
	if !ok {
		return types.NumberNull()
	}
	return types.NumberValue(customtypes.Compact(f))
}

// int64Value maps a whole number in text ("20", "20.0") to an int64
// attribute; anything else is null.
func int64Value(s string) types.Int64 {
	f, ok := pipesolar.ParseNumber(s)
	if !ok || !f.IsInt() {
		return types.Int64Null()
	}
	n, acc := f.Int64()
	if acc != big.Exact {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}

// dateValue maps the API's MM/DD/YYYY to ISO 8601 (YYYY-MM-DD); text in any
// other form is kept as it is.
func dateValue(s string) types.String {
	s = strings.TrimSpace(s)
	if s == "" {
		return types.StringNull()
	}
	for _, layout := range []string{"01/02/2006", "1/2/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return types.StringValue(t.Format(time.DateOnly))
		}
	}
	return types.StringValue(s)
}

func fileURLsValue(m map[string]string) types.Map {
	out := make(map[string]attr.Value, len(m))
	for apiKey, u := range m {
		key, ok := fileURLKeys[apiKey]
		if !ok {
			key = snakeCase(apiKey)
		}
		if u = strings.TrimSpace(u); u != "" {
			out[key] = types.StringValue(u)
		}
	}
	return types.MapValueMust(types.StringType, out)
}

func secondaryCustomerValue(p *pipesolar.Project) types.Object {
	vals := map[string]attr.Value{
		"first_name":   stringValue(p.SecondaryCustomerFirstName),
		"last_name":    stringValue(p.SecondaryCustomerLastName),
		"phone_number": stringValue(p.SecondaryCustomerPhoneNumber),
		"email":        stringValue(strings.ToLower(p.SecondaryCustomerEmail)),
	}
	empty := true
	for _, v := range vals {
		if !v.IsNull() {
			empty = false
		}
	}
	if empty {
		return types.ObjectNull(secondaryCustomerAttrTypes)
	}
	return types.ObjectValueMust(secondaryCustomerAttrTypes, vals)
}

func stringListValue(items []string) types.List {
	vals := make([]attr.Value, 0, len(items))
	for _, it := range items {
		if it = strings.TrimSpace(it); it != "" {
			vals = append(vals, types.StringValue(it))
		}
	}
	return types.ListValueMust(types.StringType, vals)
}

// snakeCase turns "someKeyName" into "some_key_name".
func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
