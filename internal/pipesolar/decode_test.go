package pipesolar

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/testutil"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// seedData is a realistic subset of the fetch_project example in SPEC §1.1.
const seedData = `{
	"customerFirstName": "Jane",
	"customerLastName": "Doe",
	"customerPhoneNumber": "(512) 555-0100",
	"customerEmail": "jane.doe@example.com",
	"customerAddress": "1 Main St, Austin, TX 78701",
	"customerStreet": "1 Main St",
	"customerCity": "Austin",
	"customerState": "TX",
	"customerZip": "78701",
	"secondaryCustomerFirstName": "",
	"projectStatus": "Site Survey",
	"contractSignedDate": "03/14/2024",
	"submittedDate": "03/15/2024",
	"projectSiteId": "site-77",
	"contractURL": "https://files.example/contract.pdf",
	"allFilesURL": {
		"surveyFiles": "https://files.example/f/survey",
		"utilityBills": "https://files.example/f/bills",
		"plansets": "https://files.example/f/plansets",
		"permits": "https://files.example/f/permits"
	},
	"systemSize": "8.50",
	"estProduction": "12,100",
	"numberOfPanel": "20",
	"panelModel": "REC Alpha 425",
	"contractPrice": "18,450.01",
	"financeAPR": "3.99%",
	"financeTerm": "25",
	"basePPW": "2.90",
	"adders": ["Critter Guard", "Main Panel Upgrade"],
	"addersCost": "$1,028.58",
	"salesRepName": "Sam Rep",
	"salesRepEmail": "sam@installer.example"
}`

func checkSeed(t *testing.T, p *Project) {
	t.Helper()
	checks := map[string]string{
		"customerFirstName":          "Jane",
		"customerLastName":           "Doe",
		"customerPhoneNumber":        "(512) 555-0100",
		"customerEmail":              "jane.doe@example.com",
		"customerAddress":            "1 Main St, Austin, TX 78701",
		"customerStreet":             "1 Main St",
		"customerCity":               "Austin",
		"customerState":              "TX",
		"customerZip":                "78701",
		"secondaryCustomerFirstName": "",
		"projectStatus":              "Site Survey",
		"contractSignedDate":         "03/14/2024",
		"submittedDate":              "03/15/2024",
		"projectSiteId":              "site-77",
		"contractURL":                "https://files.example/contract.pdf",
		"systemSize":                 "8.50",
		"estProduction":              "12,100",
		"numberOfPanel":              "20",
		"panelModel":                 "REC Alpha 425",
		"contractPrice":              "18,450.01",
		"financeAPR":                 "3.99%",
		"financeTerm":                "25",
		"basePPW":                    "2.90",
		"addersCost":                 "$1,028.58",
		"salesRepName":               "Sam Rep",
		"salesRepEmail":              "sam@installer.example",
	}
	for member, want := range checks {
		if got := p.Text(member); got != want {
			t.Errorf("Text(%q) = %q, want %q", member, got, want)
		}
	}
	if want := []string{"Critter Guard", "Main Panel Upgrade"}; !reflect.DeepEqual(p.List("adders"), want) {
		t.Errorf("List(adders) = %q, want %q", p.List("adders"), want)
	}
	wantFiles := map[string]string{
		"surveyFiles":  "https://files.example/f/survey",
		"utilityBills": "https://files.example/f/bills",
		"plansets":     "https://files.example/f/plansets",
		"permits":      "https://files.example/f/permits",
	}
	if !reflect.DeepEqual(p.Map("allFilesURL"), wantFiles) {
		t.Errorf("Map(allFilesURL) = %v, want %v", p.Map("allFilesURL"), wantFiles)
	}
}

func TestDecodeFetchProject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		body  string
		check func(t *testing.T, p *Project)
	}{
		{
			name: "documented shape",
			body: `{"data":` + seedData + `,"id":"1700000000000x42"}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "1700000000000x42" {
					t.Errorf("ID = %q", p.ID)
				}
				checkSeed(t, p)
			},
		},
		{
			name: "Bubble envelope",
			body: `{"status":"success","response":{"data":` + seedData + `,"id":"1700000000000x42"}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "1700000000000x42" {
					t.Errorf("ID = %q", p.ID)
				}
				checkSeed(t, p)
			},
		},
		{
			name: "fields at the top level without data",
			body: strings.Replace(seedData, "{", `{"id":"top-1",`, 1),
			check: func(t *testing.T, p *Project) {
				if p.ID != "top-1" {
					t.Errorf("ID = %q", p.ID)
				}
				checkSeed(t, p)
			},
		},
		{
			name: "fields at the top level inside the envelope",
			body: `{"status":"success","response":` + strings.Replace(seedData, "{", `{"_id":"env-1",`, 1) + `}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "env-1" {
					t.Errorf("ID = %q", p.ID)
				}
				checkSeed(t, p)
			},
		},
		{
			name: "numbers as JSON numbers",
			body: `{"data":{"customerFirstName":"Jane","systemSize":8.5,"contractPrice":18450.01,"numberOfPanel":20,"financeAPR":3.99,"customerZip":78701,"estProduction":1.21e4},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				want := map[string]string{"systemSize": "8.5", "contractPrice": "18450.01", "numberOfPanel": "20", "financeAPR": "3.99", "customerZip": "78701", "estProduction": "1.21e4"}
				got := map[string]string{}
				for member := range want {
					got[member] = p.Text(member)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("numbers = %v, want %v (the JSON text, unrounded)", got, want)
				}
				a, _ := ParseNumber(p.Text("contractPrice"))
				b, _ := ParseNumber("18,450.01")
				if a == nil || b == nil || a.Cmp(b) != 0 {
					t.Errorf("contractPrice 18450.01 (number) and \"18,450.01\" (string) parse differently: %v vs %v", a, b)
				}
			},
		},
		{
			name: "booleans",
			body: `{"data":{"customerFirstName":"Jane","batteryName":false,"financeCompany":true,"adders":[true,"x"]},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if p.Text("batteryName") != "false" || p.Text("financeCompany") != "true" {
					t.Errorf("batteryName=%q financeCompany=%q", p.Text("batteryName"), p.Text("financeCompany"))
				}
				if !reflect.DeepEqual(p.List("adders"), []string{"true", "x"}) {
					t.Errorf("List(adders) = %q", p.List("adders"))
				}
			},
		},
		{
			name: "nulls",
			body: `{"data":{"customerFirstName":"Jane","customerLastName":null,"contractPrice":null,"adders":null,"allFilesURL":null,"systemSize":null},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if p.Text("customerFirstName") != "Jane" || p.Text("customerLastName") != "" || p.Text("contractPrice") != "" || p.Text("systemSize") != "" {
					t.Errorf("project = %+v", p)
				}
				if p.List("adders") != nil || p.Map("allFilesURL") != nil {
					t.Errorf("List(adders) = %#v, Map(allFilesURL) = %#v; want nil", p.List("adders"), p.Map("allFilesURL"))
				}
			},
		},
		{
			name: "adders as a single string",
			body: `{"data":{"customerFirstName":"Jane","adders":"Critter Guard"},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if !reflect.DeepEqual(p.List("adders"), []string{"Critter Guard"}) {
					t.Errorf("List(adders) = %q", p.List("adders"))
				}
			},
		},
		{
			name: "adders as an empty string",
			body: `{"data":{"customerFirstName":"Jane","adders":""},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if len(p.List("adders")) != 0 {
					t.Errorf("List(adders) = %q, want none", p.List("adders"))
				}
			},
		},
		{
			name: "adders array with numbers and nulls",
			body: `{"data":{"customerFirstName":"Jane","adders":["EV Charger",2,3.5,null,""]},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if want := []string{"EV Charger", "2", "3.5"}; !reflect.DeepEqual(p.List("adders"), want) {
					t.Errorf("List(adders) = %q, want %q", p.List("adders"), want)
				}
			},
		},
		{
			name: "allFilesURL as a string",
			body: `{"data":{"customerFirstName":"Jane","allFilesURL":"https://files.example/all"},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if len(p.Map("allFilesURL")) != 0 {
					t.Errorf("Map(allFilesURL) = %v, want empty", p.Map("allFilesURL"))
				}
			},
		},
		{
			name: "allFilesURL as an array",
			body: `{"data":{"customerFirstName":"Jane","allFilesURL":["https://a","https://b"]},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if len(p.Map("allFilesURL")) != 0 {
					t.Errorf("Map(allFilesURL) = %v, want empty", p.Map("allFilesURL"))
				}
			},
		},
		{
			name: "allFilesURL with odd values",
			body: `{"data":{"customerFirstName":"Jane","allFilesURL":{"surveyFiles":"https://s","permits":null,"plansets":7}},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if m := p.Map("allFilesURL"); m["surveyFiles"] != "https://s" || m["permits"] != "" || m["plansets"] != "7" {
					t.Errorf("Map(allFilesURL) = %v", m)
				}
			},
		},
		{
			name: "object where a scalar belongs",
			body: `{"data":{"customerFirstName":{"first":"Jane"},"customerLastName":"Doe","panelModel":["a"]},"id":"p1"}`,
			check: func(t *testing.T, p *Project) {
				if p.Text("customerFirstName") != "" || p.Text("panelModel") != "" || p.Text("customerLastName") != "Doe" {
					t.Errorf("project = %+v", p)
				}
			},
		},
		{
			name: "id only at the top level",
			body: `{"data":{"customerFirstName":"Jane"},"id":"top"}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "top" {
					t.Errorf("ID = %q, want top", p.ID)
				}
			},
		},
		{
			name: "id only inside data",
			body: `{"data":{"customerFirstName":"Jane","id":"inner"}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "inner" {
					t.Errorf("ID = %q, want inner", p.ID)
				}
			},
		},
		{
			name: "_id inside data",
			body: `{"data":{"_id":"under","customerFirstName":"Jane"}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "under" {
					t.Errorf("ID = %q, want under", p.ID)
				}
			},
		},
		{
			name: "_id at the top level",
			body: `{"data":{"customerFirstName":"Jane"},"_id":"top_under"}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "top_under" {
					t.Errorf("ID = %q, want top_under", p.ID)
				}
			},
		},
		{
			name: "numeric id",
			body: `{"data":{"customerFirstName":"Jane"},"id":1700000000000}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "1700000000000" {
					t.Errorf("ID = %q", p.ID)
				}
			},
		},
		{
			name: "no id anywhere uses the requested one",
			body: `{"data":{"customerFirstName":"Jane"}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "requested" {
					t.Errorf("ID = %q, want requested", p.ID)
				}
			},
		},
		{
			name: "empty top-level id uses the requested one",
			body: `{"data":{"customerFirstName":"Jane"},"id":""}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "requested" {
					t.Errorf("ID = %q, want requested", p.ID)
				}
			},
		},
		{
			name: "unknown extra fields",
			body: `{"data":{"customerFirstName":"Jane","somethingNew":{"deep":[1,2]},"customerLastName":"Doe"},"id":"p1","meta":{"v":2}}`,
			check: func(t *testing.T, p *Project) {
				if p.Text("customerFirstName") != "Jane" || p.Text("customerLastName") != "Doe" {
					t.Errorf("project = %+v", p)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := decodeFetchProject([]byte(tc.body), "requested")
			if err != nil {
				t.Fatalf("decodeFetchProject() error = %v", err)
			}
			tc.check(t, p)
		})
	}
}

func TestDecodeFetchProjectNotFound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body string }{
		{name: "data null", body: `{"data":null,"id":"gone"}`},
		{name: "data empty object", body: `{"data":{},"id":"gone"}`},
		{name: "data missing", body: `{"id":"gone"}`},
		{name: "data empty string", body: `{"data":"","id":"gone"}`},
		{name: "data empty array", body: `{"data":[]}`},
		{name: "data false", body: `{"data":false}`},
		{name: "empty object", body: `{}`},
		{name: "envelope with data null", body: `{"status":"success","response":{"data":null,"id":"gone"}}`},
		{name: "envelope with empty response", body: `{"status":"success","response":{}}`},
		{name: "whitespace around null", body: " {\"data\" :  null } \n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := decodeFetchProject([]byte(tc.body), "gone")
			if err == nil {
				t.Fatalf("decodeFetchProject() = %+v, want a not-found error", p)
			}
			if !transport.IsNotFound(err) {
				t.Errorf("IsNotFound(%v) = false, want true", err)
			}
			if !strings.Contains(err.Error(), `"gone"`) {
				t.Errorf("error %q does not name the id", err)
			}
		})
	}
}

func TestDecodeFetchProjectGarbage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body string }{
		{name: "plain text", body: "not json at all"},
		{name: "empty body", body: ""},
		{name: "truncated JSON", body: `{"data":{"customerFirstName":"Ja`},
		{name: "truncated after data", body: `{"data":{"customerFirstName":"Jane"},"id":`},
		{name: "trailing garbage", body: `{"data":{"customerFirstName":"Jane"}} trailing`},
		{name: "HTML page", body: "<!DOCTYPE html><html><head><title>Site maintenance</title></head><body>back soon</body></html>"},
		{name: "HTML page titled not found", body: "<html><head><title>404 Page Not Found</title></head></html>"},
		{name: "JSON array", body: `[{"customerFirstName":"Jane","id":"p1"}]`},
		{name: "JSON string", body: `"Project not found"`},
		{name: "JSON number", body: `42`},
		{name: "data is a number", body: `{"data":42,"id":"p1"}`},
		{name: "data is a non-empty string", body: `{"data":"oops","id":"p1"}`},
		{name: "field with a broken type inside an object", body: `{"data":{"adders":[1,}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var p *Project
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("decodeFetchProject panicked: %v", r)
					}
				}()
				p, err = decodeFetchProject([]byte(tc.body), "p1")
			}()
			if err == nil {
				t.Fatalf("decodeFetchProject() = %+v, want an error", p)
			}
			if transport.IsNotFound(err) {
				t.Errorf("error %v is classified not-found; a garbled answer must not remove the resource", err)
			}
		})
	}
}

func ids(ps []Project) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func intp(n int) *int { return &n }

func TestDecodeListPage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		body          string
		wantIDs       []string
		wantRemaining *int
		wantTotal     *int
		check         func(t *testing.T, pg listPage)
	}{
		{name: "bare array", body: `[{"id":"a","customerFirstName":"Ann"},{"id":"b"}]`, wantIDs: []string{"a", "b"},
			check: func(t *testing.T, pg listPage) {
				if pg.Projects[0].Text("customerFirstName") != "Ann" {
					t.Errorf("first project = %+v", pg.Projects[0])
				}
			}},
		{name: "under data", body: `{"data":[{"id":"a"},{"id":"b"}]}`, wantIDs: []string{"a", "b"}},
		{name: "under projects", body: `{"projects":[{"id":"a"},{"id":"b"}]}`, wantIDs: []string{"a", "b"}},
		{name: "under results", body: `{"results":[{"id":"a"}]}`, wantIDs: []string{"a"}},
		{name: "Bubble envelope with remaining and count", body: `{"status":"success","response":{"projects":[{"id":"a"},{"id":"b"}],"remaining":0,"count":2}}`,
			wantIDs: []string{"a", "b"}, wantRemaining: intp(0)},
		{name: "Bubble data API envelope", body: `{"response":{"cursor":0,"results":[{"_id":"a"}],"remaining":5,"count":1}}`,
			wantIDs: []string{"a"}, wantRemaining: intp(5)},
		{name: "projects inside a data object", body: `{"data":{"projects":[{"id":"a"},{"id":"b"}],"remaining":1,"total":3}}`,
			wantIDs: []string{"a", "b"}, wantRemaining: intp(1), wantTotal: intp(3)},
		{name: "ids as _id, project_id, projectId, number", body: `[{"_id":"a"},{"project_id":"b"},{"projectId":"c"},{"id":12345}]`,
			wantIDs: []string{"a", "b", "c", "12345"}},
		{name: "item nested under data", body: `[{"id":"a","data":{"customerFirstName":"Ann","systemSize":"8.50"}}]`, wantIDs: []string{"a"},
			check: func(t *testing.T, pg listPage) {
				p := pg.Projects[0]
				if p.Text("customerFirstName") != "Ann" || p.Text("systemSize") != "8.50" {
					t.Errorf("nested project = %+v", p)
				}
			}},
		{name: "item nested under data with its id inside", body: `{"results":[{"data":{"_id":"x","customerFirstName":"Bo"}}]}`, wantIDs: []string{"x"},
			check: func(t *testing.T, pg listPage) {
				if pg.Projects[0].Text("customerFirstName") != "Bo" {
					t.Errorf("nested project = %+v", pg.Projects[0])
				}
			}},
		{name: "remaining and total as numbers", body: `{"data":[{"id":"a"}],"remaining":3,"total":4}`, wantIDs: []string{"a"}, wantRemaining: intp(3), wantTotal: intp(4)},
		{name: "remaining and total as strings", body: `{"results":[{"id":"a"}],"remaining":"0","total":"1"}`, wantIDs: []string{"a"}, wantRemaining: intp(0), wantTotal: intp(1)},
		{name: "remaining null", body: `{"results":[{"id":"a"}],"remaining":null}`, wantIDs: []string{"a"}},
		{name: "empty array", body: `[]`, wantIDs: []string{}},
		{name: "empty body", body: ``, wantIDs: []string{}},
		{name: "empty data", body: `{"data":[]}`, wantIDs: []string{}},
		{name: "data null", body: `{"data":null}`, wantIDs: []string{}},
		{name: "empty envelope list with remaining", body: `{"status":"success","response":{"results":[],"remaining":0}}`, wantIDs: []string{}, wantRemaining: intp(0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pg, err := decodeListPage([]byte(tc.body))
			if err != nil {
				t.Fatalf("decodeListPage() error = %v", err)
			}
			if got := ids(pg.Projects); !reflect.DeepEqual(got, tc.wantIDs) {
				t.Errorf("ids = %q, want %q", got, tc.wantIDs)
			}
			if !reflect.DeepEqual(pg.Remaining, tc.wantRemaining) {
				t.Errorf("Remaining = %v, want %v", deref(pg.Remaining), deref(tc.wantRemaining))
			}
			if !reflect.DeepEqual(pg.Total, tc.wantTotal) {
				t.Errorf("Total = %v, want %v", deref(pg.Total), deref(tc.wantTotal))
			}
			if tc.check != nil {
				tc.check(t, pg)
			}
		})
	}
}

// List items survive the same odd shapes as fetch_project's data, whether
// the page decodes in one pass or item by item.
func TestDecodeListItemShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		item  string
		check func(t *testing.T, p *Project)
	}{
		{name: "nested under data next to its id", item: `{"id":"a","customerFirstName":"Outer","data":{"customerFirstName":"Ann","adders":["Roof"],"allFilesURL":{"permits":"https://p"}}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "a" || p.Text("customerFirstName") != "Ann" || !reflect.DeepEqual(p.List("adders"), []string{"Roof"}) ||
					!reflect.DeepEqual(p.Map("allFilesURL"), map[string]string{"permits": "https://p"}) {
					t.Errorf("project = %+v, want id a and the nested members", p)
				}
			}},
		{name: "nested under data with its own id", item: `{"id":"a","data":{"_id":"b","customerFirstName":"Ann"}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "b" || p.Text("customerFirstName") != "Ann" {
					t.Errorf("project = %+v, want id b", p)
				}
			}},
		{name: "empty data is not a nested project", item: `{"id":"a","customerFirstName":"Ann","data":{}}`,
			check: func(t *testing.T, p *Project) {
				if p.ID != "a" || p.Text("customerFirstName") != "Ann" {
					t.Errorf("project = %+v", p)
				}
			}},
		{name: "scalar where a list belongs", item: `{"id":"a","adders":"Roof","siteSurveyPhotos":7}`,
			check: func(t *testing.T, p *Project) {
				if !reflect.DeepEqual(p.List("adders"), []string{"Roof"}) || !reflect.DeepEqual(p.List("siteSurveyPhotos"), []string{"7"}) {
					t.Errorf("List(adders) = %q, List(siteSurveyPhotos) = %q", p.List("adders"), p.List("siteSurveyPhotos"))
				}
			}},
		{name: "object or array where a scalar belongs", item: `{"id":"a","customerEmail":{"nested":true},"numberOfPanel":[20],"customerLastName":"Doe"}`,
			check: func(t *testing.T, p *Project) {
				if p.Text("customerEmail") != "" || p.Text("numberOfPanel") != "" || p.Text("customerLastName") != "Doe" {
					t.Errorf("project = %+v", p)
				}
			}},
		{name: "object where a list belongs, list where a map belongs", item: `{"id":"a","adders":{"x":"y"},"allFilesURL":["https://a"]}`,
			check: func(t *testing.T, p *Project) {
				if p.List("adders") != nil || p.Map("allFilesURL") != nil {
					t.Errorf("List(adders) = %q, Map(allFilesURL) = %v; want nil", p.List("adders"), p.Map("allFilesURL"))
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			slow, err := decodeListItem(json.RawMessage(tc.item))
			if err != nil {
				t.Fatalf("decodeListItem() error = %v", err)
			}
			t.Run("item by item", func(t *testing.T) { tc.check(t, &slow) })
			// A page goes through the one-pass decoder, which leaves nested
			// items to the item-by-item one; either way the page must give
			// the same project.
			page, err := decodeListPage([]byte("[" + tc.item + "]"))
			if err != nil || len(page.Projects) != 1 {
				t.Fatalf("decodeListPage() = %+v, %v; want one project", page.Projects, err)
			}
			t.Run("page", func(t *testing.T) { tc.check(t, &page.Projects[0]) })
			if !reflect.DeepEqual(page.Projects[0], slow) {
				t.Errorf("page %+v, item by item %+v", page.Projects[0], slow)
			}
			if fast, ok := decodeListItemsFast(json.RawMessage("[" + tc.item + "]")); ok &&
				(len(fast) != 1 || !reflect.DeepEqual(fast[0], slow)) {
				t.Errorf("one pass %+v, item by item %+v", fast, slow)
			}
		})
	}
}

func deref(p *int) string {
	if p == nil {
		return "nil"
	}
	return strconv.Itoa(*p)
}

func TestDecodeListPageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, body string }{
		{name: "object without a list", body: `{"message":"ok","count":2}`},
		{name: "data object without a list", body: `{"data":{"count":2}}`},
		{name: "envelope without a list", body: `{"status":"success","response":{"count":0}}`},
		{name: "number items", body: `[1,2,3]`},
		{name: "string items", body: `{"data":["a","b"]}`},
		{name: "null item", body: `[{"id":"a"},null]`},
		{name: "nested array item", body: `[[{"id":"a"}]]`},
		{name: "malformed object", body: `{"data":[{"id":"a"}`},
		{name: "malformed array", body: `[{"id":"a"},`},
		{name: "HTML", body: `<html><title>Bad Gateway</title></html>`},
		{name: "plain text", body: `no projects`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pg, err := decodeListPage([]byte(tc.body))
			if err == nil {
				t.Errorf("decodeListPage() = %+v, want an error", pg)
			}
		})
	}
}

func TestCreatedID(t *testing.T) {
	t.Parallel()
	activityKeys := []string{"id", "activity_id", "_id"}
	tests := []struct {
		name string
		body string
		keys []string
		want string
	}{
		{name: "top-level id", body: `{"id":"X"}`, keys: projectIDKeys, want: "X"},
		{name: "top-level project_id", body: `{"project_id":"X"}`, keys: projectIDKeys, want: "X"},
		{name: "top-level projectId", body: `{"projectId":"X"}`, keys: projectIDKeys, want: "X"},
		{name: "top-level _id", body: `{"_id":"X"}`, keys: projectIDKeys, want: "X"},
		{name: "id in data", body: `{"success":true,"data":{"id":"X"}}`, keys: projectIDKeys, want: "X"},
		{name: "project_id in data", body: `{"data":{"project_id":"X"}}`, keys: projectIDKeys, want: "X"},
		{name: "Bubble envelope", body: `{"status":"success","response":{"project_id":"X"}}`, keys: projectIDKeys, want: "X"},
		{name: "data inside response", body: `{"response":{"data":{"id":"X"}}}`, keys: projectIDKeys, want: "X"},
		{name: "under project", body: `{"project":{"id":"X"}}`, keys: projectIDKeys, want: "X"},
		{name: "numeric id", body: `{"id":12345}`, keys: projectIDKeys, want: "12345"},
		{name: "numeric project_id in data", body: `{"data":{"project_id":1700000000000}}`, keys: projectIDKeys, want: "1700000000000"},
		{name: "id with spaces", body: `{"id":"  X  "}`, keys: projectIDKeys, want: "X"},
		{name: "empty id falls through to data", body: `{"id":"","data":{"id":"Y"}}`, keys: projectIDKeys, want: "Y"},
		{name: "null id", body: `{"id":null}`, keys: projectIDKeys, want: ""},
		{name: "success only", body: `{"success":true}`, keys: projectIDKeys, want: ""},
		{name: "success with message", body: `{"success":true,"message":"Project created successfully"}`, keys: projectIDKeys, want: ""},
		{name: "envelope without id", body: `{"status":"success","response":{}}`, keys: projectIDKeys, want: ""},
		{name: "too deep", body: `{"response":{"data":{"result":{"id":"X"}}}}`, keys: projectIDKeys, want: ""},
		{name: "not JSON", body: `Project created`, keys: projectIDKeys, want: ""},
		{name: "empty", body: ``, keys: projectIDKeys, want: ""},
		{name: "truncated JSON", body: `{"id":"X"`, keys: projectIDKeys, want: ""},
		{name: "activity: project and installer ids only", body: `{"data":{"project_id":"12345","installer_id":"abc"}}`, keys: activityKeys, want: ""},
		{name: "activity: documented answer", body: `{"success":true,"message":"Activity created","data":{"project_id":"12345","installer_id":"abc","notes":"hi"}}`, keys: activityKeys, want: ""},
		{name: "activity: envelope with project id", body: `{"status":"success","response":{"project_id":"12345"}}`, keys: activityKeys, want: ""},
		{name: "activity: id in data", body: `{"data":{"id":"act-1","project_id":"12345"}}`, keys: activityKeys, want: "act-1"},
		{name: "activity: activity_id", body: `{"activity_id":"act-2"}`, keys: activityKeys, want: "act-2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := createdID([]byte(tc.body), tc.keys...); got != tc.want {
				t.Errorf("createdID() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestReportsFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		want    bool
		wantMsg string // checked when not empty
	}{
		{name: "success false with message", body: `{"success":false,"message":"x"}`, want: true, wantMsg: "x"},
		{name: "success \"false\"", body: `{"success":"false","message":"y"}`, want: true, wantMsg: "y"},
		{name: "success FALSE string", body: `{"success":"FALSE"}`, want: true},
		{name: "success false without message", body: `{"success":false}`, want: true},
		{name: "inside response", body: `{"response":{"success":false,"message":"inner"}}`, want: true, wantMsg: "inner"},
		{name: "status error", body: `{"status":"error","message":"Workflow error"}`, want: true, wantMsg: "Workflow error"},
		{name: "status ERROR", body: `{"status":"ERROR","message":"m"}`, want: true, wantMsg: "m"},
		{name: "status failure", body: `{"status":"failure","message":"f"}`, want: true, wantMsg: "f"},
		{name: "leading whitespace", body: "\n  {\"success\":false,\"message\":\"ws\"}", want: true, wantMsg: "ws"},
		{name: "success true", body: `{"success":true,"message":"ok"}`, want: false},
		{name: "success \"true\"", body: `{"success":"true"}`, want: false},
		{name: "status success", body: `{"status":"success","response":{"project_id":"1"}}`, want: false},
		{name: "status object", body: `{"status":{"code":1}}`, want: false},
		{name: "no success member", body: `{"data":{"id":"1"}}`, want: false},
		{name: "array", body: `[{"success":false}]`, want: false},
		{name: "string", body: `"false"`, want: false},
		{name: "bare false", body: `false`, want: false},
		{name: "empty", body: ``, want: false},
		{name: "HTML", body: `<html></html>`, want: false},
		{name: "malformed object", body: `{"success":false`, want: false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, msg := reportsFailure([]byte(tc.body))
			if got != tc.want {
				t.Errorf("reportsFailure() = %v, want %v", got, tc.want)
			}
			if tc.wantMsg != "" && msg != tc.wantMsg {
				t.Errorf("message = %q, want %q", msg, tc.wantMsg)
			}
			if !tc.want && msg != "" {
				t.Errorf("message = %q for a non-failure", msg)
			}
		})
	}
}

func dec(t *testing.T, s string) *big.Float {
	t.Helper()
	f, _, err := big.ParseFloat(s, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatalf("big.ParseFloat(%q): %v", s, err)
	}
	return f
}

func TestParseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // decimal value; "" means not a number
	}{
		{in: "18,450.01", want: "18450.01"},
		{in: "8.50", want: "8.5"},
		{in: "8.5", want: "8.50"},
		{in: " 20 ", want: "20"},
		{in: "20", want: "20.000"},
		{in: "$1,028.58", want: "1028.58"},
		{in: "3.99%", want: "3.99"},
		{in: "1e3", want: "1000"},
		{in: "-2.5", want: "-2.5"},
		{in: "0", want: "0"},
		{in: "1,000,000", want: "1000000"},
		{in: "0.30", want: "0.3"},
		{in: "", want: ""},
		{in: "   ", want: ""},
		{in: "$", want: ""},
		{in: "%", want: ""},
		{in: "abc", want: ""},
		{in: "12abc", want: ""},
		{in: "1.2.3", want: ""},
		{in: "NaN", want: ""},
		{in: "8.5 kW", want: ""},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%q", tc.in), func(t *testing.T) {
			t.Parallel()
			got, ok := ParseNumber(tc.in)
			if tc.want == "" {
				if ok {
					t.Errorf("ParseNumber(%q) = %v, true; want not a number", tc.in, got)
				}
				return
			}
			if !ok || got == nil {
				t.Fatalf("ParseNumber(%q) = not a number, want %s", tc.in, tc.want)
			}
			if got.Cmp(dec(t, tc.want)) != 0 {
				t.Errorf("ParseNumber(%q) = %s, want %s", tc.in, got.Text('g', 30), tc.want)
			}
		})
	}
}

// Non-finite values are not numbers the API could mean; they cannot become
// a Terraform number either.
func TestParseNumberRejectsInfinity(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"Inf", "-Inf", "+infinity"} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got, ok := ParseNumber(in); ok {
				t.Errorf("ParseNumber(%q) = %v, true; flex.go ParseNumber accepts what strconv.ParseFloat and "+
					"big.Float.SetString accept, which includes infinities. A value like that reaching a Terraform number "+
					"cannot be represented. Fix: reject got.IsInf() (or require the text to match a decimal pattern).", in, got)
			}
		})
	}
}

// Numbers compare as decimals: "0.30" is the same value as the decimal
// string "0.3" parsed at Terraform's precision, and not float64's 0.3.
func TestParseNumberIsDecimalNotFloat64(t *testing.T) {
	t.Parallel()
	a, ok := ParseNumber("0.30")
	if !ok {
		t.Fatal("ParseNumber(\"0.30\") failed")
	}
	b, _ := ParseNumber("0.3")
	if a.Cmp(b) != 0 {
		t.Errorf("ParseNumber(0.30) = %s, ParseNumber(0.3) = %s; want equal", a.Text('g', 40), b.Text('g', 40))
	}
	if a.Cmp(dec(t, "0.3")) != 0 {
		t.Errorf("ParseNumber(0.30) = %s, want the 512-bit decimal 0.3", a.Text('g', 40))
	}
	if got := a.Text('f', -1); got != "0.3" {
		t.Errorf("ParseNumber(0.30).Text('f', -1) = %q, want 0.3", got)
	}
	if a.Cmp(big.NewFloat(0.3)) == 0 {
		t.Error("ParseNumber(0.30) equals float64(0.3): it went through float64 rounding")
	}
	x, _ := ParseNumber("2.9")
	y, _ := ParseNumber("2.90")
	if x.Cmp(y) != 0 {
		t.Error(`ParseNumber("2.9") != ParseNumber("2.90")`)
	}
}

// createFields are the create_project members the tests set; input builds
// the CreateProjectInput the provider's field table would: the body (an
// optional member only when set, numbers as json.Number), the org, and the
// natural key (customer first and last name, email and address compared as
// text; system size and cost, when given, as numbers).
type createFields struct {
	Address, FirstName, LastName, Email, PhoneNumber, OrgID, SalesRep, Setter string

	SystemSize, SystemCost, APR json.Number
	TermYears                   string
	Adders                      []string
}

func (f createFields) input() CreateProjectInput {
	body := map[string]any{
		"address":      f.Address,
		"first_name":   f.FirstName,
		"last_name":    f.LastName,
		"email":        f.Email,
		"phone_number": f.PhoneNumber,
		"org_id":       f.OrgID,
		"sales_rep":    f.SalesRep,
		"setter":       f.Setter,
	}
	for member, n := range map[string]json.Number{"system_size": f.SystemSize, "system_cost": f.SystemCost, "apr": f.APR} {
		if n != "" {
			body[member] = n
		}
	}
	if f.TermYears != "" {
		body["term_years"] = f.TermYears
	}
	if len(f.Adders) > 0 {
		body["adders"] = f.Adders
	}
	key := []KeyField{
		{Member: "customerFirstName", Want: f.FirstName},
		{Member: "customerLastName", Want: f.LastName},
		{Member: "customerEmail", Want: f.Email},
		{Member: "customerAddress", Want: f.Address},
	}
	if f.SystemSize != "" {
		key = append(key, KeyField{Member: "systemSize", Want: string(f.SystemSize), Number: true})
	}
	if f.SystemCost != "" {
		key = append(key, KeyField{Member: "contractPrice", Want: string(f.SystemCost), Number: true})
	}
	return CreateProjectInput{Body: body, OrgID: f.OrgID, Key: key}
}

func baseInput() createFields {
	return createFields{
		Address: "1 Main St, Austin, TX 78701", FirstName: "Jane", LastName: "Doe",
		Email: "Jane.Doe@Example.com", PhoneNumber: "5125550100", OrgID: "org-1",
		SalesRep: "rep-1", Setter: "setter-1",
	}
}

// textProject is a project whose members are the given scalars.
func textProject(id string, members map[string]string) Project {
	fields := make(map[string]Value, len(members))
	for k, v := range members {
		fields[k] = Value{Text: v}
	}
	return Project{ID: id, Fields: fields}
}

func baseProject() Project {
	return textProject("p1", map[string]string{
		"customerFirstName": "Jane", "customerLastName": "Doe",
		"customerEmail": "jane.doe@example.com", "customerAddress": "1 Main St, Austin, TX 78701",
		"systemSize": "8.50", "contractPrice": "18,450.01",
	})
}

func TestCreateProjectInputMatches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   func(*createFields)
		p    func(*Project)
		want bool
	}{
		{name: "same", want: true},
		{name: "case and whitespace differ", want: true,
			in: func(in *createFields) {
				in.FirstName, in.LastName = "  JANE ", "doe"
				in.Email = " JANE.DOE@EXAMPLE.COM "
				in.Address = "1  main st,   Austin, tx 78701 "
			}},
		{name: "first name differs", in: func(in *createFields) { in.FirstName = "Janet" }},
		{name: "last name differs", p: func(p *Project) { p.Fields["customerLastName"] = Value{Text: "Dough"} }},
		{name: "email differs", in: func(in *createFields) { in.Email = "jane@example.com" }},
		{name: "address differs", in: func(in *createFields) { in.Address = "2 Main St, Austin, TX 78701" }},
		{name: "system size 8.5 vs 8.50", want: true, in: func(in *createFields) { in.SystemSize = json.Number("8.5") }},
		{name: "system size differs", in: func(in *createFields) { in.SystemSize = json.Number("9.5") }},
		{name: "system cost vs formatted contract price", want: true, in: func(in *createFields) { in.SystemCost = json.Number("18450.01") }},
		{name: "system cost differs", in: func(in *createFields) { in.SystemCost = json.Number("18450") }},
		{name: "system size not given ignores the project's", want: true, p: func(p *Project) { p.Fields["systemSize"] = Value{Text: "12"} }},
		{name: "other fields do not matter", want: true,
			in: func(in *createFields) { in.PhoneNumber = "000"; in.SalesRep = "other" },
			p:  func(p *Project) { p.ID = "other"; p.Fields["customerPhoneNumber"] = Value{Text: "999"} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in, p := baseInput(), baseProject()
			if tc.in != nil {
				tc.in(&in)
			}
			if tc.p != nil {
				tc.p(&p)
			}
			if got := in.input().Matches(p); got != tc.want {
				t.Errorf("Matches() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestListFilterEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		f        ListFilter
		endpoint string
		query    string
		wantErr  bool
	}{
		{name: "both", f: ListFilter{OrgID: "o", InstallerID: "i"}, wantErr: true},
		{name: "none", f: ListFilter{}, wantErr: true},
		{name: "org", f: ListFilter{OrgID: "org 1"}, endpoint: EndpointListByOrg, query: "org_id=org+1"},
		{name: "installer", f: ListFilter{InstallerID: "inst"}, endpoint: EndpointListByInstaller, query: "installer_id=inst"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ep, q, err := tc.f.endpoint()
			if (err != nil) != tc.wantErr {
				t.Fatalf("endpoint() error = %v, wantErr %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if ep != tc.endpoint || q.Encode() != tc.query {
				t.Errorf("endpoint() = %q, %q; want %q, %q", ep, q.Encode(), tc.endpoint, tc.query)
			}
		})
	}
}

// ---- client against an httptest server ----

func newTestClient(t *testing.T, baseURL string) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: baseURL, Token: "t", HTTP: transport.Options{
		UserAgent:    "terraform-provider-pipesolar/test",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		MaxRetries:   3,
		Clock:        testutil.NewClock(),
	}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// hits counts requests per path.
type hits struct {
	mu sync.Mutex
	n  map[string]int
}

func (h *hits) add(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.n == nil {
		h.n = map[string]int{}
	}
	h.n[path]++
	return h.n[path]
}

func (h *hits) get(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n[path]
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func dropConnection(t *testing.T, w http.ResponseWriter) {
	t.Helper()
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Error("response writer cannot hijack")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

func TestNewConfigValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{name: "empty token", cfg: Config{BaseURL: "https://x.example"}},
		{name: "relative URL", cfg: Config{BaseURL: "/api", Token: "t"}},
		{name: "ftp URL", cfg: Config{BaseURL: "ftp://x.example", Token: "t"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := New(tc.cfg); err == nil {
				t.Error("New() succeeded, want an error")
			}
		})
	}
	if _, err := New(Config{Token: "t"}); err != nil {
		t.Errorf("New with the default base URL: %v", err)
	}
}

func TestClientSendsBearerAndUserAgent(t *testing.T) {
	t.Parallel()
	type seen struct{ method, path, auth, ua, ct string }
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.UserAgent(), r.Header.Get("Content-Type")})
		mu.Unlock()
		switch r.URL.Path {
		case "/wf/fetch_project":
			writeJSON(w, 200, `{"data":{"customerFirstName":"Jane"},"id":"p1"}`)
		default:
			writeJSON(w, 200, `{"success":true,"message":"ok","data":{"project_id":"p1","new_status":"Install"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL+"/wf/")
	ctx := t.Context()
	if _, err := c.GetProject(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateStage(ctx, "p1", "Install"); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("server saw %d requests, want 2", len(got))
	}
	for _, s := range got {
		t.Run(s.method+" "+s.path, func(t *testing.T) {
			if s.auth != "Bearer t" {
				t.Errorf("Authorization = %q, want %q", s.auth, "Bearer t")
			}
			if s.ua != "terraform-provider-pipesolar/test" {
				t.Errorf("User-Agent = %q", s.ua)
			}
			if s.ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", s.ct)
			}
		})
	}
}

func TestGetProjectNotFound(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{name: "404", status: 404, body: `{"message":"Not Found"}`},
		{name: "404 empty body", status: 404, body: ``},
		{name: "400 not found", status: 400, body: `{"statusCode":400,"body":{"status":"NOT_FOUND","message":"Project not found"}}`},
		{name: "400 plain message", status: 400, body: `{"message":"project does not exist"}`},
		{name: "200 data null", status: 200, body: `{"data":null,"id":"gone"}`},
		{name: "200 data empty", status: 200, body: `{"data":{}}`},
		{name: "200 envelope data null", status: 200, body: `{"status":"success","response":{"data":null}}`},
		{name: "200 success false not found", status: 200, body: `{"success":false,"message":"Project not found"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var h hits
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.add(r.URL.Path)
				if r.URL.Query().Get("id") != "gone" {
					t.Errorf("id = %q", r.URL.Query().Get("id"))
				}
				writeJSON(w, tc.status, tc.body)
			}))
			t.Cleanup(srv.Close)
			p, err := newTestClient(t, srv.URL).GetProject(t.Context(), "gone")
			if err == nil {
				t.Fatalf("GetProject() = %+v, want an error", p)
			}
			if !transport.IsNotFound(err) {
				t.Errorf("IsNotFound(%v) = false", err)
			}
			if n := h.get(EndpointFetchProject); n != 1 {
				t.Errorf("fetch_project requested %d times, want 1", n)
			}
		})
	}
}

func TestGetProjectErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		answers   []func(w http.ResponseWriter)
		wantErr   bool
		wantKind  transport.Kind
		wantCount int
	}{
		{name: "500 then 200 is retried", answers: []func(http.ResponseWriter){
			func(w http.ResponseWriter) { writeJSON(w, 500, `{"message":"boom"}`) },
			func(w http.ResponseWriter) { writeJSON(w, 200, `{"data":{"customerFirstName":"Jane"},"id":"p1"}`) },
		}, wantCount: 2},
		{name: "401 is not retried and not not-found", answers: []func(http.ResponseWriter){
			func(w http.ResponseWriter) { writeJSON(w, 401, `{"message":"Invalid API token"}`) },
		}, wantErr: true, wantKind: transport.KindUnauthorized, wantCount: 1},
		{name: "garbage 200 is an error, not not-found", answers: []func(http.ResponseWriter){
			func(w http.ResponseWriter) { writeJSON(w, 200, `<html><title>Maintenance</title></html>`) },
		}, wantErr: true, wantKind: transport.KindUnknown, wantCount: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1))
				tc.answers[min(i, len(tc.answers))-1](w)
			}))
			t.Cleanup(srv.Close)
			p, err := newTestClient(t, srv.URL).GetProject(t.Context(), "p1")
			if int(n.Load()) != tc.wantCount {
				t.Errorf("server saw %d requests, want %d", n.Load(), tc.wantCount)
			}
			if !tc.wantErr {
				if err != nil || p.Text("customerFirstName") != "Jane" || p.ID != "p1" {
					t.Fatalf("GetProject() = %+v, %v", p, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("GetProject() = %+v, want an error", p)
			}
			if transport.IsNotFound(err) || transport.KindOf(err) != tc.wantKind {
				t.Errorf("error %v: kind %v, want %v", err, transport.KindOf(err), tc.wantKind)
			}
		})
	}
}

// listServer serves pages[page-1] for page=1.., and answerFor beyond the
// last page; it records the pages asked for.
type listServer struct {
	mu    sync.Mutex
	pages []string
	asked []string
}

func (l *listServer) handler(t *testing.T, wantKey, wantValue string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get(wantKey) != wantValue {
			t.Errorf("%s = %q, want %q", wantKey, q.Get(wantKey), wantValue)
		}
		l.mu.Lock()
		l.asked = append(l.asked, q.Get("page"))
		l.mu.Unlock()
		page, err := strconv.Atoi(q.Get("page"))
		if err != nil || page < 1 {
			t.Errorf("page = %q", q.Get("page"))
			writeJSON(w, 400, `{"message":"bad page"}`)
			return
		}
		writeJSON(w, 200, l.pages[min(page, len(l.pages))-1])
	}
}

func TestListProjectsPaging(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		filter    ListFilter
		pages     []string // the last one repeats for later pages
		wantIDs   []string
		wantPages []string
	}{
		{
			name:   "stops on an empty page",
			filter: ListFilter{OrgID: "org-1"},
			pages: []string{
				`{"data":[{"id":"a"},{"id":"b"}]}`,
				`{"data":[{"id":"c"},{"id":"d"}]}`,
				`{"data":[]}`,
			},
			wantIDs: []string{"a", "b", "c", "d"}, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "server ignoring page: exactly 2 requests",
			filter:    ListFilter{OrgID: "org-1"},
			pages:     []string{`[{"id":"a"},{"id":"b"}]`},
			wantIDs:   []string{"a", "b"},
			wantPages: []string{"1", "2"},
		},
		{
			name:   "remaining counts down to 0: one request per page",
			filter: ListFilter{OrgID: "org-1"},
			pages: []string{
				`{"status":"success","response":{"results":[{"_id":"a"}],"remaining":2,"count":1}}`,
				`{"status":"success","response":{"results":[{"_id":"b"}],"remaining":1,"count":1}}`,
				`{"status":"success","response":{"results":[{"_id":"c"}],"remaining":0,"count":1}}`,
				`{"status":"success","response":{"results":[{"_id":"never"}],"remaining":0,"count":1}}`,
			},
			wantIDs: []string{"a", "b", "c"}, wantPages: []string{"1", "2", "3"},
		},
		{
			name:   "remaining as a string",
			filter: ListFilter{OrgID: "org-1"},
			pages: []string{
				`{"projects":[{"id":"a"}],"remaining":"0"}`,
				`{"projects":[{"id":"never"}]}`,
			},
			wantIDs: []string{"a"}, wantPages: []string{"1"},
		},
		{
			name:   "total reached",
			filter: ListFilter{OrgID: "org-1"},
			pages: []string{
				`{"data":{"projects":[{"id":"a"},{"id":"b"}],"total":3}}`,
				`{"data":{"projects":[{"id":"c"}],"total":3}}`,
				`{"data":{"projects":[{"id":"never"}],"total":3}}`,
			},
			wantIDs: []string{"a", "b", "c"}, wantPages: []string{"1", "2"},
		},
		{
			name:   "duplicates across pages are returned once",
			filter: ListFilter{InstallerID: "inst-9"},
			pages: []string{
				`[{"id":"a"},{"id":"b"}]`,
				`[{"id":"b"},{"id":"c"},{"project_id":"a"}]`,
				`[]`,
			},
			wantIDs: []string{"a", "b", "c"}, wantPages: []string{"1", "2", "3"},
		},
		{
			name:      "empty first page",
			filter:    ListFilter{OrgID: "org-1"},
			pages:     []string{`{"results":[]}`},
			wantIDs:   nil,
			wantPages: []string{"1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ls := &listServer{pages: tc.pages}
			key, value, path := "org_id", tc.filter.OrgID, EndpointListByOrg
			if tc.filter.InstallerID != "" {
				key, value, path = "installer_id", tc.filter.InstallerID, EndpointListByInstaller
			}
			mux := http.NewServeMux()
			mux.Handle(path, ls.handler(t, key, value))
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			got, err := newTestClient(t, srv.URL).ListProjects(t.Context(), tc.filter)
			if err != nil {
				t.Fatalf("ListProjects() error = %v", err)
			}
			if gotIDs := ids(got); !reflect.DeepEqual(gotIDs, tc.wantIDs) && (len(gotIDs) != 0 || len(tc.wantIDs) != 0) {
				t.Errorf("ids = %q, want %q", gotIDs, tc.wantIDs)
			}
			ls.mu.Lock()
			defer ls.mu.Unlock()
			// Pages known to exist are requested together, in any order.
			if asked := slices.Sorted(slices.Values(ls.asked)); !reflect.DeepEqual(asked, tc.wantPages) {
				t.Errorf("pages requested = %q, want %q", ls.asked, tc.wantPages)
			}
		})
	}
}

// When a page says how many remain, the pages after page 2 are requested
// together (up to listReadAhead), and still handed over in order.
func TestListProjectsReadsAhead(t *testing.T) {
	t.Parallel()
	const pages = 7
	sixthAsked := make(chan struct{})
	var mu sync.Mutex
	var asked []int
	mux := http.NewServeMux()
	mux.HandleFunc(EndpointListByOrg, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		mu.Lock()
		asked = append(asked, page)
		mu.Unlock()
		switch page {
		case 6:
			close(sixthAsked)
		case 3:
			// Page 3 is answered only once page 6 was asked for: a
			// listing that reads one page at a time would wait here until
			// its request timed out.
			select {
			case <-sixthAsked:
			case <-r.Context().Done():
				return
			}
		}
		writeJSON(w, 200, fmt.Sprintf(`{"data":[{"id":"p%d"}],"remaining":%d}`, page, max(pages-page, 0)))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	got, err := newTestClient(t, srv.URL).ListProjects(t.Context(), ListFilter{OrgID: "org-1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"p1", "p2", "p3", "p4", "p5", "p6", "p7"}
	if !reflect.DeepEqual(ids(got), want) {
		t.Errorf("ids = %q, want %q", ids(got), want)
	}
	mu.Lock()
	defer mu.Unlock()
	if sorted := slices.Sorted(slices.Values(asked)); !slices.Equal(sorted, []int{1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("pages requested = %v, want each of 1 to %d once", asked, pages)
	}
}

func TestListProjectsErrors(t *testing.T) {
	t.Parallel()
	t.Run("filter error sends nothing", func(t *testing.T) {
		t.Parallel()
		c := newTestClient(t, "http://127.0.0.1:1")
		if _, err := c.ListProjects(t.Context(), ListFilter{}); err == nil {
			t.Error("want an error")
		}
	})
	t.Run("error on page 2", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "1" {
				writeJSON(w, 200, `[{"id":"a"}]`)
				return
			}
			writeJSON(w, 403, `{"message":"not your org"}`)
		}))
		t.Cleanup(srv.Close)
		_, err := newTestClient(t, srv.URL).ListProjects(t.Context(), ListFilter{OrgID: "o"})
		if transport.KindOf(err) != transport.KindForbidden {
			t.Errorf("error = %v, want forbidden", err)
		}
	})
	t.Run("undecodable page names the page", func(t *testing.T) {
		t.Parallel()
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 200, `{"message":"no list here"}`)
		}))
		t.Cleanup(srv.Close)
		_, err := newTestClient(t, srv.URL).ListProjects(t.Context(), ListFilter{OrgID: "o"})
		if err == nil || !strings.Contains(err.Error(), "page 1") {
			t.Errorf("error = %v, want one naming page 1", err)
		}
	})
}

// fakeOrg is a tiny pipe.solar: create_project stores projects of one org
// and fetch_all_project lists them (one page, remaining 0).
type fakeOrg struct {
	t        *testing.T
	mu       sync.Mutex
	stored   []map[string]string
	creates  int
	lists    int
	nextID   int
	onCreate func(n int, id string) (status int, body string, store, drop bool)
}

// store keeps a create_project body (decoded with UseNumber) as the org's
// listing shows it.
func (f *fakeOrg) store(body map[string]any, id string) {
	member := func(k string) string {
		switch v := body[k].(type) {
		case string:
			return v
		case json.Number:
			return string(v)
		case nil:
			return ""
		default:
			f.t.Errorf("create_project member %s = %#v, want a string or a number", k, v)
			return ""
		}
	}
	f.stored = append(f.stored, map[string]string{
		"_id":               id,
		"customerFirstName": strings.TrimSpace(member("first_name")),
		"customerLastName":  strings.TrimSpace(member("last_name")),
		"customerEmail":     strings.ToLower(strings.TrimSpace(member("email"))),
		"customerAddress":   strings.TrimSpace(member("address")),
		"systemSize":        twoDecimals(member("system_size")),
		"contractPrice":     withCommas(member("system_cost")),
	})
}

// twoDecimals writes n as the API does ("8.5" → "8.50").
func twoDecimals(n string) string {
	if n == "" {
		return ""
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return n
	}
	return strconv.FormatFloat(f, 'f', 2, 64)
}

// withCommas writes "18450.01" as "18,450.01".
func withCommas(n string) string {
	if n == "" {
		return ""
	}
	intPart, frac, _ := strings.Cut(n, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String()
}

func (f *fakeOrg) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case EndpointCreateProject:
		if r.Method != http.MethodPost {
			f.t.Errorf("create_project method %s", r.Method)
		}
		var in map[string]any
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&in); err != nil {
			f.t.Errorf("create_project body: %v", err)
		}
		f.mu.Lock()
		f.creates++
		f.nextID++
		id := fmt.Sprintf("1700000000000x%d", f.nextID)
		status, body, store, drop := f.onCreate(f.creates, id)
		if store {
			f.store(in, id)
		}
		f.mu.Unlock()
		if drop {
			dropConnection(f.t, w)
			return
		}
		w.Header().Set("Retry-After", "0")
		writeJSON(w, status, body)
	case EndpointListByOrg:
		if got := r.URL.Query().Get("org_id"); got != "org-1" {
			f.t.Errorf("org_id = %q", got)
		}
		f.mu.Lock()
		f.lists++
		items := f.stored
		if r.URL.Query().Get("page") != "1" {
			items = nil
		}
		b, _ := json.Marshal(map[string]any{"status": "success", "response": map[string]any{"results": items, "remaining": 0, "count": len(items)}})
		f.mu.Unlock()
		writeJSON(w, 200, string(b))
	default:
		f.t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(404)
	}
}

func (f *fakeOrg) counts() (creates, lists int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.creates, f.lists
}

func createInput() createFields {
	in := baseInput()
	in.SystemSize = json.Number("8.5")
	in.SystemCost = json.Number("18450.01")
	return in
}

func TestCreateProject(t *testing.T) {
	t.Parallel()
	other := map[string]string{"_id": "other-1", "customerFirstName": "John", "customerLastName": "Roe",
		"customerEmail": "john@example.com", "customerAddress": "9 Elm St", "systemSize": "5.00"}
	twin := func(id string) map[string]string {
		return map[string]string{"_id": id, "customerFirstName": "Jane", "customerLastName": "Doe",
			"customerEmail": "jane.doe@example.com", "customerAddress": "1 Main St, Austin, TX 78701",
			"systemSize": "8.50", "contractPrice": "18,450.01"}
	}
	type result struct {
		id  string
		err error
	}
	tests := []struct {
		name        string
		preexisting []map[string]string
		onCreate    func(n int, id string) (int, string, bool, bool)
		wantCreates int
		wantLists   int
		check       func(t *testing.T, f *fakeOrg, r result)
	}{
		{
			name: "id in the envelope: one request, no listing",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 200, `{"status":"success","response":{"project_id":"` + id + `"}}`, true, false
			},
			wantCreates: 1, wantLists: 0,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x1" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name: "numeric id at the top level",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 200, `{"id":1700000000000}`, true, false
			},
			wantCreates: 1, wantLists: 0,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name:        "no id: adopts the single match from the org list",
			preexisting: []map[string]string{other},
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 200, `{"success":true,"message":"Project created"}`, true, false
			},
			wantCreates: 1, wantLists: 1,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x1" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name:        "no id and two matches: ambiguous, tells how to import",
			preexisting: []map[string]string{twin("old-twin"), other},
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 200, `{"success":true}`, true, false
			},
			wantCreates: 1, wantLists: 1,
			check: func(t *testing.T, f *fakeOrg, r result) {
				var amb *AmbiguousCreateError
				if !errors.As(r.err, &amb) {
					t.Fatalf("error = %v (%T), want *AmbiguousCreateError", r.err, r.err)
				}
				if len(amb.Candidates) != 2 || amb.OrgID != "org-1" {
					t.Errorf("AmbiguousCreateError = %+v", amb)
				}
				msg := r.err.Error()
				for _, want := range []string{"import", "old-twin", "1700000000000x1", "org-1"} {
					if !strings.Contains(msg, want) {
						t.Errorf("message does not mention %q: %s", want, msg)
					}
				}
			},
		},
		{
			name: "no id and no match: error, no second create",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 200, `{"success":true}`, false, false
			},
			wantCreates: 1, wantLists: 1,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err == nil || !strings.Contains(r.err.Error(), "import") {
					t.Errorf("error = %v, want one that says to import", r.err)
				}
			},
		},
		{
			name:        "500 but stored: adopted via the list, one create",
			preexisting: []map[string]string{other},
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 500, `{"message":"workflow timed out"}`, true, false
			},
			wantCreates: 1, wantLists: 1,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x1" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name: "502 then 200 with nothing stored: create retried",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				if n == 1 {
					return 502, `<html><title>502 Bad Gateway</title></html>`, false, false
				}
				return 200, `{"project_id":"` + id + `"}`, true, false
			},
			wantCreates: 2, wantLists: 1,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x2" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
				if len(f.stored) != 1 {
					t.Errorf("%d projects stored, want 1", len(f.stored))
				}
			},
		},
		{
			name: "500 always, nothing stored: gives up saying nothing was created",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 500, `{"message":"boom"}`, false, false
			},
			wantCreates: 4, wantLists: 4,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err == nil || !strings.Contains(r.err.Error(), "nothing was created") {
					t.Errorf("error = %v", r.err)
				}
			},
		},
		{
			name: "dropped connection but stored: adopted",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 0, ``, true, true
			},
			wantCreates: 1, wantLists: 1,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x1" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name: "503 with Retry-After 0: retried by the transport",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				if n == 1 {
					return 503, `{"message":"busy"}`, false, false
				}
				return 200, `{"data":{"id":"` + id + `"}}`, true, false
			},
			wantCreates: 2, wantLists: 0,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x2" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name: "429 twice then 200",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				if n <= 2 {
					return 429, `{"message":"rate limited"}`, false, false
				}
				return 200, `{"id":"` + id + `"}`, true, false
			},
			wantCreates: 3, wantLists: 0,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err != nil || r.id != "1700000000000x3" {
					t.Errorf("CreateProject() = %q, %v", r.id, r.err)
				}
			},
		},
		{
			name: "400 validation: not retried, not reconciled",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 400, `{"statusCode":400,"body":{"status":"MISSING_DATA","message":"Missing parameter org_id"}}`, false, false
			},
			wantCreates: 1, wantLists: 0,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if transport.KindOf(r.err) != transport.KindValidation || !strings.Contains(r.err.Error(), "Missing parameter org_id") {
					t.Errorf("error = %v", r.err)
				}
			},
		},
		{
			name: "200 with success false: error, not reconciled",
			onCreate: func(n int, id string) (int, string, bool, bool) {
				return 200, `{"success":false,"message":"email already used"}`, false, false
			},
			wantCreates: 1, wantLists: 0,
			check: func(t *testing.T, f *fakeOrg, r result) {
				if r.err == nil || !strings.Contains(r.err.Error(), "email already used") {
					t.Errorf("error = %v", r.err)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeOrg{t: t, onCreate: tc.onCreate}
			f.stored = append(f.stored, tc.preexisting...)
			srv := httptest.NewServer(f)
			t.Cleanup(srv.Close)
			id, err := newTestClient(t, srv.URL).CreateProject(t.Context(), createInput().input())
			creates, lists := f.counts()
			if creates != tc.wantCreates {
				t.Errorf("create_project requests = %d, want %d", creates, tc.wantCreates)
			}
			if lists != tc.wantLists {
				t.Errorf("fetch_all_project requests = %d, want %d", lists, tc.wantLists)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			tc.check(t, f, result{id, err})
		})
	}
}

func TestCreateProjectSendsTheDocumentedBody(t *testing.T) {
	t.Parallel()
	got := make(chan map[string]any, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Errorf("body: %v", err)
		}
		got <- m
		writeJSON(w, 200, `{"id":"new"}`)
	}))
	t.Cleanup(srv.Close)
	in := createInput()
	in.SystemCost = "18450.01"
	in.TermYears = "25"
	in.Adders = []string{"Critter Guard"}
	if _, err := newTestClient(t, srv.URL).CreateProject(t.Context(), in.input()); err != nil {
		t.Fatal(err)
	}
	m := <-got
	if m["system_cost"] != json.Number("18450.01") || m["system_size"] != json.Number("8.5") {
		t.Errorf("numbers = %v, %v; want JSON numbers written exactly", m["system_cost"], m["system_size"])
	}
	if m["term_years"] != "25" || m["org_id"] != "org-1" || m["first_name"] != "Jane" {
		t.Errorf("body = %v", m)
	}
	if !reflect.DeepEqual(m["adders"], []any{"Critter Guard"}) {
		t.Errorf("adders = %#v, want [Critter Guard]", m["adders"])
	}
	if _, ok := m["apr"]; ok {
		t.Errorf("unset optional apr was sent: %v", m)
	}
}

func TestCreateActivity(t *testing.T) {
	t.Parallel()
	in := ActivityInput{ProjectID: "12345", InstallerID: "abc", Notes: "Called the customer"}
	tests := []struct {
		name          string
		answers       []func(t *testing.T, w http.ResponseWriter)
		wantRequests  int
		wantID        string
		wantAmbiguous bool
		wantErrText   []string
	}{
		{
			name: "success without an activity id",
			answers: []func(*testing.T, http.ResponseWriter){func(t *testing.T, w http.ResponseWriter) {
				writeJSON(w, 200, `{"success":true,"message":"Activity created","data":{"project_id":"12345","installer_id":"abc"}}`)
			}},
			wantRequests: 1, wantID: "",
		},
		{
			name: "success with an activity id",
			answers: []func(*testing.T, http.ResponseWriter){func(t *testing.T, w http.ResponseWriter) {
				writeJSON(w, 200, `{"success":true,"data":{"id":"act-9","project_id":"12345"}}`)
			}},
			wantRequests: 1, wantID: "act-9",
		},
		{
			name: "500: ambiguous, exactly one request",
			answers: []func(*testing.T, http.ResponseWriter){
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 500, `{"message":"internal"}`) },
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `{"success":true}`) },
			},
			wantRequests: 1, wantAmbiguous: true,
			wantErrText: []string{"may have reached", "/create_activity", "activity log"},
		},
		{
			name: "504: ambiguous, exactly one request",
			answers: []func(*testing.T, http.ResponseWriter){
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 504, ``) },
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `{"success":true}`) },
			},
			wantRequests: 1, wantAmbiguous: true, wantErrText: []string{"may have reached"},
		},
		{
			name: "dropped connection: ambiguous, exactly one request",
			answers: []func(*testing.T, http.ResponseWriter){
				func(t *testing.T, w http.ResponseWriter) { dropConnection(t, w) },
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `{"success":true}`) },
			},
			wantRequests: 1, wantAmbiguous: true, wantErrText: []string{"may have reached", "create_activity"},
		},
		{
			name: "503 then 200: retried",
			answers: []func(*testing.T, http.ResponseWriter){
				func(t *testing.T, w http.ResponseWriter) {
					w.Header().Set("Retry-After", "0")
					writeJSON(w, 503, `{"message":"busy"}`)
				},
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `{"success":true}`) },
			},
			wantRequests: 2,
		},
		{
			name: "429 then 200: retried",
			answers: []func(*testing.T, http.ResponseWriter){
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 429, `{"message":"slow down"}`) },
				func(t *testing.T, w http.ResponseWriter) { writeJSON(w, 200, `{"success":true}`) },
			},
			wantRequests: 2,
		},
		{
			name: "200 with success false: plain error",
			answers: []func(*testing.T, http.ResponseWriter){func(t *testing.T, w http.ResponseWriter) {
				writeJSON(w, 200, `{"success":false,"message":"installer not in org"}`)
			}},
			wantRequests: 1, wantErrText: []string{"installer not in org"},
		},
		{
			name: "400: plain error",
			answers: []func(*testing.T, http.ResponseWriter){func(t *testing.T, w http.ResponseWriter) {
				writeJSON(w, 400, `{"message":"notes required"}`)
			}},
			wantRequests: 1, wantErrText: []string{"notes required"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1))
				if r.URL.Path != EndpointCreateActivity || r.Method != http.MethodPost {
					t.Errorf("request %s %s", r.Method, r.URL.Path)
				}
				var body ActivityInput
				if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body != in {
					t.Errorf("body = %+v, %v", body, err)
				}
				tc.answers[min(i, len(tc.answers))-1](t, w)
			}))
			t.Cleanup(srv.Close)
			id, err := newTestClient(t, srv.URL).CreateActivity(t.Context(), in)
			if got := int(n.Load()); got != tc.wantRequests {
				t.Errorf("server saw %d requests, want %d", got, tc.wantRequests)
			}
			wantErr := tc.wantAmbiguous || len(tc.wantErrText) > 0
			if !wantErr {
				if err != nil || id != tc.wantID {
					t.Errorf("CreateActivity() = %q, %v; want %q", id, err, tc.wantID)
				}
				return
			}
			if err == nil {
				t.Fatalf("CreateActivity() = %q, want an error", id)
			}
			var amb *AmbiguousWriteError
			if errors.As(err, &amb) != tc.wantAmbiguous {
				t.Errorf("error %v: ambiguous = %v, want %v", err, !tc.wantAmbiguous, tc.wantAmbiguous)
			}
			for _, s := range tc.wantErrText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error does not mention %q: %v", s, err)
				}
			}
			if strings.Contains(err.Error(), "Bearer") {
				t.Errorf("error leaks the token header: %v", err)
			}
		})
	}
}

func TestUploadFilesNotRetriedAfterReachingServer(t *testing.T) {
	t.Parallel()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		writeJSON(w, 502, `bad gateway`)
	}))
	t.Cleanup(srv.Close)
	err := newTestClient(t, srv.URL).UploadFiles(t.Context(), UploadFilesInput{FileURLs: []string{"https://f/1"}, ProjectID: "p", FolderID: "surveyFiles"})
	var amb *AmbiguousWriteError
	if !errors.As(err, &amb) || !strings.Contains(err.Error(), "may have reached") || !strings.Contains(err.Error(), EndpointUploadFile) {
		t.Errorf("error = %v, want *AmbiguousWriteError naming the endpoint", err)
	}
	if n.Load() != 1 {
		t.Errorf("server saw %d requests, want 1", n.Load())
	}
}

func TestUpdateStage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		statuses  []int
		body      string
		want      string
		wantErr   bool
		wantCount int
	}{
		{name: "500 then 200: retried", statuses: []int{500, 200}, body: `{"success":true,"message":"ok","data":{"project_id":"p1","new_status":"Install Scheduled"}}`, want: "Install Scheduled", wantCount: 2},
		{name: "502, 504 then 200", statuses: []int{502, 504, 200}, body: `{"success":true}`, want: "Install", wantCount: 3},
		{name: "dropped then 200", statuses: []int{0, 200}, body: `{"success":true}`, want: "Install", wantCount: 2},
		{name: "500 always: gives up", statuses: []int{500}, body: `{"message":"boom"}`, wantErr: true, wantCount: 4},
		{name: "success false", statuses: []int{200}, body: `{"success":false,"message":"unknown stage"}`, wantErr: true, wantCount: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1))
				q := r.URL.Query()
				if r.Method != http.MethodPost || r.URL.Path != EndpointUpdateStage || q.Get("id") != "p1" || q.Get("project_stage_name") != "Install" {
					t.Errorf("request %s %s", r.Method, r.URL)
				}
				status := tc.statuses[min(i, len(tc.statuses))-1]
				if status == 0 {
					dropConnection(t, w)
					return
				}
				body := tc.body
				if status != 200 {
					body = `{"message":"server error"}`
				}
				writeJSON(w, status, body)
			}))
			t.Cleanup(srv.Close)
			got, err := newTestClient(t, srv.URL).UpdateStage(t.Context(), "p1", "Install")
			if int(n.Load()) != tc.wantCount {
				t.Errorf("server saw %d requests, want %d", n.Load(), tc.wantCount)
			}
			if tc.wantErr {
				if err == nil {
					t.Errorf("UpdateStage() = %q, want an error", got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("UpdateStage() = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
