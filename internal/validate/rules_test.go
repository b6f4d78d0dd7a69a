package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// problem is one expected error: its summary and its whole detail.
type problem struct{ summary, detail string }

// oneError reports how diags differ from one error with want's summary and
// detail, attached to p ("" when they do not).
func oneError(diags diag.Diagnostics, p path.Path, want problem) string {
	if len(diags) != 1 || diags.ErrorsCount() != 1 {
		return "want one error, got " + diagsText(diags)
	}
	d := diags[0]
	if d.Summary() != want.summary || d.Detail() != want.detail {
		return "got " + diagsText(diags) + "\nwant " + want.summary + ": " + want.detail
	}
	if a, ok := d.(diag.DiagnosticWithPath); !ok || !a.Path().Equal(p) {
		return "the error is not attached to " + p.String()
	}
	return ""
}

func diagsText(diags diag.Diagnostics) string {
	var b strings.Builder
	for _, d := range diags {
		b.WriteString("[" + d.Severity().String() + " " + d.Summary() + ": " + d.Detail() + "]")
	}
	if b.Len() == 0 {
		return "no diagnostics"
	}
	return b.String()
}

// TestRuleValidators: each of the provider's string rules has its
// description, passes null, unknown and valid values, and refuses each
// invalid value with one error, worded exactly so, on the attribute.
func TestRuleValidators(t *testing.T) {
	t.Parallel()
	const advice = "Use the new API."
	folders := []string{"contract", "utilityBill", "permit"}
	v0Folders := map[string]string{"utility_bill": "utilityBill"}
	cases := map[string]struct {
		v       validator.String
		p       path.Path
		desc    string
		valid   []string
		invalid map[string]problem
	}{
		"EmailOrEmpty": {
			v: EmailOrEmpty(), p: path.Root("co_borrower").AtName("email"), desc: `an e-mail address, or "" to clear it`,
			valid: []string{"", "grace@example.com", " Grace@Example.COM ", "a.b+c@mail.example.co.uk"},
			invalid: map[string]problem{
				"grace":            {"Invalid e-mail address", `co_borrower.email must be an e-mail address like name@example.com, or "" to clear it; got "grace".`},
				"x@":               {"Invalid e-mail address", `co_borrower.email must be an e-mail address like name@example.com, or "" to clear it; got "x@".`},
				"@example.com":     {"Invalid e-mail address", `co_borrower.email must be an e-mail address like name@example.com, or "" to clear it; got "@example.com".`},
				"grace@example":    {"Invalid e-mail address", `co_borrower.email must be an e-mail address like name@example.com, or "" to clear it; got "grace@example".`},
				"gr ace@example.c": {"Invalid e-mail address", `co_borrower.email must be an e-mail address like name@example.com, or "" to clear it; got "gr ace@example.c".`},
				" ":                {"Invalid e-mail address", `co_borrower.email must be an e-mail address like name@example.com, or "" to clear it; got " ".`},
			},
		},
		"Region": {
			v: Region(), p: path.Root("address").AtName("state"), desc: "a US state or Canadian province, by code or name",
			valid: []string{"CA", "ca", "California", " new  york ", "ON", "Quebec", "DC", "pr"},
			invalid: map[string]problem{
				"Atlantis": {"Unknown state or province", `address.state must be a US state or Canadian province pipe.solar takes, by code or name (for example "CA", "California", "ON"); got "Atlantis".`},
				"":         {"Unknown state or province", `address.state must be a US state or Canadian province pipe.solar takes, by code or name (for example "CA", "California", "ON"); got "".`},
				"UK":       {"Unknown state or province", `address.state must be a US state or Canadian province pipe.solar takes, by code or name (for example "CA", "California", "ON"); got "UK".`},
			},
		},
		"PublicFileURL": {
			v: PublicFileURL(), p: path.Root("files").AtListIndex(1).AtName("url"), desc: "a public https URL (no IP address, no private host, no user info)",
			valid: []string{"https://files.example.com/a.pdf", "https://cdn.example.co.uk/x?sig=1#frag"},
			invalid: map[string]problem{
				"http://files.example.com/a.pdf": {"Invalid file URL", `files[1].url "http://files.example.com/a.pdf" must start with https:// (pipe.solar copies files only from public https addresses).`},
				"https://203.0.113.7/a.pdf":      {"Invalid file URL", `files[1].url "https://203.0.113.7/a.pdf" must name its host, not an IP address (pipe.solar refuses IP addresses).`},
				"https://me:pw@example.com/a":    {"Invalid file URL", `files[1].url "https://me:pw@example.com/a" must not hold a user name or password: pipe.solar copies files only from addresses that open without signing in.`},
				"https://fileserver/a.pdf":       {"Invalid file URL", `files[1].url "https://fileserver/a.pdf" must name a public host; "fileserver" is a private name pipe.solar cannot reach.`},
				"https:///a.pdf":                 {"Invalid file URL", `files[1].url "https:///a.pdf" has no host.`},
				" https://files.example.com/a":   {"Invalid file URL", `files[1].url " https://files.example.com/a" is not a URL.`},
			},
		},
		"Folder": {
			v: Folder(folders, v0Folders), p: path.Root("folder"), desc: "one of contract, utilityBill, permit",
			valid: []string{"contract", "utilityBill", "permit"},
			invalid: map[string]problem{
				"utility_bill": {"Invalid folder", `folder "utility_bill" is not a Pipe API v1 folder. "utility_bill" is provider 1.x's folder_id for the folder Pipe API v1 calls "utilityBill". Use one of contract, utilityBill, permit.`},
				"Contract":     {"Invalid folder", `folder "Contract" is not a Pipe API v1 folder. Use one of contract, utilityBill, permit.`},
				"":             {"Invalid folder", `folder "" is not a Pipe API v1 folder. Use one of contract, utilityBill, permit.`},
			},
		},
		"InstallDate": {
			v: InstallDate(), p: path.Root("install_date"), desc: `a day as YYYY-MM-DD, or "" for none`,
			valid: []string{"", "2027-03-15", "2028-02-29"},
			invalid: map[string]problem{
				"2027-3-15":            {"Invalid date", `install_date must be a day written YYYY-MM-DD, for example 2027-03-15, or "" for no install date; got "2027-3-15".`},
				"2027-02-30":           {"Invalid date", `install_date must be a day written YYYY-MM-DD, for example 2027-03-15, or "" for no install date; got "2027-02-30".`},
				"2027-03-15T00:00:00Z": {"Invalid date", `install_date must be a day written YYYY-MM-DD, for example 2027-03-15, or "" for no install date; got "2027-03-15T00:00:00Z".`},
				" 2027-03-15":          {"Invalid date", `install_date must be a day written YYYY-MM-DD, for example 2027-03-15, or "" for no install date; got " 2027-03-15".`},
			},
		},
		"NotRetiredAPI": {
			v: NotRetiredAPI(advice), p: path.Root("base_url"), desc: "must not be an address of the retired API (a path holding /api/1.1/)",
			valid: []string{"https://api.pipe.solar/v1", "https://proxy.example.com/api/1.10/wf", "not a url %%"},
			invalid: map[string]problem{
				"https://pipe.solar/api/1.1/wf": {"Retired pipe.solar API", `base_url: "https://pipe.solar/api/1.1/wf" is an address of the old pipe.solar API. Use the new API.`},
			},
		},
	}
	ctx := context.Background()
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.v.Description(ctx); got != tc.desc {
				t.Errorf("description %q, want %q", got, tc.desc)
			}
			if got := tc.v.MarkdownDescription(ctx); got != tc.desc {
				t.Errorf("markdown description %q, want %q", got, tc.desc)
			}
			check := func(value types.String) diag.Diagnostics {
				var resp validator.StringResponse
				tc.v.ValidateString(ctx, validator.StringRequest{Path: tc.p, ConfigValue: value}, &resp)
				return resp.Diagnostics
			}
			passing := []types.String{types.StringNull(), types.StringUnknown()}
			for _, s := range tc.valid {
				passing = append(passing, types.StringValue(s))
			}
			for _, value := range passing {
				if diags := check(value); len(diags) != 0 {
					t.Errorf("%s: unexpected %s", value, diagsText(diags))
				}
			}
			for s, want := range tc.invalid {
				if msg := oneError(check(types.StringValue(s)), tc.p, want); msg != "" {
					t.Errorf("%q: %s", s, msg)
				}
			}
		})
	}
}

// TestUniqueAttribute: a list whose objects repeat a value of the
// attribute gets one error per repeat, on the repeat's attribute, naming
// the first element with that value; null and unknown lists, elements and
// values are skipped.
func TestUniqueAttribute(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := UniqueAttribute("url", "each file's url at most once", "Duplicate file URL", "List each URL once.")
	for _, got := range []string{v.Description(ctx), v.MarkdownDescription(ctx)} {
		if got != "each file's url at most once" {
			t.Errorf("description %q", got)
		}
	}
	objType := types.ObjectType{AttrTypes: map[string]attr.Type{"url": types.StringType, "name": types.StringType}}
	file := func(url types.String) attr.Value {
		return types.ObjectValueMust(objType.AttrTypes, map[string]attr.Value{"url": url, "name": types.StringNull()})
	}
	a, b := types.StringValue("https://x.example.com/a"), types.StringValue("https://x.example.com/b")
	list := func(els ...attr.Value) types.List { return types.ListValueMust(objType, els) }
	files := path.Root("files")
	run := func(l types.List) diag.Diagnostics {
		var resp validator.ListResponse
		v.ValidateList(ctx, validator.ListRequest{Path: files, ConfigValue: l}, &resp)
		return resp.Diagnostics
	}
	for name, l := range map[string]types.List{
		"null list":      types.ListNull(objType),
		"unknown list":   types.ListUnknown(objType),
		"distinct":       list(file(a), file(b)),
		"null urls":      list(file(types.StringNull()), file(types.StringNull()), file(a)),
		"unknown urls":   list(file(types.StringUnknown()), file(types.StringUnknown()), file(a)),
		"null element":   list(types.ObjectNull(objType.AttrTypes), types.ObjectNull(objType.AttrTypes), file(a)),
		"unknown object": list(types.ObjectUnknown(objType.AttrTypes), types.ObjectUnknown(objType.AttrTypes), file(a)),
	} {
		if diags := run(l); len(diags) != 0 {
			t.Errorf("%s: unexpected %s", name, diagsText(diags))
		}
	}
	if msg := oneError(run(list(file(a), file(b), file(a))), files.AtListIndex(2).AtName("url"), problem{"Duplicate file URL",
		`files[2].url "https://x.example.com/a" is also the url of files[0]. List each URL once.`}); msg != "" {
		t.Errorf("a repeated: %s", msg)
	}
	// Each repeat names the first element with its value.
	diags := run(list(file(a), file(a), file(a)))
	if len(diags) != 2 || !strings.Contains(diags[0].Detail(), "files[1].url ") || !strings.Contains(diags[1].Detail(), "files[2].url ") ||
		!strings.Contains(diags[1].Detail(), "url of files[0].") {
		t.Errorf("a three times: %s", diagsText(diags))
	}
}

func TestCheckPublicFileURL(t *testing.T) {
	t.Parallel()
	for u, ok := range map[string]bool{
		"https://files.example.com/a.pdf":        true,
		"https://cdn.example.co.uk/x?sig=1#frag": true,
		"https://files.example.com.":             true,
		"http://files.example.com/a.pdf":         false,
		"https://127.0.0.1/a.pdf":                false,
		"https://[::1]/a.pdf":                    false,
		"https://user@files.example.com/a.pdf":   false,
		"https://localhost/a.pdf":                false,
		"https://nas.local/a.pdf":                false,
		"https://files.corp/a.pdf":               false,
		"https:///a.pdf":                         false,
		" https://files.example.com/a.pdf":       false,
	} {
		if err := checkPublicFileURL(u); (err == nil) != ok {
			t.Errorf("checkPublicFileURL(%q) = %v, want ok=%v", u, err, ok)
		}
	}
}

// A base URL of the retired API is refused, with the advice; others are
// not.
func TestCheckNotRetiredAPI(t *testing.T) {
	t.Parallel()
	const advice = "Set base_url to https://api.pipe.solar/v1."
	for u, retired := range map[string]bool{
		"https://pipe.solar/api/1.1/wf":            true,
		"https://pipe.solar/api/1.1/wf/":           true,
		"https://pipe.solar/api/1.1":               true,
		"https://old.example.com/API/1.1/obj":      true,
		"http://127.0.0.1:8080/api/1.1/wf":         true,
		"https://api.pipe.solar/v1":                false,
		"https://staging-api.pipe.solar/v1":        false,
		"https://proxy.example.com/api/1.10/wf":    false,
		"https://proxy.example.com/v1?x=/api/1.1/": false,
	} {
		err := CheckNotRetiredAPI(u, advice)
		if (err != nil) != retired {
			t.Errorf("CheckNotRetiredAPI(%q) = %v, want retired=%v", u, err, retired)
		}
		if err != nil && err.Error() != `"`+u+`" is an address of the old pipe.solar API. `+advice {
			t.Errorf("CheckNotRetiredAPI(%q) = %q", u, err)
		}
	}
}

func TestRegionCode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"CA": "CA", "ca": "CA", "California": "CA", "CALIFORNIA": "CA", " new  york ": "NY", "District of Columbia": "DC",
		"u.s. virgin islands": "VI", "Quebec": "QC", "yt": "YT",
		"Atlantis": "", "": "", "Calif": "", "UK": "",
	} {
		got, ok := RegionCode(in)
		if got != want || ok != (want != "") {
			t.Errorf("RegionCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
