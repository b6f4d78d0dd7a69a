package mockapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The schemas below are transcribed from pipe-api-migration/openapi.json
// (Pipe API v1, components.schemas): for each object, the keys its
// `required` list names and each key's type. Optional keys the mock sends
// are checked too where they carry a type.

type schema interface {
	check(path string, v any, errs *[]string)
}

// leaf is a scalar of one of types ("string", "number", "boolean", "null"),
// optionally limited to enum values.
type leaf struct {
	types []string
	enum  []string
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func (l leaf) check(path string, v any, errs *[]string) {
	if !slices.Contains(l.types, jsonType(v)) {
		*errs = append(*errs, fmt.Sprintf("%s: %s, want %s", path, jsonType(v), strings.Join(l.types, "|")))
		return
	}
	if s, ok := v.(string); ok && l.enum != nil && !slices.Contains(l.enum, s) {
		*errs = append(*errs, fmt.Sprintf("%s: %q not in %v", path, s, l.enum))
	}
}

// object requires every key of req; nullable allows null.
type object struct {
	req      map[string]schema
	opt      map[string]schema
	nullable bool
}

func (o object) check(path string, v any, errs *[]string) {
	if v == nil && o.nullable {
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, fmt.Sprintf("%s: %s, want object", path, jsonType(v)))
		return
	}
	for _, k := range slices.Sorted(maps.Keys(o.req)) {
		val, has := m[k]
		if !has {
			*errs = append(*errs, fmt.Sprintf("%s.%s: required key missing", path, k))
			continue
		}
		o.req[k].check(path+"."+k, val, errs)
	}
	for k, sc := range o.opt {
		if val, has := m[k]; has {
			sc.check(path+"."+k, val, errs)
		}
	}
}

type arrayOf struct {
	item     schema
	nullable bool
}

func (a arrayOf) check(path string, v any, errs *[]string) {
	if v == nil && a.nullable {
		return
	}
	l, ok := v.([]any)
	if !ok {
		*errs = append(*errs, fmt.Sprintf("%s: %s, want array", path, jsonType(v)))
		return
	}
	for i, e := range l {
		a.item.check(fmt.Sprintf("%s[%d]", path, i), e, errs)
	}
}

// mapOf is an object whose values all match val (additionalProperties).
type mapOf struct{ val schema }

func (m mapOf) check(path string, v any, errs *[]string) {
	o, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, fmt.Sprintf("%s: %s, want object", path, jsonType(v)))
		return
	}
	for k, e := range o {
		m.val.check(path+"."+k, e, errs)
	}
}

var (
	tS   = leaf{types: []string{"string"}}
	tSN  = leaf{types: []string{"string", "null"}}
	tN   = leaf{types: []string{"number"}}
	tNN  = leaf{types: []string{"number", "null"}}
	tB   = leaf{types: []string{"boolean"}}
	line = leaf{types: []string{"string"}, enum: []string{"solar", "hi"}}

	sCustomer = object{req: map[string]schema{"firstName": tSN, "lastName": tSN, "email": tSN, "phone": tSN}}
	sAddress  = object{req: map[string]schema{"line1": tSN, "line2": tSN, "city": tSN, "state": tSN, "postalCode": tSN, "country": tSN}}
	sStageRef = object{req: map[string]schema{"id": tSN, "name": tSN, "enteredAt": tSN}}
	sPerson   = object{nullable: true, req: map[string]schema{"name": tSN, "email": tSN, "phone": tSN}}
	sDesign   = object{nullable: true, req: map[string]schema{"name": tSN, "scaniflyProjectId": tSN, "scaniflyDesignId": tSN, "soldScaniflyDesignId": tSN}}
	sSource   = object{req: map[string]schema{"name": tSN, "subSource": tSN}}
	sFinance  = object{req: map[string]schema{
		"type": leaf{types: []string{"string"}, enum: []string{"cash", "loan", "lease", "ppa"}}, "lender": tSN, "amount": tNN,
		"aprPercent": tNN, "termMonths": tNN, "monthlyPayment": tNN, "dealerFeePercent": tNN, "escalatorPercent": tNN,
	}}
	sPanels    = object{req: map[string]schema{"count": tNN, "manufacturer": tSN, "model": tSN}}
	sInverters = object{req: map[string]schema{"count": tNN, "manufacturer": tSN, "model": tSN, "name": tSN, "microinverter": tB}}
	sBatteries = object{nullable: true, req: map[string]schema{"count": tNN, "manufacturer": tSN, "model": tSN, "capacityKwh": tNN}}
	sPPW       = object{req: map[string]schema{"base": tNN, "final": tNN}}
	sAdderLine = arrayOf{item: object{req: map[string]schema{"name": tS, "quantity": tN, "total": tNN}}}
	sFiles     = mapOf{val: arrayOf{item: tS}}

	sProjectRow = object{req: map[string]schema{
		"id": tS, "reference": tSN, "leadId": tS, "productLine": line, "stage": sStageRef, "soldAt": tSN,
		"updatedAt": tSN, "ntpGranted": tB, "customer": sCustomer, "address": sAddress,
	}}
	sProject = object{req: map[string]schema{
		"id": tS, "reference": tSN, "leadId": tS, "productLine": line, "stage": sStageRef, "soldAt": tSN,
		"updatedAt": tSN, "ntpGranted": tB, "customer": sCustomer,
		"coBorrower": object{nullable: true, req: sCustomer.req}, "address": sAddress, "meterNumber": tSN,
		"notes": object{req: map[string]schema{"customer": tSN, "project": tSN}}, "source": sSource,
		"partnerLeadId": tSN, "utility": object{req: map[string]schema{"name": tSN}}, "design": sDesign,
		"company":  object{nullable: true, req: map[string]schema{"name": tS}},
		"salesRep": sPerson, "setter": sPerson, "projectManager": sPerson, "siteSurveyor": sPerson, "subcontractor": sPerson,
		"contract":  object{req: map[string]schema{"signedAt": tSN, "price": tNN, "salesTax": tNN, "priceBeforeTax": tNN, "files": arrayOf{item: tS}}},
		"financing": sFinance,
		"system": object{nullable: true, req: map[string]schema{
			"roofType": tSN, "sizeKw": tNN, "annualProductionKwh": tNN, "panels": sPanels, "inverters": sInverters,
			"batteries": sBatteries, "pricePerWatt": sPPW, "adders": sAdderLine,
		}},
		"products":     arrayOf{nullable: true, item: object{req: map[string]schema{"name": tS, "price": tNN}}},
		"milestones":   mapOf{val: tS},
		"customFields": mapOf{val: leaf{types: []string{"string", "number", "boolean"}}},
		"files":        sFiles,
		"links":        object{req: map[string]schema{"project": tS, "proposal": tSN}},
	}}
	sLead = object{req: map[string]schema{
		"id": tS, "reference": tSN, "productLine": line, "status": tS, "archived": tB, "createdAt": tSN, "updatedAt": tSN,
		"customer": sCustomer, "coBorrower": object{nullable: true, req: sCustomer.req}, "address": sAddress,
		"utility":    object{req: map[string]schema{"name": tSN, "monthlyBill": tNN, "meterNumber": tSN}},
		"source":     sSource,
		"externalId": tSN, "partnerLeadId": tSN, "notes": tSN, "salesRep": sPerson, "setter": sPerson,
		"project": object{nullable: true, req: map[string]schema{"id": tS, "reference": tSN, "soldAt": tSN}},
		"design":  sDesign,
		"proposal": object{nullable: true, req: map[string]schema{
			"id": tS, "reference": tS, "label": tSN, "status": tS,
			"system": object{nullable: true, req: map[string]schema{
				"sizeKw": tNN, "annualProductionKwh": tNN, "arrays": tNN, "panels": sPanels, "inverters": sInverters,
				"batteries": sBatteries, "pricePerWatt": sPPW,
			}},
			"price": object{nullable: true, req: map[string]schema{
				"total": tNN, "salesTax": tNN, "beforeTax": tNN, "adders": tNN, "discounts": tNN, "incentives": tNN, "net": tNN,
			}},
			"financing": sFinance, "adders": sAdderLine,
			"links": object{req: map[string]schema{"proposal": tSN}},
		}},
		"links": object{req: map[string]schema{"record": tS, "proposal": tSN}},
	}, opt: map[string]schema{"contractFiles": arrayOf{item: tS}, "files": sFiles}}
	sActivity = object{req: map[string]schema{
		"id": tS, "reference": tSN, "type": tS, "body": tS, "internal": tB, "customerFacing": tB,
		"replyTo": tSN, "author": tSN, "authorId": tSN, "createdAt": tSN,
	}}
	sStage = object{req: map[string]schema{
		"id": tS, "name": tS, "productLine": line, "position": tN,
		"kind": leaf{types: []string{"string"}, enum: []string{"normal", "onHold", "cancelled"}},
	}}
	sAdder = object{req: map[string]schema{
		"id": tS, "name": tS, "description": tSN, "productLine": line, "productKind": tSN, "unit": tS, "unitPrice": tN,
		"tiered": tB, "repSponsored": tB, "showOnProposal": tB, "brand": tSN, "model": tSN, "warrantyYears": tNN,
	}}
	sEquipment = object{req: map[string]schema{
		"id": tS, "kind": leaf{types: []string{"string"}, enum: []string{"panel", "inverter", "battery"}}, "manufacturer": tS, "model": tSN,
	}, opt: map[string]schema{
		"watts": tN, "default": tB, "ratedOutputWatts": tNN, "efficiencyPercent": tNN, "microinverter": tB,
		"capacityKwh": tNN, "continuousOutputWatts": tNN, "warrantyYears": tNN,
	}}
	sError = object{req: map[string]schema{"error": object{req: map[string]schema{
		"code":    leaf{types: []string{"string"}, enum: []string{"unauthorized", "forbidden", "not_open", "not_found", "invalid", "rate_limited", "internal", "unavailable"}},
		"message": tS, "docs": tS,
	}}}}

	page = func(item schema) schema {
		return object{req: map[string]schema{"data": arrayOf{item: item}, "next": tSN}}
	}
	list = func(item schema) schema { return object{req: map[string]schema{"data": arrayOf{item: item}}} }

	// successSchemas are each endpoint's 2xx answer.
	successSchemas = map[string]schema{
		EndpointMe: object{req: map[string]schema{
			"key":     object{req: map[string]schema{"name": tS, "prefix": tS}},
			"company": object{req: map[string]schema{"name": tS}},
		}},
		EndpointListProjects:   page(sProjectRow),
		EndpointGetProject:     sProject,
		EndpointPatchProject:   object{req: map[string]schema{"changed": tB}},
		EndpointListStages:     list(sStage),
		EndpointMoveStage:      object{req: map[string]schema{"changed": tB, "stage": tS, "stageId": tS}},
		EndpointAddFiles:       object{req: map[string]schema{"files": arrayOf{item: object{req: map[string]schema{"id": tS, "name": tS, "folder": tS, "added": tB}}}}},
		EndpointListLeads:      page(sLead),
		EndpointCreateLead:     object{req: map[string]schema{"leadId": tS, "created": tB, "unassigned": arrayOf{item: tS}}},
		EndpointGetLead:        sLead,
		EndpointPatchLead:      sLead,
		EndpointLeadActivities: page(sActivity),
		EndpointAdders:         list(sAdder),
		EndpointEquipment:      list(sEquipment),
	}

	// documented are the statuses openapi.json lists for each operation.
	documented = map[string][]int{
		EndpointMe:             {200, 401, 429},
		EndpointListProjects:   {200, 400, 401, 429},
		EndpointGetProject:     {200, 401, 404, 429},
		EndpointPatchProject:   {200, 400, 401, 404, 429},
		EndpointListStages:     {200, 400, 401, 403, 429},
		EndpointMoveStage:      {200, 400, 401, 404, 429},
		EndpointAddFiles:       {200, 201, 400, 401, 404, 429},
		EndpointListLeads:      {200, 400, 401, 429},
		EndpointCreateLead:     {200, 201, 400, 401, 429},
		EndpointGetLead:        {200, 401, 404, 429},
		EndpointPatchLead:      {200, 400, 401, 404, 429},
		EndpointLeadActivities: {200, 400, 401, 404, 429},
		EndpointAdders:         {200, 401, 403, 429},
		EndpointEquipment:      {200, 400, 401, 403, 429},
	}
)

// fixture is the data every contract case starts from.
type fixture struct {
	solar, hi, dealerProject, otherProject string
	solarRef, lead, otherLead, dealerLead  string
}

func newFixture(t *testing.T, s *Server) fixture {
	t.Helper()
	var f fixture
	f.solarRef = "1696SOLAR1"
	f.solar = seedP(t, s, ProjectSeed{
		Reference: f.solarRef, Stage: "permitting", InstallDate: "2026-12-14", NTPGranted: true,
		CustomFields: map[string]any{"HOA": "Sunny Acres", "Roof age": 12, "Trenching": false},
		Files:        map[string][]string{"permit": {"https://files.example.com/permit.pdf"}},
		Fields: map[string]any{
			"coBorrower": map[string]any{"firstName": "Luis", "lastName": "Rivera", "email": nil, "phone": nil},
			"system":     map[string]any{"batteries": map[string]any{"count": 2, "manufacturer": "Tesla", "model": "Powerwall 3", "capacityKwh": 13.5}},
		},
	})
	f.hi = seedP(t, s, ProjectSeed{ProductLine: "hi", Stage: "Scheduled"})
	f.dealerProject = seedP(t, s, ProjectSeed{Company: DefaultDealerName})
	f.otherProject = seedP(t, s, ProjectSeed{Company: "Someone Else Solar"})
	f.lead = seedL(t, s, LeadSeed{ExternalID: "crm-1", SalesRepEmail: "jordan@example.com", Notes: "first call"})
	if _, err := s.SeedActivity(f.lead, "Called the homeowner."); err != nil {
		t.Fatal(err)
	}
	f.otherLead = seedL(t, s, LeadSeed{Company: "Someone Else Solar"})
	f.dealerLead = seedL(t, s, LeadSeed{Company: DefaultDealerName})
	return f
}

// contractCase is one documented status of one endpoint and how to
// trigger it.
type contractCase struct {
	endpoint string
	status   int
	name     string
	// setup runs before the call (rate limits, earlier calls).
	setup func(t *testing.T, s *Server, f fixture)
	// call is the request: method and path come from the endpoint key
	// ({id} replaced by id); key "" sends none.
	key, id, query string
	body           any
	// code is the error code expected for an error status ("" = the
	// status's own).
	code string
}

func exhaust(t *testing.T, s *Server, f fixture) {
	s.SetRateLimit(RateLimit{Calls: 1})
	if r := v1(t, s, "GET", "/me", nil); r.status != 200 {
		t.Fatalf("first call: %d", r.status)
	}
}

func contractCases() []contractCase {
	lb := leadBody()
	return []contractCase{
		{endpoint: EndpointMe, status: 200, key: ikey},
		{endpoint: EndpointMe, status: 401, name: "no key"},
		{endpoint: EndpointMe, status: 401, name: "unknown key", key: "psk_0000000000000000000000000000000000000000"},
		{endpoint: EndpointMe, status: 429, key: ikey, setup: exhaust},

		{endpoint: EndpointListProjects, status: 200, key: ikey, query: "?limit=2"},
		{endpoint: EndpointListProjects, status: 200, name: "dealer", key: dkey},
		{endpoint: EndpointListProjects, status: 400, name: "limit 0", key: ikey, query: "?limit=0"},
		{endpoint: EndpointListProjects, status: 400, name: "limit 101", key: ikey, query: "?limit=101"},
		{endpoint: EndpointListProjects, status: 400, name: "bad cursor", key: ikey, query: "?cursor=xyz"},
		{endpoint: EndpointListProjects, status: 400, name: "bad updatedSince", key: ikey, query: "?updatedSince=yesterday"},
		{endpoint: EndpointListProjects, status: 400, name: "bad productLine", key: ikey, query: "?productLine=wind"},
		{endpoint: EndpointListProjects, status: 401},
		{endpoint: EndpointListProjects, status: 429, key: ikey, setup: exhaust},

		{endpoint: EndpointGetProject, status: 200, key: ikey, id: "solar"},
		{endpoint: EndpointGetProject, status: 200, name: "hi", key: ikey, id: "hi"},
		{endpoint: EndpointGetProject, status: 200, name: "by reference", key: ikey, id: "solarRef"},
		{endpoint: EndpointGetProject, status: 200, name: "dealer's own", key: dkey, id: "dealerProject"},
		{endpoint: EndpointGetProject, status: 401, id: "solar"},
		{endpoint: EndpointGetProject, status: 404, name: "unknown", key: ikey, id: "nope"},
		{endpoint: EndpointGetProject, status: 404, name: "another company's", key: ikey, id: "otherProject"},
		{endpoint: EndpointGetProject, status: 404, name: "installer's, dealer key", key: dkey, id: "solar"},
		{endpoint: EndpointGetProject, status: 429, key: ikey, id: "solar", setup: exhaust},

		{endpoint: EndpointPatchProject, status: 200, key: ikey, id: "solar", body: map[string]any{"installDate": nil, "ntpGranted": false}},
		{endpoint: EndpointPatchProject, status: 400, name: "unknown field", key: ikey, id: "solar", body: map[string]any{"installDate": "2026-12-01", "stage": "NTP"}},
		{endpoint: EndpointPatchProject, status: 400, name: "bad date", key: ikey, id: "solar", body: map[string]any{"installDate": "12/01/2026"}},
		{endpoint: EndpointPatchProject, status: 400, name: "dealer", key: dkey, id: "dealerProject", body: map[string]any{"ntpGranted": true}},
		{endpoint: EndpointPatchProject, status: 401, id: "solar", body: map[string]any{}},
		{endpoint: EndpointPatchProject, status: 404, key: ikey, id: "otherProject", body: map[string]any{"ntpGranted": true}},
		{endpoint: EndpointPatchProject, status: 429, key: ikey, id: "solar", body: map[string]any{}, setup: exhaust},

		{endpoint: EndpointListStages, status: 200, key: ikey},
		{endpoint: EndpointListStages, status: 200, name: "hi only", key: ikey, query: "?productLine=hi"},
		{endpoint: EndpointListStages, status: 400, key: ikey, query: "?productLine=wind"},
		{endpoint: EndpointListStages, status: 401},
		{endpoint: EndpointListStages, status: 403, key: dkey},
		{endpoint: EndpointListStages, status: 429, key: ikey, setup: exhaust},

		{endpoint: EndpointMoveStage, status: 200, key: ikey, id: "solar", body: map[string]any{"stage": "NTP"}},
		{endpoint: EndpointMoveStage, status: 200, name: "by id", key: ikey, id: "solarRef", body: map[string]any{"stageId": "stg_pto"}},
		{endpoint: EndpointMoveStage, status: 400, name: "both", key: ikey, id: "solar", body: map[string]any{"stage": "NTP", "stageId": "stg_ntp"}},
		{endpoint: EndpointMoveStage, status: 400, name: "neither", key: ikey, id: "solar", body: map[string]any{}},
		{endpoint: EndpointMoveStage, status: 400, name: "unknown name", key: ikey, id: "solar", body: map[string]any{"stage": "Signed"}},
		{endpoint: EndpointMoveStage, status: 400, name: "other ladder", key: ikey, id: "hi", body: map[string]any{"stage": "NTP"}},
		{endpoint: EndpointMoveStage, status: 400, name: "dealer", key: dkey, id: "dealerProject", body: map[string]any{"stage": "NTP"}},
		{endpoint: EndpointMoveStage, status: 401, id: "solar", body: map[string]any{"stage": "NTP"}},
		{endpoint: EndpointMoveStage, status: 404, key: ikey, id: "nope", body: map[string]any{"stage": "NTP"}},
		{endpoint: EndpointMoveStage, status: 429, key: ikey, id: "solar", body: map[string]any{"stage": "NTP"}, setup: exhaust},

		{endpoint: EndpointAddFiles, status: 201, key: ikey, id: "solar", body: map[string]any{"folder": "planset", "files": []any{map[string]any{"url": "https://files.example.com/plan.pdf", "name": "Plan.pdf"}}}},
		{endpoint: EndpointAddFiles, status: 200, name: "already there", key: ikey, id: "solar", body: map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "https://files.example.com/permit.pdf"}}}},
		{endpoint: EndpointAddFiles, status: 400, name: "http", key: ikey, id: "solar", body: map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "http://files.example.com/a.pdf"}}}},
		{endpoint: EndpointAddFiles, status: 400, name: "eleven", key: ikey, id: "solar", body: map[string]any{"folder": "permit", "files": slices.Repeat([]any{map[string]any{"url": "https://files.example.com/a.pdf"}}, 11)}},
		{endpoint: EndpointAddFiles, status: 400, name: "old folder", key: ikey, id: "solar", body: map[string]any{"folder": "permits", "files": []any{map[string]any{"url": "https://files.example.com/a.pdf"}}}},
		{endpoint: EndpointAddFiles, status: 400, name: "dealer", key: dkey, id: "dealerProject", body: map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "https://files.example.com/a.pdf"}}}},
		{endpoint: EndpointAddFiles, status: 401, id: "solar", body: map[string]any{}},
		{endpoint: EndpointAddFiles, status: 404, key: ikey, id: "nope", body: map[string]any{"folder": "permit", "files": []any{map[string]any{"url": "https://files.example.com/a.pdf"}}}},
		{endpoint: EndpointAddFiles, status: 429, key: ikey, id: "solar", body: map[string]any{}, setup: exhaust},

		{endpoint: EndpointListLeads, status: 200, key: ikey},
		{endpoint: EndpointListLeads, status: 400, key: ikey, query: "?limit=abc"},
		{endpoint: EndpointListLeads, status: 401},
		{endpoint: EndpointListLeads, status: 429, key: ikey, setup: exhaust},

		{endpoint: EndpointCreateLead, status: 201, key: ikey, body: lb},
		{endpoint: EndpointCreateLead, status: 200, name: "known externalId", key: ikey, body: map[string]any{
			"firstName": "Other", "lastName": "Person", "externalId": "crm-1",
			"address": map[string]any{"line1": "1 A St", "city": "Austin", "state": "Texas", "postalCode": "73301"},
		}},
		{endpoint: EndpointCreateLead, status: 400, name: "unknown field", key: ikey, body: map[string]any{"firstName": "A", "lastName": "B", "home_improvement": true, "address": lb["address"]}},
		{endpoint: EndpointCreateLead, status: 400, name: "no address", key: ikey, body: map[string]any{"firstName": "A", "lastName": "B"}},
		{endpoint: EndpointCreateLead, status: 400, name: "empty last name", key: ikey, body: map[string]any{"firstName": "A", "lastName": " ", "address": lb["address"]}},
		{endpoint: EndpointCreateLead, status: 401, body: lb},
		{endpoint: EndpointCreateLead, status: 429, key: ikey, body: lb, setup: exhaust},

		{endpoint: EndpointGetLead, status: 200, key: ikey, id: "lead"},
		{endpoint: EndpointGetLead, status: 200, name: "a project's lead by the project's reference", key: ikey, id: "solarRef"},
		{endpoint: EndpointGetLead, status: 200, name: "dealer's own", key: dkey, id: "dealerLead"},
		{endpoint: EndpointGetLead, status: 401, id: "lead"},
		{endpoint: EndpointGetLead, status: 404, key: ikey, id: "otherLead"},
		{endpoint: EndpointGetLead, status: 429, key: ikey, id: "lead", setup: exhaust},

		{endpoint: EndpointPatchLead, status: 200, key: ikey, id: "lead", body: map[string]any{"phone": "", "coBorrower": map[string]any{"firstName": "Luis", "lastName": "Rivera"}, "notes": "Asked for a call back."}},
		{endpoint: EndpointPatchLead, status: 400, name: "unknown member", key: ikey, id: "lead", body: map[string]any{"salesRepEmail": "nobody@example.com"}},
		{endpoint: EndpointPatchLead, status: 400, name: "externalId", key: ikey, id: "lead", body: map[string]any{"externalId": "x"}},
		{endpoint: EndpointPatchLead, status: 400, name: "empty first name", key: ikey, id: "lead", body: map[string]any{"firstName": ""}},
		{endpoint: EndpointPatchLead, status: 401, id: "lead", body: map[string]any{}},
		{endpoint: EndpointPatchLead, status: 404, key: ikey, id: "otherLead", body: map[string]any{"notes": "x"}},
		{endpoint: EndpointPatchLead, status: 429, key: ikey, id: "lead", body: map[string]any{}, setup: exhaust},

		{endpoint: EndpointLeadActivities, status: 200, key: ikey, id: "lead"},
		{endpoint: EndpointLeadActivities, status: 400, key: ikey, id: "lead", query: "?limit=-1"},
		{endpoint: EndpointLeadActivities, status: 401, id: "lead"},
		{endpoint: EndpointLeadActivities, status: 404, key: ikey, id: "nope"},
		{endpoint: EndpointLeadActivities, status: 429, key: ikey, id: "lead", setup: exhaust},

		{endpoint: EndpointAdders, status: 200, key: ikey},
		{endpoint: EndpointAdders, status: 401},
		{endpoint: EndpointAdders, status: 403, key: dkey},
		{endpoint: EndpointAdders, status: 429, key: ikey, setup: exhaust},

		{endpoint: EndpointEquipment, status: 200, key: ikey},
		{endpoint: EndpointEquipment, status: 200, name: "batteries", key: ikey, query: "?kind=battery"},
		{endpoint: EndpointEquipment, status: 400, key: ikey, query: "?kind=charger"},
		{endpoint: EndpointEquipment, status: 401},
		{endpoint: EndpointEquipment, status: 403, key: dkey},
		{endpoint: EndpointEquipment, status: 429, key: ikey, setup: exhaust},
	}
}

func (f fixture) resolve(name string) string {
	switch name {
	case "solar":
		return f.solar
	case "hi":
		return f.hi
	case "solarRef":
		return f.solarRef
	case "dealerProject":
		return f.dealerProject
	case "otherProject":
		return f.otherProject
	case "lead":
		return f.lead
	case "otherLead":
		return f.otherLead
	case "dealerLead":
		return f.dealerLead
	}
	return name
}

// TestContract walks every endpoint through each status the specification
// documents for it, and checks every 2xx answer for every key its schema
// requires (recursively) and every error answer for v1's error body.
func TestContract(t *testing.T) {
	for _, c := range contractCases() {
		name := fmt.Sprintf("%s/%d/%s", c.endpoint, c.status, c.name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := NewTest(t, Config{})
			f := newFixture(t, s)
			if c.setup != nil {
				c.setup(t, s, f)
			}
			method, path, _ := strings.Cut(c.endpoint, " ")
			path = strings.TrimPrefix(path, "/v1")
			path = strings.Replace(path, "{id}", f.resolve(c.id), 1)
			r := send(t, method, s.PipeBaseURL()+path+c.query, c.key, c.body)
			if r.status != c.status {
				t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, c.status, r.body)
			}
			var errs []string
			if r.status/100 == 2 {
				successSchemas[c.endpoint].check("$", r.any(t), &errs)
			} else {
				sError.check("$", r.any(t), &errs)
				want := c.code
				if want == "" {
					want = errorCode(c.status)
				}
				if got := r.errCode(t); got != want {
					errs = append(errs, fmt.Sprintf("error.code %q, want %q", got, want))
				}
			}
			if c.status == 429 {
				if n, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || n < 1 {
					errs = append(errs, fmt.Sprintf("Retry-After %q, want whole seconds", r.header.Get("Retry-After")))
				}
			}
			if len(errs) > 0 {
				t.Fatalf("answer does not match the specification:\n  %s\n%s", strings.Join(errs, "\n  "), r.body)
			}
		})
	}
}

// TestContractCoversSpec: the table has a case for every status the
// specification documents, and none it does not.
func TestContractCoversSpec(t *testing.T) {
	have := map[string]map[int]bool{}
	for _, c := range contractCases() {
		if have[c.endpoint] == nil {
			have[c.endpoint] = map[int]bool{}
		}
		have[c.endpoint][c.status] = true
	}
	for _, e := range PipeEndpoints {
		var got []int
		for st := range have[e] {
			got = append(got, st)
		}
		sort.Ints(got)
		if !slices.Equal(got, documented[e]) {
			t.Errorf("%s: cases for %v, the specification documents %v", e, got, documented[e])
		}
		if successSchemas[e] == nil {
			t.Errorf("%s: no success schema", e)
		}
	}
	if len(documented) != len(PipeEndpoints) {
		t.Errorf("documented has %d endpoints, PipeEndpoints %d", len(documented), len(PipeEndpoints))
	}
}

// TestSchemaCheckerCatchesMissingKeys guards the checker itself: a missing
// nested key and a wrong type are reported.
func TestSchemaCheckerCatchesMissingKeys(t *testing.T) {
	s := NewTest(t, Config{})
	f := newFixture(t, s)
	p, _ := s.Project(f.solar)
	delete(p["system"].(map[string]any)["panels"].(map[string]any), "model")
	p["ntpGranted"] = "yes"
	var errs []string
	sProject.check("$", p, &errs)
	joined := strings.Join(errs, "\n")
	if !strings.Contains(joined, "$.system.panels.model: required key missing") || !strings.Contains(joined, "$.ntpGranted: string, want boolean") {
		t.Fatalf("checker missed a fault: %v", errs)
	}
}
