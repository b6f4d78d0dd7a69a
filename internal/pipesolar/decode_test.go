package pipesolar_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

func TestDecode_me(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"key":{"name":"Terraform","prefix":"psk_0123"},"company":{"name":"Firefly Solar"}}`)
	})
	c, _ := newClient(t, s, nil)
	me, err := c.Me(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if me.Key.Name != "Terraform" || me.Key.Prefix != "psk_0123" || me.Company.Name != "Firefly Solar" {
		t.Errorf("Me = %+v", me)
	}
	r := s.requests()[0]
	if r.Method != http.MethodGet || r.Path != "/v1/me" {
		t.Errorf("request = %s, want GET /v1/me", describe(r))
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testToken {
		t.Errorf("Authorization = %q", got)
	}
	if got := r.Header.Get("User-Agent"); got != "pipesolar-test/1.0" {
		t.Errorf("User-Agent = %q", got)
	}
}

func TestDecode_solarProject(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, fixture(t, "project_solar.json"))
	})
	c, _ := newClient(t, s, nil)
	p, err := c.GetProject(t.Context(), "1a2b3c4d5e")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.requests()[0].Path; got != "/v1/projects/1a2b3c4d5e" {
		t.Errorf("path = %q", got)
	}
	if p.ID != "prj_8f3c1d2e9a7b4c6d" || p.LeadID != "led_77aa01" || p.ProductLine != "solar" || !p.NTPGranted {
		t.Errorf("core = %q %q %q %v", p.ID, p.LeadID, p.ProductLine, p.NTPGranted)
	}
	wantString(t, "reference", p.Reference, "1a2b3c4d5e")
	wantString(t, "stage.id", p.Stage.ID, "stg_install")
	wantString(t, "stage.name", p.Stage.Name, "Install Scheduled")
	wantString(t, "stage.enteredAt", p.Stage.EnteredAt, "2026-11-02T15:04:05.123Z")
	wantString(t, "soldAt", p.SoldAt, "2026-10-20T18:00:00.000Z")
	wantString(t, "updatedAt", p.UpdatedAt, "2026-11-30T09:12:44.501Z")
	wantString(t, "customer.email", p.Customer.Email, "ana@example.com")
	if p.CoBorrower == nil {
		t.Fatal("coBorrower = null")
	}
	// null and "" stay apart.
	wantNull(t, "coBorrower.email", p.CoBorrower.Email)
	wantString(t, "coBorrower.phone", p.CoBorrower.Phone, "")
	wantString(t, "address.line2", p.Address.Line2, "")
	wantString(t, "address.postalCode", p.Address.PostalCode, "75023")
	wantString(t, "meterNumber", p.MeterNumber, "MTR-0042")
	wantString(t, "notes.customer", p.Notes.Customer, "Prefers mornings")
	wantNull(t, "notes.project", p.Notes.Project)
	wantNull(t, "source.subSource", p.Source.SubSource)
	wantNull(t, "partnerLeadId", p.PartnerLeadID)
	wantString(t, "utility.name", p.Utility.Name, "Oncor")
	if p.Design == nil || p.Company == nil || p.SalesRep == nil || p.ProjectManager == nil || p.Subcontractor == nil {
		t.Fatalf("design %v company %v salesRep %v projectManager %v subcontractor %v: want all set", p.Design, p.Company, p.SalesRep, p.ProjectManager, p.Subcontractor)
	}
	wantNull(t, "design.soldScaniflyDesignId", p.Design.SoldScaniflyDesignID)
	wantString(t, "design.scaniflyDesignId", p.Design.ScaniflyDesignID, "sd-2")
	if p.Company.Name != "Firefly Solar" {
		t.Errorf("company.name = %q", p.Company.Name)
	}
	wantNull(t, "salesRep.phone", p.SalesRep.Phone)
	if p.Setter != nil || p.SiteSurveyor != nil {
		t.Errorf("setter %v siteSurveyor %v: want null", p.Setter, p.SiteSurveyor)
	}
	wantString(t, "subcontractor.phone", p.Subcontractor.Phone, "555-0101")

	// Money as exact decimals: 24350.50 and 24350.5 are the same amount.
	wantDecimal(t, "contract.price", p.Contract.Price, "24350.5")
	if p.Contract.Price.String() != "24350.50" {
		t.Errorf("contract.price text = %q, want the API's 24350.50 kept", p.Contract.Price.String())
	}
	wantDecimal(t, "contract.priceBeforeTax", p.Contract.PriceBeforeTax, "24350.50")
	wantDecimal(t, "contract.salesTax", p.Contract.SalesTax, "0")
	if len(p.Contract.Files) != 1 {
		t.Errorf("contract.files = %v", p.Contract.Files)
	}
	if p.Financing.Type != "loan" {
		t.Errorf("financing.type = %q", p.Financing.Type)
	}
	wantString(t, "financing.lender", p.Financing.Lender, "GoodLeap")
	wantDecimal(t, "financing.amount", p.Financing.Amount, "24350.5")
	wantDecimal(t, "financing.aprPercent", p.Financing.APRPercent, "5.99")
	wantDecimal(t, "financing.termMonths", p.Financing.TermMonths, "300")
	wantDecimal(t, "financing.monthlyPayment", p.Financing.MonthlyPayment, "151.20")
	wantNull(t, "financing.dealerFeePercent", p.Financing.DealerFeePercent)
	wantNull(t, "financing.escalatorPercent", p.Financing.EscalatorPercent)

	if p.System == nil {
		t.Fatal("system = null for a solar project")
	}
	if p.Products != nil {
		t.Errorf("products = %v, want null for a solar project", p.Products)
	}
	sys := p.System
	wantString(t, "system.roofType", sys.RoofType, "Comp shingle")
	wantDecimal(t, "system.sizeKw", sys.SizeKw, "9.6")
	wantDecimal(t, "system.annualProductionKwh", sys.AnnualProductionKwh, "13250")
	wantDecimal(t, "system.panels.count", sys.Panels.Count, "24")
	wantString(t, "system.panels.model", sys.Panels.Model, "Alpha 400")
	wantString(t, "system.inverters.name", sys.Inverters.Name, "Enphase IQ8M")
	if !sys.Inverters.Microinverter {
		t.Error("system.inverters.microinverter = false")
	}
	if sys.Batteries != nil {
		t.Errorf("system.batteries = %+v, want null", sys.Batteries)
	}
	wantDecimal(t, "system.pricePerWatt.base", sys.PricePerWatt.Base, "2.90")
	wantDecimal(t, "system.pricePerWatt.final", sys.PricePerWatt.Final, "2.5365")
	if len(sys.Adders) != 2 || sys.Adders[0].Name != "Main panel upgrade" {
		t.Fatalf("system.adders = %+v", sys.Adders)
	}
	wantDecimal(t, "system.adders[0].total", sys.Adders[0].Total, "1850")
	wantDecimal(t, "system.adders[1].quantity", &sys.Adders[1].Quantity, "24")
	wantNull(t, "system.adders[1].total", sys.Adders[1].Total)

	if p.InstallDate() != "2026-12-14" || p.Milestones["siteSurveyScheduled"] != "2026-10-25" {
		t.Errorf("milestones = %v", p.Milestones)
	}
	// customFields keep their JSON type: text, number, bool.
	for name, want := range map[string]string{"HOA name": `"Willow Creek"`, "Roof age": `12.5`, "Permit expedite": `true`} {
		if got := string(p.CustomFields[name]); got != want {
			t.Errorf("customFields[%q] = %s, want %s", name, got, want)
		}
	}
	if len(p.CustomFields) != 3 {
		t.Errorf("customFields = %v", p.CustomFields)
	}
	if len(p.Files["permit"]) != 2 || p.Files["siteSurvey"] == nil || len(p.Files["siteSurvey"]) != 0 {
		t.Errorf("files = %v", p.Files)
	}
	if _, ok := p.Files["contract"]; ok {
		t.Errorf("files has a folder the answer left out")
	}
	if p.Links.Project != "https://pipe.solar/dashboard/projects/prj_8f3c1d2e9a7b4c6d" {
		t.Errorf("links.project = %q", p.Links.Project)
	}
	wantString(t, "links.proposal", p.Links.Proposal, "https://pipe.solar/p/tok")
}

func TestDecode_hiProject(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, fixture(t, "project_hi.json"))
	})
	c, _ := newClient(t, s, nil)
	p, err := c.GetProject(t.Context(), "prj_hi_000000000000000000000001")
	if err != nil {
		t.Fatal(err)
	}
	if p.ProductLine != "hi" || p.NTPGranted {
		t.Errorf("productLine %q ntpGranted %v", p.ProductLine, p.NTPGranted)
	}
	wantNull(t, "reference", p.Reference)
	wantNull(t, "stage.id", p.Stage.ID)
	wantNull(t, "stage.name", p.Stage.Name)
	wantNull(t, "soldAt", p.SoldAt)
	wantNull(t, "customer.firstName", p.Customer.FirstName)
	wantNull(t, "address.line1", p.Address.Line1)
	wantString(t, "partnerLeadId", p.PartnerLeadID, "HD-99")
	if p.CoBorrower != nil || p.Design != nil || p.Company != nil || p.SalesRep != nil || p.Setter != nil ||
		p.ProjectManager != nil || p.SiteSurveyor != nil || p.Subcontractor != nil {
		t.Errorf("nullable objects: want every one null, got %+v", p)
	}
	wantNull(t, "contract.price", p.Contract.Price)
	if p.Contract.Files == nil || len(p.Contract.Files) != 0 {
		t.Errorf("contract.files = %#v, want empty, not null", p.Contract.Files)
	}
	if p.Financing.Type != "cash" {
		t.Errorf("financing.type = %q", p.Financing.Type)
	}
	wantNull(t, "financing.amount", p.Financing.Amount)
	if p.System != nil {
		t.Errorf("system = %+v, want null for an HI project", p.System)
	}
	if len(p.Products) != 2 || p.Products[0].Name != "Attic insulation" || p.Products[1].Name != "Smart thermostat" {
		t.Fatalf("products = %+v", p.Products)
	}
	wantDecimal(t, "products[0].price", p.Products[0].Price, "3200")
	wantNull(t, "products[1].price", p.Products[1].Price)
	if p.InstallDate() != "" || len(p.Milestones) != 0 || len(p.CustomFields) != 0 || len(p.Files) != 0 {
		t.Errorf("milestones %v customFields %v files %v: want empty", p.Milestones, p.CustomFields, p.Files)
	}
	wantNull(t, "links.proposal", p.Links.Proposal)
}

func TestDecode_projectRows(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"data":[
			{"id":"p1","reference":"1a2b3c4d5e","leadId":"l1","productLine":"solar",
			 "stage":{"id":"s1","name":"Permitting","enteredAt":"2026-11-01T00:00:00.000Z"},
			 "soldAt":"2026-10-01T00:00:00.000Z","updatedAt":"2026-11-30T10:00:00.000Z","ntpGranted":true,
			 "customer":{"firstName":"Ana","lastName":"Rivera","email":null,"phone":""},
			 "address":{"line1":"812 Main St","line2":null,"city":"Plano","state":"TX","postalCode":"75023","country":"US"}},
			{"id":"p2","reference":null,"leadId":"l2","productLine":"hi",
			 "stage":{"id":null,"name":null,"enteredAt":null},
			 "soldAt":null,"updatedAt":null,"ntpGranted":false,
			 "customer":{"firstName":null,"lastName":null,"email":null,"phone":null},
			 "address":{"line1":null,"line2":null,"city":null,"state":null,"postalCode":null,"country":null}}
		],"next":null}`)
	})
	c, _ := newClient(t, s, nil)
	rows, err := c.ListProjects(t.Context(), pipesolar.ListFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	a, b := rows[0], rows[1]
	if a.ID != "p1" || a.LeadID != "l1" || a.ProductLine != "solar" || !a.NTPGranted {
		t.Errorf("row 1 = %+v", a)
	}
	wantString(t, "rows[0].reference", a.Reference, "1a2b3c4d5e")
	wantString(t, "rows[0].stage.name", a.Stage.Name, "Permitting")
	wantString(t, "rows[0].updatedAt", a.UpdatedAt, "2026-11-30T10:00:00.000Z")
	wantNull(t, "rows[0].customer.email", a.Customer.Email)
	wantString(t, "rows[0].customer.phone", a.Customer.Phone, "")
	wantNull(t, "rows[0].address.line2", a.Address.Line2)
	if b.ID != "p2" || b.ProductLine != "hi" || b.NTPGranted {
		t.Errorf("row 2 = %+v", b)
	}
	wantNull(t, "rows[1].reference", b.Reference)
	wantNull(t, "rows[1].stage.id", b.Stage.ID)
	wantNull(t, "rows[1].soldAt", b.SoldAt)
}

func TestDecode_stages(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		writeJSON(w, 200, `{"data":[
			{"id":"s1","name":"Site Survey","productLine":"solar","position":1,"kind":"normal"},
			{"id":"s2","name":"On Hold","productLine":"solar","position":2,"kind":"onHold"},
			{"id":"s3","name":"Cancelled","productLine":"solar","position":3,"kind":"cancelled"}]}`)
	})
	c, _ := newClient(t, s, nil)
	stages, err := c.ListStages(t.Context(), "solar")
	if err != nil {
		t.Fatal(err)
	}
	want := []pipesolar.Stage{
		{ID: "s1", Name: "Site Survey", ProductLine: "solar", Position: "1", Kind: "normal"},
		{ID: "s2", Name: "On Hold", ProductLine: "solar", Position: "2", Kind: "onHold"},
		{ID: "s3", Name: "Cancelled", ProductLine: "solar", Position: "3", Kind: "cancelled"},
	}
	if len(stages) != len(want) {
		t.Fatalf("stages = %+v", stages)
	}
	for i := range want {
		if stages[i] != want[i] {
			t.Errorf("stages[%d] = %+v, want %+v", i, stages[i], want[i])
		}
	}
	r := s.requests()[0]
	if r.Path != "/v1/stages" || r.Query.Get("productLine") != "solar" {
		t.Errorf("request = %s", describe(r))
	}

	// Both ladders: no productLine at all.
	if _, err := c.ListStages(t.Context(), ""); err != nil {
		t.Fatal(err)
	}
	if r := s.requests()[1]; r.Query.Has("productLine") {
		t.Errorf("request = %s, want no productLine", describe(r))
	}
}

func TestDecode_stageMovedChangedFilesAdded(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.Method + " " + r.URL.Path {
		case "POST /v1/projects/p1/stage":
			writeJSON(w, 200, `{"changed":false,"stage":"Install Scheduled","stageId":"stg_install"}`)
		case "PATCH /v1/projects/p1":
			writeJSON(w, 200, `{"changed":true}`)
		case "POST /v1/projects/p1/files":
			writeJSON(w, 201, `{"files":[{"id":"f1","name":"Permit.pdf","folder":"permit","added":true},{"id":"f0","name":"old.pdf","folder":"permit","added":false}]}`)
		default:
			writeJSON(w, 404, v1Error("not_found", "no route"))
		}
	})
	c, _ := newClient(t, s, nil)
	moved, err := c.MoveStage(t.Context(), "p1", pipesolar.StageMove{Stage: "install scheduled"})
	if err != nil {
		t.Fatal(err)
	}
	if *moved != (pipesolar.StageMoved{Changed: false, Stage: "Install Scheduled", StageID: "stg_install"}) {
		t.Errorf("StageMoved = %+v", moved)
	}
	changed, err := c.UpdateProject(t.Context(), "p1", pipesolar.ProjectUpdate{NTPGranted: ptr(true)})
	if err != nil || !changed {
		t.Errorf("UpdateProject = %v, %v; want true", changed, err)
	}
	files, err := c.AddFiles(t.Context(), "p1", pipesolar.AddFilesInput{Folder: "permit", Files: []pipesolar.FileInput{
		{URL: "https://files.example.com/permit.pdf", Name: "Permit.pdf"}, {URL: "https://files.example.com/old.pdf"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []pipesolar.FileAdded{{ID: "f1", Name: "Permit.pdf", Folder: "permit", Added: true}, {ID: "f0", Name: "old.pdf", Folder: "permit", Added: false}}
	if len(files) != 2 || files[0] != want[0] || files[1] != want[1] {
		t.Errorf("files = %+v, want %+v", files, want)
	}
}

// A 2xx that is not v1's JSON (another service at base_url) is an error
// that says so, never an empty project.
func TestDecode_notV1(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch r.URL.Path {
		case "/v1/projects/p1":
			writeJSON(w, 200, `{"status":"ok"}`)
		case "/v1/projects":
			writeJSON(w, 200, `{"items":[]}`)
		default:
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><title>Welcome</title></html>"))
		}
	})
	c, _ := newClient(t, s, nil)
	if _, err := c.GetProject(t.Context(), "p1"); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("GetProject on a non-v1 answer: %v", err)
	}
	if _, err := c.ListProjects(t.Context(), pipesolar.ListFilter{}); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("ListProjects on a non-v1 answer: %v", err)
	}
	if _, err := c.Me(t.Context()); err == nil || !strings.Contains(err.Error(), "base_url") {
		t.Errorf("Me on an HTML page: %v", err)
	}
}
