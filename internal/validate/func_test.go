package validate

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestFuncValidators: the validators built with Func pass null and unknown
// values and the valid ones, and give each invalid value one error, with
// its summary, attached to the attribute. (The provider's own rules, also
// built with Func, are tested in TestRuleValidators.)
func TestFuncValidators(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	validators := map[string]struct {
		v       validator.String
		desc    string
		valid   []string
		invalid map[string]string // value → summary of its error
	}{
		"Trimmed": {
			v: Trimmed(), desc: "value must not be empty and must not start or end with white space",
			valid:   []string{"NTP", "Contract Signed"},
			invalid: map[string]string{"": "Empty value", "  ": "Empty value", " NTP": "Surrounding white space", "NTP\n": "Surrounding white space"},
		},
		"RFC3339": {
			v: RFC3339(), desc: "value must be an RFC 3339 date-time, like 2026-01-02T15:04:05Z",
			valid:   []string{"2026-01-02T15:04:05Z", "2026-01-02T10:04:05.5-05:00"},
			invalid: map[string]string{"2026-01-02": "Invalid RFC 3339 date-time", "": "Invalid RFC 3339 date-time"},
		},
		"JSONObject": {
			v: JSONObject(), desc: "must be a JSON object",
			valid:   []string{`{}`, ` {"a": [1, 2]} `},
			invalid: map[string]string{`{`: "Invalid JSON", `[1]`: "Invalid JSON object", `"x"`: "Invalid JSON object"},
		},
	}
	attr := path.Root("attr")
	check := func(v validator.String, value types.String) validator.StringResponse {
		var resp validator.StringResponse
		v.ValidateString(ctx, validator.StringRequest{Path: attr, ConfigValue: value}, &resp)
		return resp
	}
	for name, tc := range validators {
		if got := tc.v.Description(ctx); got != tc.desc {
			t.Errorf("%s: description %q, want %q", name, got, tc.desc)
		}
		if got := tc.v.MarkdownDescription(ctx); got != tc.desc {
			t.Errorf("%s: markdown description %q, want %q", name, got, tc.desc)
		}
		passing := []types.String{types.StringNull(), types.StringUnknown()}
		for _, s := range tc.valid {
			passing = append(passing, types.StringValue(s))
		}
		for _, value := range passing {
			if resp := check(tc.v, value); len(resp.Diagnostics) != 0 {
				t.Errorf("%s: %s: unexpected diagnostics %v", name, value, resp.Diagnostics)
			}
		}
		for s, summary := range tc.invalid {
			resp := check(tc.v, types.StringValue(s))
			if len(resp.Diagnostics) != 1 || resp.Diagnostics.ErrorsCount() != 1 || resp.Diagnostics[0].Summary() != summary {
				t.Errorf("%s: %q: got %v, want one error %q", name, s, resp.Diagnostics, summary)
				continue
			}
			if p, ok := resp.Diagnostics[0].(interface{ Path() path.Path }); !ok || !p.Path().Equal(attr) {
				t.Errorf("%s: %q: the error is not attached to %s", name, s, attr)
			}
		}
	}
}
