package mockapi

import (
	"fmt"
	"strings"
)

// DefaultInstallerKey is the installer company's key when Config.InstallerKey
// is empty: "psk_" and 40 hex characters, as v1 keys are.
const DefaultInstallerKey = "psk_9ca338a43065720b07bdc20f0cbb122ce7df5369"

// DefaultDealerKey is the dealer company's key when Config.DealerKey is
// empty.
const DefaultDealerKey = "psk_7376e1c0960585823f9e4af14430c9c599313332"

// Default company names and key names.
const (
	DefaultCompanyName = "Sunville Solar"
	DefaultDealerName  = "Bright Homes Dealer"
	DefaultKeyName     = "terraform"
)

// StageDef is one stage of a product line's ladder, as GET /v1/stages lists
// it. Position counts from 1 within its product line, in the order given.
type StageDef struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ProductLine string `json:"productLine"`
	// Kind is normal, onHold or cancelled ("" = normal).
	Kind string `json:"kind"`
}

// Member is an active member of the installer's company: a sales rep or
// setter e-mail that resolves on POST and PATCH /v1/leads.
type Member struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// DefaultStages are the ladders when Config.Stages is empty. The solar
// ladder keeps the stage names of the retired API, so 1.x configurations
// and states name stages that exist.
var DefaultStages = []StageDef{
	{ID: "stg_new_lead", Name: "New Lead", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_site_survey", Name: "Site Survey", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_proposal", Name: "Proposal", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_contract_signed", Name: "Contract Signed", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_ntp", Name: "NTP", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_permitting", Name: "Permitting", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_installation", Name: "Installation", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_pto", Name: "PTO", ProductLine: "solar", Kind: "normal"},
	{ID: "stg_on_hold", Name: "On Hold", ProductLine: "solar", Kind: "onHold"},
	{ID: "stg_closed_lost", Name: "Closed Lost", ProductLine: "solar", Kind: "cancelled"},
	{ID: "stg_hi_sold", Name: "Sold", ProductLine: "hi", Kind: "normal"},
	{ID: "stg_hi_scheduled", Name: "Scheduled", ProductLine: "hi", Kind: "normal"},
	{ID: "stg_hi_installed", Name: "Installed", ProductLine: "hi", Kind: "normal"},
	{ID: "stg_hi_cancelled", Name: "Cancelled", ProductLine: "hi", Kind: "cancelled"},
}

// DefaultMembers are the company's active members when Config.Members is
// nil.
var DefaultMembers = []Member{
	{Name: "Jordan Reyes", Email: "jordan@example.com", Phone: "602-555-0101"},
	{Name: "Sam Patel", Email: "sam@example.com", Phone: "602-555-0102"},
	{Name: "Riley Rep", Email: "rep@example.com", Phone: "602-555-0103"},
	{Name: "Sky Setter", Email: "setter@example.com", Phone: "602-555-0104"},
	{Name: "Morgan Lee", Email: "pm@example.com", Phone: "602-555-0105"},
}

// fileFolders are v1's project file folders, in the order `files` lists
// them.
var fileFolders = []string{
	"contract", "utilityBill", "identification", "material", "siteSurvey", "planset",
	"permit", "interconnection", "other", "homeInsurance", "installationPhoto", "internal",
}

// region is a US state or Canadian province.
type region struct{ code, name, country string }

var regions = func() []region {
	us := "AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|" +
		"DE Delaware|DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|" +
		"IN Indiana|IA Iowa|KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|" +
		"MI Michigan|MN Minnesota|MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|" +
		"NH New Hampshire|NJ New Jersey|NM New Mexico|NY New York|NC North Carolina|ND North Dakota|" +
		"OH Ohio|OK Oklahoma|OR Oregon|PA Pennsylvania|PR Puerto Rico|RI Rhode Island|SC South Carolina|" +
		"SD South Dakota|TN Tennessee|TX Texas|UT Utah|VT Vermont|VA Virginia|WA Washington|" +
		"WV West Virginia|WI Wisconsin|WY Wyoming"
	ca := "AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|" +
		"NS Nova Scotia|NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|" +
		"QC Quebec|SK Saskatchewan|YT Yukon"
	var out []region
	for _, set := range []struct{ list, country string }{{us, "US"}, {ca, "CA"}} {
		for _, e := range strings.Split(set.list, "|") {
			code, name, _ := strings.Cut(e, " ")
			out = append(out, region{code, name, set.country})
		}
	}
	return out
}()

// findRegion finds a state or province by code or name, in any case.
func findRegion(s string) (region, bool) {
	s = strings.TrimSpace(s)
	for _, r := range regions {
		if strings.EqualFold(r.code, s) || strings.EqualFold(r.name, s) {
			return r, true
		}
	}
	return region{}, false
}

// adders is the installer's catalogue (GET /v1/adders).
var adders = []map[string]any{
	{"id": "add_main_panel", "name": "Main panel upgrade", "description": "200 A main service panel", "productLine": "solar",
		"productKind": nil, "unit": "each", "unitPrice": 2450.0, "tiered": false, "repSponsored": false,
		"showOnProposal": true, "brand": "Square D", "model": "QO200", "warrantyYears": 10.0},
	{"id": "add_critter_guard", "name": "Critter guard", "description": nil, "productLine": "solar",
		"productKind": nil, "unit": "perWatt", "unitPrice": 0.05, "tiered": true, "repSponsored": true,
		"showOnProposal": false, "brand": nil, "model": nil, "warrantyYears": nil},
	{"id": "add_hi_roof", "name": "Roof replacement", "description": "Asphalt shingle, per square", "productLine": "hi",
		"productKind": "roofing", "unit": "perSquare", "unitPrice": 520.0, "tiered": false, "repSponsored": false,
		"showOnProposal": true, "brand": "GAF", "model": "Timberline HDZ", "warrantyYears": 25.0},
}

// equipment is the installer's equipment (GET /v1/equipment).
var equipment = []map[string]any{
	{"id": "eq_panel_qcells", "kind": "panel", "manufacturer": "Qcells", "model": "Q.PEAK DUO BLK ML-G10+ 400",
		"watts": 400.0, "default": true, "efficiencyPercent": 20.4, "warrantyYears": 25.0},
	{"id": "eq_panel_rec", "kind": "panel", "manufacturer": "REC", "model": "Alpha Pure-R 410",
		"watts": 410.0, "default": false, "efficiencyPercent": 22.3, "warrantyYears": 25.0},
	{"id": "eq_inv_enphase", "kind": "inverter", "manufacturer": "Enphase", "model": "IQ8M-72-2-US",
		"default": true, "ratedOutputWatts": 325.0, "efficiencyPercent": 97.0, "microinverter": true, "warrantyYears": 25.0},
	{"id": "eq_inv_solaredge", "kind": "inverter", "manufacturer": "SolarEdge", "model": "SE7600H-US",
		"default": false, "ratedOutputWatts": 7600.0, "efficiencyPercent": 99.0, "microinverter": false, "warrantyYears": 12.0},
	{"id": "eq_bat_powerwall", "kind": "battery", "manufacturer": "Tesla", "model": "Powerwall 3",
		"default": true, "capacityKwh": 13.5, "continuousOutputWatts": 11500.0, "warrantyYears": 10.0},
}

var (
	demoFirst  = []string{"Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Radia"}
	demoLast   = []string{"Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Perlman"}
	demoCities = []struct{ city, state, zip string }{
		{"Phoenix", "AZ", "85004"}, {"Plano", "TX", "75023"}, {"Fresno", "CA", "93721"},
		{"Denver", "CO", "80202"}, {"Orlando", "FL", "32801"}, {"Las Vegas", "NV", "89101"},
	}
	demoStreets = []string{"Main St", "Solar Ave", "Sunrise Blvd", "Oak Dr", "Cedar Ln", "Maple Way"}
)

// defaultPerson is a member as v1 shows it, or nil.
func personJSON(m *Member) any {
	if m == nil {
		return nil
	}
	return map[string]any{"name": m.Name, "email": m.Email, "phone": nullIfEmpty(m.Phone)}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// demoCustomer is the n-th made-up customer: names, contact and address.
func demoCustomer(n int) (customer, address map[string]any) {
	first, last := demoFirst[n%len(demoFirst)], demoLast[(n/len(demoFirst))%len(demoLast)]
	c := demoCities[n%len(demoCities)]
	customer = map[string]any{
		"firstName": first, "lastName": last,
		"email": fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), n),
		"phone": fmt.Sprintf("602-555-%04d", n%10000),
	}
	address = map[string]any{
		"line1": fmt.Sprintf("%d %s", 100+n%900, demoStreets[n%len(demoStreets)]), "line2": nil,
		"city": c.city, "state": c.state, "postalCode": c.zip, "country": "US",
	}
	return customer, address
}

// defaultProjectDoc is a realistic project of product line `line` (every
// key the Project schema requires; null where empty), the n-th of its kind.
func defaultProjectDoc(n int, line string, members []Member) map[string]any {
	customer, address := demoCustomer(n)
	var rep, setter, pm *Member
	if len(members) > 0 {
		rep = &members[n%len(members)]
		setter = &members[(n+1)%len(members)]
		pm = &members[len(members)-1]
	}
	sizeKw := 6.0 + float64(n%8)*0.4
	final := 2.85
	price := round2(sizeKw * 1000 * final)
	tax := round2(price * 0.0)
	doc := map[string]any{
		"ntpGranted":     false,
		"customer":       customer,
		"coBorrower":     nil,
		"address":        address,
		"meterNumber":    fmt.Sprintf("MTR-%06d", 100000+n),
		"notes":          map[string]any{"customer": nil, "project": nil},
		"source":         map[string]any{"name": "Door to door", "subSource": nil},
		"partnerLeadId":  nil,
		"utility":        map[string]any{"name": "Arizona Public Service"},
		"design":         map[string]any{"name": "Design 1", "scaniflyProjectId": nil, "scaniflyDesignId": nil, "soldScaniflyDesignId": nil},
		"salesRep":       personJSON(rep),
		"setter":         personJSON(setter),
		"projectManager": personJSON(pm),
		"siteSurveyor":   nil,
		"subcontractor":  nil,
		"contract":       map[string]any{"signedAt": nil, "price": price + tax, "salesTax": tax, "priceBeforeTax": price, "files": []any{}},
		"financing": map[string]any{"type": "loan", "lender": "GoodLeap", "amount": price + tax, "aprPercent": 5.99,
			"termMonths": 300.0, "monthlyPayment": round2((price + tax) / 180), "dealerFeePercent": 18.5, "escalatorPercent": nil},
		"system":       nil,
		"products":     nil,
		"milestones":   map[string]any{},
		"customFields": map[string]any{},
		"links":        map[string]any{"proposal": nil},
	}
	if line == "hi" {
		doc["products"] = []any{map[string]any{"name": "Roof replacement", "price": price}}
		doc["design"] = nil
		return doc
	}
	panels := float64(int(sizeKw * 1000 / 400))
	doc["system"] = map[string]any{
		"roofType":            "Comp shingle",
		"sizeKw":              sizeKw,
		"annualProductionKwh": round2(sizeKw * 1650),
		"panels":              map[string]any{"count": panels, "manufacturer": "Qcells", "model": "Q.PEAK DUO BLK ML-G10+ 400"},
		"inverters":           map[string]any{"count": panels, "manufacturer": "Enphase", "model": "IQ8M-72-2-US", "name": "Enphase IQ8M", "microinverter": true},
		"batteries":           nil,
		"pricePerWatt":        map[string]any{"base": 2.65, "final": final},
		"adders":              []any{},
	}
	if n%3 == 0 {
		system := obj(doc["system"])
		system["batteries"] = map[string]any{"count": 1.0, "manufacturer": "Tesla", "model": "Powerwall 3", "capacityKwh": 13.5}
		system["adders"] = []any{map[string]any{"name": "Main panel upgrade", "quantity": 1.0, "total": 2450.0}}
	}
	return doc
}

func round2(f float64) float64 {
	if f < 0 {
		return -round2(-f)
	}
	return float64(int64(f*100+0.5)) / 100
}

// defaultProposal is the n-th made-up lead's leading proposal option.
func defaultProposal(n int) map[string]any {
	sizeKw := 6.0 + float64(n%8)*0.4
	before := round2(sizeKw * 1000 * 2.85)
	return map[string]any{
		"id": "prp_" + newID(), "reference": newReference(), "label": "Option 1", "status": "sent",
		"system": map[string]any{
			"sizeKw": sizeKw, "annualProductionKwh": round2(sizeKw * 1650), "arrays": 2.0,
			"panels":       map[string]any{"count": float64(int(sizeKw * 1000 / 400)), "manufacturer": "Qcells", "model": "Q.PEAK DUO BLK ML-G10+ 400"},
			"inverters":    map[string]any{"count": 1.0, "manufacturer": "SolarEdge", "model": "SE7600H-US", "name": "SolarEdge SE7600H", "microinverter": false},
			"batteries":    map[string]any{"count": 1.0, "manufacturer": "Tesla", "model": "Powerwall 3", "capacityKwh": 13.5},
			"pricePerWatt": map[string]any{"base": 2.65, "final": 2.85},
		},
		"price": map[string]any{"total": before, "salesTax": 0.0, "beforeTax": before, "adders": 2450.0,
			"discounts": 0.0, "incentives": round2(before * 0.3), "net": round2(before * 0.7)},
		"financing": map[string]any{"type": "cash", "lender": nil, "amount": before, "aprPercent": nil,
			"termMonths": nil, "monthlyPayment": nil, "dealerFeePercent": nil, "escalatorPercent": nil},
		"adders": []any{map[string]any{"name": "Main panel upgrade", "quantity": 1.0, "total": 2450.0}},
		"links":  map[string]any{"proposal": "https://pipe.solar/p/" + newID()},
	}
}
