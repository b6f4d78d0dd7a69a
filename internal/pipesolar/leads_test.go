package pipesolar_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

func TestLead_decodeSold(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, fixture(t, "lead_sold.json")) })
	c, _ := newClient(t, s, nil)
	l, err := c.GetLead(t.Context(), "1a2b3c/4d 5e")
	if err != nil {
		t.Fatal(err)
	}
	if r := s.requests()[0]; r.Method != http.MethodGet || r.Path != "/v1/leads/1a2b3c%2F4d%205e" {
		t.Errorf("request = %s, want GET /v1/leads/{id} with the id escaped", describe(r))
	}
	if l.ID != "led_77aa01" || l.ProductLine != "solar" || l.Status != "project" || l.Archived {
		t.Errorf("core = %q %q %q %v", l.ID, l.ProductLine, l.Status, l.Archived)
	}
	wantString(t, "reference", l.Reference, "1a2b3c4d5e")
	wantString(t, "createdAt", l.CreatedAt, "2026-09-14T16:20:00.000Z")
	wantString(t, "updatedAt", l.UpdatedAt, "2026-11-30T09:12:44.501Z")
	wantString(t, "customer.firstName", l.Customer.FirstName, "Ana")
	wantString(t, "customer.phone", l.Customer.Phone, "+1 972 555 0100")
	if l.CoBorrower == nil {
		t.Fatal("coBorrower = null")
	}
	// null and "" stay apart.
	wantNull(t, "coBorrower.email", l.CoBorrower.Email)
	wantString(t, "coBorrower.phone", l.CoBorrower.Phone, "")
	wantString(t, "address.line2", l.Address.Line2, "")
	wantString(t, "address.postalCode", l.Address.PostalCode, "75023")
	wantString(t, "address.country", l.Address.Country, "US")
	wantString(t, "utility.name", l.Utility.Name, "Oncor")
	wantDecimal(t, "utility.monthlyBill", l.Utility.MonthlyBill, "185.4")
	if l.Utility.MonthlyBill.String() != "185.40" {
		t.Errorf("utility.monthlyBill text = %q, want the API's 185.40 kept", l.Utility.MonthlyBill.String())
	}
	wantString(t, "utility.meterNumber", l.Utility.MeterNumber, "MTR-0042")
	wantString(t, "source.name", l.Source.Name, "Referral")
	wantNull(t, "source.subSource", l.Source.SubSource)
	wantString(t, "externalId", l.ExternalID, "crm-1042")
	wantNull(t, "partnerLeadId", l.PartnerLeadID)
	wantString(t, "notes", l.Notes, "Gate code 4411")
	if l.SalesRep == nil || l.Setter != nil {
		t.Fatalf("salesRep %v setter %v, want a rep and no setter", l.SalesRep, l.Setter)
	}
	wantString(t, "salesRep.email", l.SalesRep.Email, "sam@firefly.example")
	wantNull(t, "salesRep.phone", l.SalesRep.Phone)
	if l.Project == nil || l.Project.ID != "prj_8f3c1d2e9a7b4c6d" {
		t.Fatalf("project = %+v", l.Project)
	}
	wantString(t, "project.reference", l.Project.Reference, "1a2b3c4d5e")
	wantString(t, "project.soldAt", l.Project.SoldAt, "2026-10-20T18:00:00.000Z")
	if l.Design == nil {
		t.Fatal("design = null")
	}
	wantString(t, "design.scaniflyDesignId", l.Design.ScaniflyDesignID, "sd-2")
	wantNull(t, "design.soldScaniflyDesignId", l.Design.SoldScaniflyDesignID)

	p := l.Proposal
	if p == nil {
		t.Fatal("proposal = null")
	}
	if p.ID != "opt_5511" || p.Reference != "9z8y7x6w5v" || p.Status != "signed" {
		t.Errorf("proposal = %q %q %q", p.ID, p.Reference, p.Status)
	}
	wantNull(t, "proposal.label", p.Label)
	if p.System == nil || p.Price == nil {
		t.Fatalf("proposal.system %v price %v: want both", p.System, p.Price)
	}
	sys := p.System
	wantDecimal(t, "proposal.system.sizeKw", sys.SizeKw, "9.6")
	if sys.SizeKw.String() != "9.60" {
		t.Errorf("proposal.system.sizeKw text = %q, want 9.60 kept", sys.SizeKw.String())
	}
	wantDecimal(t, "proposal.system.annualProductionKwh", sys.AnnualProductionKwh, "13250")
	wantDecimal(t, "proposal.system.arrays", sys.Arrays, "0") // 0, not null
	wantDecimal(t, "proposal.system.panels.count", sys.Panels.Count, "24")
	wantString(t, "proposal.system.panels.manufacturer", sys.Panels.Manufacturer, "Qcells")
	wantString(t, "proposal.system.inverters.name", sys.Inverters.Name, "Enphase IQ8M")
	if !sys.Inverters.Microinverter {
		t.Error("proposal.system.inverters.microinverter = false")
	}
	if sys.Batteries == nil {
		t.Fatal("proposal.system.batteries = null")
	}
	wantDecimal(t, "proposal.system.batteries.count", sys.Batteries.Count, "2")
	wantDecimal(t, "proposal.system.batteries.capacityKwh", sys.Batteries.CapacityKwh, "13.5")
	wantDecimal(t, "proposal.system.pricePerWatt.base", sys.PricePerWatt.Base, "2.9")
	wantDecimal(t, "proposal.system.pricePerWatt.final", sys.PricePerWatt.Final, "2.5365")
	pr := p.Price
	wantDecimal(t, "proposal.price.total", pr.Total, "24350.5")
	wantDecimal(t, "proposal.price.salesTax", pr.SalesTax, "0")
	wantDecimal(t, "proposal.price.beforeTax", pr.BeforeTax, "24350.50")
	wantDecimal(t, "proposal.price.adders", pr.Adders, "1850")
	wantNull(t, "proposal.price.discounts", pr.Discounts)
	wantDecimal(t, "proposal.price.incentives", pr.Incentives, "-500.25")
	wantDecimal(t, "proposal.price.net", pr.Net, "23850.25")
	if p.Financing.Type != "loan" {
		t.Errorf("proposal.financing.type = %q", p.Financing.Type)
	}
	wantString(t, "proposal.financing.lender", p.Financing.Lender, "GoodLeap")
	wantDecimal(t, "proposal.financing.aprPercent", p.Financing.APRPercent, "5.99")
	wantDecimal(t, "proposal.financing.termMonths", p.Financing.TermMonths, "300")
	wantDecimal(t, "proposal.financing.monthlyPayment", p.Financing.MonthlyPayment, "151.2")
	wantNull(t, "proposal.financing.escalatorPercent", p.Financing.EscalatorPercent)
	if len(p.Adders) != 2 || p.Adders[0].Name != "Main panel upgrade" || p.Adders[1].Name != "Critter guard" {
		t.Fatalf("proposal.adders = %+v", p.Adders)
	}
	wantDecimal(t, "proposal.adders[0].total", p.Adders[0].Total, "1850")
	wantDecimal(t, "proposal.adders[1].quantity", &p.Adders[1].Quantity, "24")
	wantNull(t, "proposal.adders[1].total", p.Adders[1].Total)
	wantString(t, "proposal.links.proposal", p.Links.Proposal, "https://pipe.solar/p/tok123")

	if l.Links.Record != "https://pipe.solar/dashboard/leads/led_77aa01" {
		t.Errorf("links.record = %q", l.Links.Record)
	}
	wantString(t, "links.proposal", l.Links.Proposal, "https://pipe.solar/p/tok123")
	if fmt.Sprint(l.ContractFiles) != "[https://pipe.solar/files/c1 https://pipe.solar/files/c2]" {
		t.Errorf("contractFiles = %v", l.ContractFiles)
	}
	if len(l.Files) != 2 || len(l.Files["utilityBill"]) != 1 || l.Files["siteSurvey"] == nil || len(l.Files["siteSurvey"]) != 0 {
		t.Errorf("files = %v", l.Files)
	}
}

// A lead made through the API: no project, design or proposal yet, an
// empty utility, a Canadian address.
func TestLead_decodeNew(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, fixture(t, "lead_new.json")) })
	c, _ := newClient(t, s, nil)
	l, err := c.GetLead(t.Context(), "led_0000000000000000000000000000000000000042")
	if err != nil {
		t.Fatal(err)
	}
	if l.ProductLine != "hi" || !l.Archived || l.Status != "lead" {
		t.Errorf("core = %q %v %q", l.ProductLine, l.Archived, l.Status)
	}
	wantNull(t, "reference", l.Reference)
	wantNull(t, "createdAt", l.CreatedAt)
	wantNull(t, "customer.email", l.Customer.Email)
	wantNull(t, "address.line2", l.Address.Line2)
	wantString(t, "address.postalCode", l.Address.PostalCode, "M5H 1A1")
	wantNull(t, "utility.monthlyBill", l.Utility.MonthlyBill)
	wantNull(t, "externalId", l.ExternalID)
	wantString(t, "partnerLeadId", l.PartnerLeadID, "HD-991")
	wantNull(t, "notes", l.Notes)
	wantNull(t, "links.proposal", l.Links.Proposal)
	if l.CoBorrower != nil || l.SalesRep != nil || l.Project != nil || l.Design != nil || l.Proposal != nil {
		t.Errorf("coBorrower %v salesRep %v project %v design %v proposal %v: want all null", l.CoBorrower, l.SalesRep, l.Project, l.Design, l.Proposal)
	}
	if l.Setter == nil {
		t.Fatal("setter = null")
	}
	wantNull(t, "setter.name", l.Setter.Name)
	// Empty lists and maps stay empty, not null.
	if l.ContractFiles == nil || len(l.ContractFiles) != 0 || l.Files == nil || len(l.Files) != 0 {
		t.Errorf("contractFiles %#v files %#v, want empty", l.ContractFiles, l.Files)
	}
}

// contractFiles and files are optional in v1's Lead: left out, they are nil.
func TestLead_optionalListsLeftOut(t *testing.T) {
	t.Parallel()
	var doc map[string]any
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if err := json.Unmarshal([]byte(fixture(t, "lead_new.json")), &doc); err != nil {
			t.Error(err)
		}
		delete(doc, "contractFiles")
		delete(doc, "files")
		b, _ := json.Marshal(doc)
		writeJSON(w, 200, string(b))
	})
	c, _ := newClient(t, s, nil)
	l, err := c.GetLead(t.Context(), "x")
	if err != nil {
		t.Fatal(err)
	}
	if l.ContractFiles != nil || l.Files != nil {
		t.Errorf("contractFiles %#v files %#v, want nil", l.ContractFiles, l.Files)
	}
}

func TestLead_answerWithoutID(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, `{"ok":true}`) })
	c, _ := newClient(t, s, nil)
	if _, err := c.GetLead(t.Context(), "l1"); err == nil || !strings.Contains(err.Error(), "no lead id") || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("GetLead = %v, want the missing id explained", err)
	}
	if _, err := c.UpdateLead(t.Context(), "l1", pipesolar.LeadUpdate{Notes: ptr("x")}); err == nil || !strings.Contains(err.Error(), "no lead id") {
		t.Errorf("UpdateLead = %v, want the missing id explained", err)
	}
	if _, err := c.CreateLead(t.Context(), minimalLead("crm-1")); err == nil || !strings.Contains(err.Error(), "no leadId") {
		t.Errorf("CreateLead = %v, want the missing leadId explained", err)
	}
}

func minimalLead(externalID string) pipesolar.LeadCreate {
	return pipesolar.LeadCreate{FirstName: "Ana", LastName: "Rivera", ExternalID: externalID,
		Address: pipesolar.LeadAddress{Line1: "812 Main St", City: "Plano", State: "TX", PostalCode: "75023"}}
}

func TestCreateLead(t *testing.T) {
	t.Parallel()
	full := pipesolar.LeadCreate{FirstName: "Ana", LastName: "Rivera",
		Address: pipesolar.LeadAddress{Line1: "812 Main St", Line2: "Unit 4", City: "Plano", State: "Texas", PostalCode: "75023", Country: "US"},
		Email:   "ana@example.com", Phone: "+1 972 555 0100", SalesRepEmail: "sam@firefly.example", SetterEmail: "nobody@example.com",
		Notes: "Gate code 4411", ExternalID: "crm-1042"}
	for _, tc := range []struct {
		name     string
		in       pipesolar.LeadCreate
		status   int
		answer   string
		wantBody string
		want     pipesolar.LeadCreated
	}{
		{name: "required fields only", in: minimalLead(""), status: 201,
			answer:   `{"leadId":"led_1","created":true,"unassigned":[]}`,
			wantBody: `{"firstName":"Ana","lastName":"Rivera","address":{"line1":"812 Main St","city":"Plano","state":"TX","postalCode":"75023"}}`,
			want:     pipesolar.LeadCreated{LeadID: "led_1", Created: true, Unassigned: []string{}}},
		{name: "every field, an unassigned setter", in: full, status: 201,
			answer: `{"leadId":"led_2","created":true,"unassigned":["nobody@example.com"]}`,
			wantBody: `{"firstName":"Ana","lastName":"Rivera","address":{"line1":"812 Main St","line2":"Unit 4","city":"Plano","state":"Texas","postalCode":"75023","country":"US"},` +
				`"email":"ana@example.com","phone":"+1 972 555 0100","salesRepEmail":"sam@firefly.example","setterEmail":"nobody@example.com","notes":"Gate code 4411","externalId":"crm-1042"}`,
			want: pipesolar.LeadCreated{LeadID: "led_2", Created: true, Unassigned: []string{"nobody@example.com"}}},
		{name: "200: the externalId's lead already exists", in: minimalLead("crm-1042"), status: 200,
			answer:   `{"leadId":"led_77aa01","created":false,"unassigned":[]}`,
			wantBody: `{"firstName":"Ana","lastName":"Rivera","address":{"line1":"812 Main St","city":"Plano","state":"TX","postalCode":"75023"},"externalId":"crm-1042"}`,
			want:     pipesolar.LeadCreated{LeadID: "led_77aa01", Created: false, Unassigned: []string{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, tc.status, tc.answer) })
			c, _ := newClient(t, s, nil)
			got, err := c.CreateLead(t.Context(), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprintf("%#v", *got) != fmt.Sprintf("%#v", tc.want) {
				t.Errorf("CreateLead = %#v, want %#v", *got, tc.want)
			}
			reqs := s.requests()
			if len(reqs) != 1 {
				t.Fatalf("made %d calls, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v1/leads" || len(r.Query) != 0 {
				t.Errorf("request = %s, want POST /v1/leads", describe(r))
			}
			// Exactly v1's fields: v1 refuses a field it does not know.
			if r.Body != tc.wantBody {
				t.Errorf("body = %s\nwant   %s", r.Body, tc.wantBody)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestCreateLead_refusedLocally(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 201, `{"leadId":"l","created":true,"unassigned":[]}`)
	})
	c, _ := newClient(t, s, nil)
	in := minimalLead("crm-1")
	in.LastName = " "
	in.Address.PostalCode = ""
	_, err := c.CreateLead(t.Context(), in)
	if err == nil || !strings.Contains(err.Error(), "lastName, address.postalCode") || !strings.Contains(err.Error(), pipesolar.EndpointLeads) {
		t.Errorf("error = %v, want the empty fields named", err)
	}
	if n := s.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// SPEC §4: POST /leads with an externalId is safe to repeat (v1 answers the
// lead already made), so a 500 is retried like every other call.
func TestCreateLead_retriedWithExternalID(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			writeJSON(w, 500, v1Error("internal", "Something failed on our side."))
			return
		}
		writeJSON(w, 200, `{"leadId":"led_1","created":false,"unassigned":[]}`)
	})
	c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 1 })
	got, err := c.CreateLead(t.Context(), minimalLead("crm-1042"))
	if err != nil || got.LeadID != "led_1" {
		t.Fatalf("CreateLead = %+v, %v", got, err)
	}
	reqs := s.requests()
	if len(reqs) != 2 {
		t.Fatalf("server saw %d requests, want 2 (one retry)", len(reqs))
	}
	if reqs[0].Body != reqs[1].Body || !strings.Contains(reqs[1].Body, `"externalId":"crm-1042"`) {
		t.Errorf("retry body %s, first %s: want the same call with its externalId", reqs[1].Body, reqs[0].Body)
	}
}

// Without an externalId a second POST could make a second lead: a create
// that may have reached the API is not repeated, and the error says why.
// What provably did not reach it (503) is still retried.
func TestCreateLead_withoutExternalID(t *testing.T) {
	t.Parallel()
	t.Run("500 is not repeated", func(t *testing.T) {
		t.Parallel()
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeJSON(w, 500, v1Error("internal", "Something failed on our side."))
		})
		c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 3 })
		_, err := c.CreateLead(t.Context(), minimalLead(""))
		var api *transport.APIError
		if !errors.As(err, &api) || api.StatusCode != 500 || api.Code != "internal" {
			t.Fatalf("error = %v, want v1's 500", err)
		}
		for _, part := range []string{"not repeated", "externalId", "may have made the lead", "Something failed on our side."} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("error lacks %q:\n%v", part, err)
			}
		}
		if n := s.count(); n != 1 {
			t.Errorf("server saw %d requests, want 1", n)
		}
	})
	t.Run("503 is retried", func(t *testing.T) {
		t.Parallel()
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
			if n == 1 {
				writeJSON(w, 503, v1Error("unavailable", "Down for maintenance."))
				return
			}
			writeJSON(w, 201, `{"leadId":"led_1","created":true,"unassigned":[]}`)
		})
		c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 1 })
		if _, err := c.CreateLead(t.Context(), minimalLead("")); err != nil {
			t.Fatal(err)
		}
		if n := s.count(); n != 2 {
			t.Errorf("server saw %d requests, want 2", n)
		}
	})
	t.Run("400 keeps v1's error as it is", func(t *testing.T) {
		t.Parallel()
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeJSON(w, 400, v1Error("invalid", "address.state \"ZZ\" is not a US state or Canadian province."))
		})
		c, _ := newClient(t, s, nil)
		_, err := c.CreateLead(t.Context(), minimalLead(""))
		if transport.KindOf(err) != transport.KindValidation || strings.Contains(err.Error(), "may have made") {
			t.Errorf("error = %v, want v1's 400 without the retry warning", err)
		}
	})
}

// leadServer answers PATCH with the lead (its id from the path).
func leadServer(t *testing.T) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, fixture(t, "lead_sold.json"))
	})
}

func TestUpdateLead_bodies(t *testing.T) {
	t.Parallel()
	addr := pipesolar.LeadAddress{Line1: "9 Elm St", City: "Austin", State: "TX", PostalCode: "78701"}
	for _, tc := range []struct {
		name     string
		u        pipesolar.LeadUpdate
		wantBody string
	}{
		{name: "values", u: pipesolar.LeadUpdate{FirstName: ptr("Ana María"), LastName: ptr("Rivera"), Email: ptr("ana@example.com"),
			Phone: ptr("602-555-0199"), Notes: ptr("Call after 5"), SalesRepEmail: ptr("jordan@example.com"), SetterEmail: ptr("sam@example.com")},
			wantBody: `{"email":"ana@example.com","firstName":"Ana María","lastName":"Rivera","notes":"Call after 5","phone":"602-555-0199","salesRepEmail":"jordan@example.com","setterEmail":"sam@example.com"}`},
		// Absent (nil) is left out; "" is sent as null, which clears.
		{name: "clear some, keep the rest", u: pipesolar.LeadUpdate{Email: ptr(""), SalesRepEmail: ptr(""), Notes: ptr("")},
			wantBody: `{"email":null,"notes":null,"salesRepEmail":null}`},
		{name: "one field", u: pipesolar.LeadUpdate{Phone: ptr("602-555-0199")}, wantBody: `{"phone":"602-555-0199"}`},
		{name: "address sent whole, empty optional parts as null", u: pipesolar.LeadUpdate{Address: &addr},
			wantBody: `{"address":{"city":"Austin","country":null,"line1":"9 Elm St","line2":null,"postalCode":"78701","state":"TX"}}`},
		{name: "address with every part", u: pipesolar.LeadUpdate{Address: &pipesolar.LeadAddress{Line1: "1 King St W", Line2: "Suite 9",
			City: "Toronto", State: "ON", PostalCode: "M5H 1A1", Country: "CA"}},
			wantBody: `{"address":{"city":"Toronto","country":"CA","line1":"1 King St W","line2":"Suite 9","postalCode":"M5H 1A1","state":"ON"}}`},
		{name: "co-borrower sent whole", u: pipesolar.LeadUpdate{CoBorrower: &pipesolar.CoBorrowerUpdate{FirstName: "Luis", LastName: "Rivera"}},
			wantBody: `{"coBorrower":{"firstName":"Luis","lastName":"Rivera","email":"","phone":""}}`},
		{name: "co-borrower cleared", u: pipesolar.LeadUpdate{CoBorrower: &pipesolar.CoBorrowerUpdate{}},
			wantBody: `{"coBorrower":{"firstName":"","lastName":"","email":"","phone":""}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := leadServer(t)
			c, _ := newClient(t, s, nil)
			l, err := c.UpdateLead(t.Context(), "led/77 aa01", tc.u)
			if err != nil {
				t.Fatal(err)
			}
			// The answer is the lead as it now reads.
			if l == nil || l.ID != "led_77aa01" || l.Proposal == nil {
				t.Errorf("UpdateLead = %+v, want the answer's lead", l)
			}
			reqs := s.requests()
			if len(reqs) != 1 {
				t.Fatalf("made %d calls, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPatch || r.Path != "/v1/leads/led%2F77%20aa01" {
				t.Errorf("request = %s, want PATCH /v1/leads/{id}", describe(r))
			}
			if r.Body != tc.wantBody {
				t.Errorf("body = %s\nwant   %s", r.Body, tc.wantBody)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestUpdateLead_noCall(t *testing.T) {
	t.Parallel()
	s := leadServer(t)
	c, _ := newClient(t, s, nil)
	if (pipesolar.LeadUpdate{}).IsEmpty() != true || (pipesolar.LeadUpdate{Notes: ptr("")}).IsEmpty() {
		t.Error("IsEmpty: want true only for an update that sets nothing")
	}
	if l, err := c.UpdateLead(t.Context(), "l1", pipesolar.LeadUpdate{}); l != nil || err != nil {
		t.Errorf("UpdateLead(nothing) = %v, %v; want nil, nil", l, err)
	}
	for _, tc := range []struct {
		u    pipesolar.LeadUpdate
		want string
	}{
		{pipesolar.LeadUpdate{FirstName: ptr("")}, "firstName cannot be cleared"},
		{pipesolar.LeadUpdate{Email: ptr("a@example.com"), LastName: ptr("  ")}, "lastName cannot be cleared"},
		{pipesolar.LeadUpdate{Address: &pipesolar.LeadAddress{Line1: "9 Elm St", State: "TX"}}, "address.city, address.postalCode empty"},
	} {
		_, err := c.UpdateLead(t.Context(), "l1", tc.u)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `"l1"`) {
			t.Errorf("UpdateLead(%+v) = %v, want an error saying %q", tc.u, err, tc.want)
		}
	}
	if _, err := c.UpdateLead(t.Context(), "", pipesolar.LeadUpdate{Notes: ptr("x")}); err == nil || !strings.Contains(err.Error(), pipesolar.EndpointLead) {
		t.Errorf("UpdateLead with an empty id: %v", err)
	}
	if n := s.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// leadRows is n minimal full leads with ids prefix-1 ... prefix-n.
func leadRows(t *testing.T, prefix string, n int) string {
	var doc map[string]any
	if err := json.Unmarshal([]byte(fixture(t, "lead_new.json")), &doc); err != nil {
		t.Fatal(err)
	}
	rows := make([]string, n)
	for i := range n {
		doc["id"] = fmt.Sprintf("%s-%d", prefix, i+1)
		b, _ := json.Marshal(doc)
		rows[i] = string(b)
	}
	return "[" + strings.Join(rows, ",") + "]"
}

func TestLeads_pages(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		n := 100
		if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l < n {
			n = l
		}
		switch r.URL.Query().Get("cursor") {
		case "":
			writeJSON(w, 200, page(leadRows(t, "a", n), "c2/+="))
		case "c2/+=":
			writeJSON(w, 200, page(leadRows(t, "b", n), ""))
		default:
			writeJSON(w, 400, v1Error("invalid", "bad cursor"))
		}
	})
	c, _ := newClient(t, s, nil)
	var pages [][]pipesolar.Lead
	err := c.EachLeadPage(t.Context(), pipesolar.ListFilter{ProductLine: "hi", UpdatedSince: "2026-10-01T00:00:00Z"}, func(rows []pipesolar.Lead) error {
		if got, want := s.count(), len(pages)+1; got != want {
			t.Errorf("page %d handed over after %d requests, want %d", want, got, want)
		}
		pages = append(pages, rows)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || len(pages[0]) != 100 || pages[1][99].ID != "b-100" || pages[1][0].Address.Country == nil {
		t.Fatalf("pages: %d", len(pages))
	}
	for i, r := range s.requests() {
		q := r.Query
		if r.Method != http.MethodGet || r.Path != "/v1/leads" || q.Get("limit") != "100" || q.Get("productLine") != "hi" || q.Get("updatedSince") != "2026-10-01T00:00:00Z" {
			t.Errorf("request %d = %s", i+1, describe(r))
		}
		if want := []string{"", "c2/+="}[i]; q.Get("cursor") != want || (want == "") == q.Has("cursor") {
			t.Errorf("request %d cursor = %q, want %q", i+1, q.Get("cursor"), want)
		}
	}

	rows, err := c.ListLeads(t.Context(), pipesolar.ListFilter{Limit: 7})
	if err != nil || len(rows) != 7 || rows[6].ID != "a-7" {
		t.Fatalf("ListLeads(limit 7) = %d rows, %v", len(rows), err)
	}
	if r := s.requests()[2]; r.Query.Get("limit") != "7" || r.Query.Has("productLine") || r.Query.Has("updatedSince") {
		t.Errorf("limited listing sent %s", describe(r))
	}
	if n := s.count(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}

func TestLeads_empty(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, `{"data":[],"next":null}`) })
	c, _ := newClient(t, s, nil)
	leads, err := c.ListLeads(t.Context(), pipesolar.ListFilter{})
	if err != nil || leads == nil || len(leads) != 0 {
		t.Errorf("ListLeads = %#v, %v; want an empty list", leads, err)
	}
	acts, err := c.ListLeadActivities(t.Context(), "l1")
	if err != nil || acts == nil || len(acts) != 0 {
		t.Errorf("ListLeadActivities = %#v, %v; want an empty list", acts, err)
	}
}

const activityNote = `{"id":"act_3","reference":"1690000000000x1","type":"note","body":"Called; left a message","internal":true,` +
	`"customerFacing":false,"replyTo":null,"author":"Sam Seller","authorId":"usr_9","createdAt":"2026-10-06T14:03:22.123Z"}`
const activityReply = `{"id":"act_2","reference":null,"type":"note","body":"","internal":false,` +
	`"customerFacing":true,"replyTo":"act_1","author":"Ana Rivera","authorId":null,"createdAt":null}`
const activitySystem = `{"id":"act_1","reference":null,"type":"stage","body":"Moved to Permitting","internal":false,` +
	`"customerFacing":false,"replyTo":null,"author":null,"authorId":null,"createdAt":"2026-11-01T08:00:00.000Z"}`

func TestLeadActivities(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.URL.Query().Get("cursor") {
		case "":
			writeJSON(w, 200, page("["+activityNote+","+activityReply+"]", "p2"))
		case "p2":
			writeJSON(w, 200, page("["+activitySystem+"]", ""))
		default:
			writeJSON(w, 400, v1Error("invalid", "bad cursor"))
		}
	})
	c, _ := newClient(t, s, nil)
	acts, err := c.ListLeadActivities(t.Context(), "1a2b/3c 4d")
	if err != nil {
		t.Fatal(err)
	}
	// Every page, in the order of the pages (the caller sorts).
	if len(acts) != 3 || acts[0].ID != "act_3" || acts[1].ID != "act_2" || acts[2].ID != "act_1" {
		t.Fatalf("activities = %+v", acts)
	}
	a := acts[0]
	if a.Type != "note" || a.Body != "Called; left a message" || !a.Internal || a.CustomerFacing {
		t.Errorf("activity[0] = %+v", a)
	}
	wantString(t, "activity[0].reference", a.Reference, "1690000000000x1")
	wantNull(t, "activity[0].replyTo", a.ReplyTo)
	wantString(t, "activity[0].author", a.Author, "Sam Seller")
	wantString(t, "activity[0].authorId", a.AuthorID, "usr_9")
	wantString(t, "activity[0].createdAt", a.CreatedAt, "2026-10-06T14:03:22.123Z")
	b := acts[1]
	if b.Body != "" || b.Internal || !b.CustomerFacing {
		t.Errorf("activity[1] = %+v", b)
	}
	wantNull(t, "activity[1].reference", b.Reference)
	wantString(t, "activity[1].replyTo", b.ReplyTo, "act_1")
	wantString(t, "activity[1].author", b.Author, "Ana Rivera")
	wantNull(t, "activity[1].authorId", b.AuthorID)
	wantNull(t, "activity[1].createdAt", b.CreatedAt)
	wantNull(t, "activity[2].author", acts[2].Author)

	for i, r := range s.requests() {
		if r.Method != http.MethodGet || r.Path != "/v1/leads/1a2b%2F3c%204d/activities" || r.Query.Get("limit") != "100" {
			t.Errorf("request %d = %s", i+1, describe(r))
		}
		if want := []string{"", "p2"}[i]; r.Query.Get("cursor") != want || len(r.Query) != map[bool]int{true: 1, false: 2}[want == ""] {
			t.Errorf("request %d = %s, want only limit and cursor %q", i+1, describe(r), want)
		}
	}
	if n := s.count(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

func TestLeads_errors(t *testing.T) {
	t.Parallel()
	const id = "led/8f 3c"
	getLead := func(c *pipesolar.Client) error { _, err := c.GetLead(t.Context(), id); return err }
	updateLead := func(c *pipesolar.Client) error {
		_, err := c.UpdateLead(t.Context(), id, pipesolar.LeadUpdate{SalesRepEmail: ptr("ghost@example.com")})
		return err
	}
	activities := func(c *pipesolar.Client) error { _, err := c.ListLeadActivities(t.Context(), id); return err }
	listLeads := func(c *pipesolar.Client) error {
		_, err := c.ListLeads(t.Context(), pipesolar.ListFilter{})
		return err
	}
	createLead := func(c *pipesolar.Client) error { _, err := c.CreateLead(t.Context(), minimalLead("crm-1")); return err }
	for _, tc := range []struct {
		name     string
		call     func(*pipesolar.Client) error
		status   int
		body     string
		endpoint string
		withID   bool
		kind     transport.Kind
		text     []string
	}{
		{name: "404 of a lead is gone", call: getLead, status: 404, body: v1Error("not_found", "No record with this id is yours."),
			endpoint: pipesolar.EndpointLead, withID: true, kind: transport.KindNotFound},
		{name: "404 of a lead's update is gone", call: updateLead, status: 404, body: v1Error("not_found", "No record with this id is yours."),
			endpoint: pipesolar.EndpointLead, withID: true, kind: transport.KindNotFound},
		{name: "404 of a lead's activity is gone", call: activities, status: 404, body: v1Error("not_found", "No record with this id is yours."),
			endpoint: pipesolar.EndpointLeadActivities, withID: true, kind: transport.KindNotFound},
		{name: "404 without v1's body is not gone", call: getLead, status: 404, body: "<html><title>404 Not Found</title></html>",
			endpoint: pipesolar.EndpointLead, withID: true, kind: transport.KindUnknown, text: []string{"base_url"}},
		{name: "404 of the lead list is a wrong base_url", call: listLeads, status: 404, body: v1Error("not_found", "No such route."),
			endpoint: pipesolar.EndpointLeads, kind: transport.KindUnknown, text: []string{"base_url", pipesolar.DefaultBaseURL}},
		{name: "404 of a create is a wrong base_url", call: createLead, status: 404, body: v1Error("not_found", "No such route."),
			endpoint: pipesolar.EndpointLeads, kind: transport.KindUnknown, text: []string{"base_url"}},
		{name: "400 unknown member", call: updateLead, status: 400,
			body:     v1Error("invalid", `salesRepEmail "ghost@example.com" is not an active member of Firefly Solar; nothing was changed.`),
			endpoint: pipesolar.EndpointLead, withID: true, kind: transport.KindValidation, text: []string{"ghost@example.com", "invalid"}},
		{name: "401", call: listLeads, status: 401, body: v1Error("unauthorized", "revoked"),
			endpoint: pipesolar.EndpointLeads, kind: transport.KindUnauthorized, text: []string{"api_token"}},
		{name: "410 retired", call: getLead, status: 410, body: movedBody,
			endpoint: pipesolar.EndpointLead, withID: true, kind: transport.KindGone, text: []string{"retired on 2026-10-11", pipesolar.DefaultBaseURL}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, tc.status, tc.body) })
			c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 3 })
			err := tc.call(c)
			var api *transport.APIError
			if !errors.As(err, &api) {
				t.Fatalf("error = %v (%T), want a *transport.APIError", err, err)
			}
			if api.StatusCode != tc.status || transport.KindOf(err) != tc.kind || transport.IsNotFound(err) != (tc.kind == transport.KindNotFound) {
				t.Errorf("status %d kind %v, want %d %v", api.StatusCode, transport.KindOf(err), tc.status, tc.kind)
			}
			wantID := ""
			if tc.withID {
				wantID = id
			}
			if api.Endpoint != tc.endpoint || api.ID != wantID {
				t.Errorf("endpoint %q id %q, want %q %q", api.Endpoint, api.ID, tc.endpoint, wantID)
			}
			for _, part := range append([]string{tc.endpoint}, tc.text...) {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error lacks %q:\n%v", part, err)
				}
			}
			if n := s.count(); n != 1 {
				t.Errorf("server saw %d requests, want 1 (never retried)", n)
			}
		})
	}
}

// Every lead call is safe to repeat: a 500, 502 or 504 is retried.
func TestLeads_retried(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		answer string
		call   func(*pipesolar.Client) error
	}{
		{"GetLead", "", func(c *pipesolar.Client) error { _, err := c.GetLead(t.Context(), "l1"); return err }},
		{"UpdateLead", "", func(c *pipesolar.Client) error {
			_, err := c.UpdateLead(t.Context(), "l1", pipesolar.LeadUpdate{Phone: ptr("555")})
			return err
		}},
		{"ListLeads", `{"data":[],"next":null}`, func(c *pipesolar.Client) error {
			_, err := c.ListLeads(t.Context(), pipesolar.ListFilter{})
			return err
		}},
		{"ListLeadActivities", `{"data":[],"next":null}`, func(c *pipesolar.Client) error {
			_, err := c.ListLeadActivities(t.Context(), "l1")
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
				switch {
				case n <= 2:
					writeJSON(w, []int{502, 504}[n-1], v1Error("internal", "try again"))
				case tc.answer != "":
					writeJSON(w, 200, tc.answer)
				default:
					writeJSON(w, 200, fixture(t, "lead_sold.json"))
				}
			})
			c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 2 })
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if len(reqs) != 3 || reqs[0].Body != reqs[2].Body || reqs[0].Path != reqs[2].Path {
				t.Errorf("server saw %d requests, want the same call 3 times", len(reqs))
			}
		})
	}
}
