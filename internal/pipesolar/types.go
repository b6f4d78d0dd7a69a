package pipesolar

import "encoding/json"

// Types of Pipe API v1 (openapi.json in pipesolar/pipe-api-migration), one
// struct per schema, JSON names as the specification's. A nullable value is
// a pointer (nil = null), so null stays distinct from "" and 0. Numbers are
// json.Number: compare them as decimals, never as float64.

// Me is GET /me.
type Me struct {
	Key struct {
		Name   string `json:"name"`
		Prefix string `json:"prefix"`
	} `json:"key"`
	Company struct {
		Name string `json:"name"`
	} `json:"company"`
}

// StageRef is a project's stage.
type StageRef struct {
	ID        *string `json:"id"`
	Name      *string `json:"name"`
	EnteredAt *string `json:"enteredAt"`
}

// Person is a customer or co-borrower.
type Person struct {
	FirstName *string `json:"firstName"`
	LastName  *string `json:"lastName"`
	Email     *string `json:"email"`
	Phone     *string `json:"phone"`
}

// Address is a postal address.
type Address struct {
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	City       *string `json:"city"`
	State      *string `json:"state"`
	PostalCode *string `json:"postalCode"`
	Country    *string `json:"country"`
}

// Contact is a member on a project (sales rep, setter, ...).
type Contact struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
	Phone *string `json:"phone"`
}

// ProjectRow is one row of GET /projects.
type ProjectRow struct {
	ID          string   `json:"id"`
	Reference   *string  `json:"reference"`
	LeadID      string   `json:"leadId"`
	ProductLine string   `json:"productLine"`
	Stage       StageRef `json:"stage"`
	SoldAt      *string  `json:"soldAt"`
	UpdatedAt   *string  `json:"updatedAt"`
	NTPGranted  bool     `json:"ntpGranted"`
	Customer    Person   `json:"customer"`
	Address     Address  `json:"address"`
}

// Project is GET /projects/{id}: the full project.
type Project struct {
	ID             string                     `json:"id"`
	Reference      *string                    `json:"reference"`
	LeadID         string                     `json:"leadId"`
	ProductLine    string                     `json:"productLine"`
	Stage          StageRef                   `json:"stage"`
	SoldAt         *string                    `json:"soldAt"`
	UpdatedAt      *string                    `json:"updatedAt"`
	NTPGranted     bool                       `json:"ntpGranted"`
	Customer       Person                     `json:"customer"`
	CoBorrower     *Person                    `json:"coBorrower"`
	Address        Address                    `json:"address"`
	MeterNumber    *string                    `json:"meterNumber"`
	Notes          ProjectNotes               `json:"notes"`
	Source         Source                     `json:"source"`
	PartnerLeadID  *string                    `json:"partnerLeadId"`
	Utility        Utility                    `json:"utility"`
	Design         *Design                    `json:"design"`
	Company        *Company                   `json:"company"`
	SalesRep       *Contact                   `json:"salesRep"`
	Setter         *Contact                   `json:"setter"`
	ProjectManager *Contact                   `json:"projectManager"`
	SiteSurveyor   *Contact                   `json:"siteSurveyor"`
	Subcontractor  *Contact                   `json:"subcontractor"`
	Contract       Contract                   `json:"contract"`
	Financing      Financing                  `json:"financing"`
	System         *System                    `json:"system"`   // solar; nil for HI
	Products       []Product                  `json:"products"` // HI; nil for solar
	Milestones     map[string]string          `json:"milestones"`
	CustomFields   map[string]json.RawMessage `json:"customFields"` // text, number or bool, as sent
	Files          map[string][]string        `json:"files"`
	Links          Links                      `json:"links"`
}

// InstallDate is milestones.installScheduled ("" when there is none).
func (p *Project) InstallDate() string { return p.Milestones["installScheduled"] }

// ProjectNotes are a project's notes.
type ProjectNotes struct {
	Customer *string `json:"customer"`
	Project  *string `json:"project"`
}

// Source is where a lead came from.
type Source struct {
	Name      *string `json:"name"`
	SubSource *string `json:"subSource"`
}

// Utility is a project's utility.
type Utility struct {
	Name *string `json:"name"`
}

// Design is a project's design.
type Design struct {
	Name                 *string `json:"name"`
	ScaniflyProjectID    *string `json:"scaniflyProjectId"`
	ScaniflyDesignID     *string `json:"scaniflyDesignId"`
	SoldScaniflyDesignID *string `json:"soldScaniflyDesignId"`
}

// Company is the company a project belongs to.
type Company struct {
	Name string `json:"name"`
}

// Contract is a project's contract.
type Contract struct {
	SignedAt       *string      `json:"signedAt"`
	Price          *json.Number `json:"price"`
	SalesTax       *json.Number `json:"salesTax"`
	PriceBeforeTax *json.Number `json:"priceBeforeTax"`
	Files          []string     `json:"files"`
}

// Financing is a project's financing.
type Financing struct {
	Type             string       `json:"type"` // cash | loan | lease | ppa
	Lender           *string      `json:"lender"`
	Amount           *json.Number `json:"amount"`
	APRPercent       *json.Number `json:"aprPercent"`
	TermMonths       *json.Number `json:"termMonths"`
	MonthlyPayment   *json.Number `json:"monthlyPayment"`
	DealerFeePercent *json.Number `json:"dealerFeePercent"`
	EscalatorPercent *json.Number `json:"escalatorPercent"`
}

// System is a solar project's system.
type System struct {
	RoofType            *string      `json:"roofType"`
	SizeKw              *json.Number `json:"sizeKw"`
	AnnualProductionKwh *json.Number `json:"annualProductionKwh"`
	Panels              Panels       `json:"panels"`
	Inverters           Inverters    `json:"inverters"`
	Batteries           *Batteries   `json:"batteries"`
	PricePerWatt        PricePerWatt `json:"pricePerWatt"`
	Adders              []Adder      `json:"adders"`
}

// Panels of a system.
type Panels struct {
	Count        *json.Number `json:"count"`
	Manufacturer *string      `json:"manufacturer"`
	Model        *string      `json:"model"`
}

// Inverters of a system.
type Inverters struct {
	Count         *json.Number `json:"count"`
	Manufacturer  *string      `json:"manufacturer"`
	Model         *string      `json:"model"`
	Name          *string      `json:"name"`
	Microinverter bool         `json:"microinverter"`
}

// Batteries of a system.
type Batteries struct {
	Count        *json.Number `json:"count"`
	Manufacturer *string      `json:"manufacturer"`
	Model        *string      `json:"model"`
	CapacityKwh  *json.Number `json:"capacityKwh"`
}

// PricePerWatt of a system.
type PricePerWatt struct {
	Base  *json.Number `json:"base"`
	Final *json.Number `json:"final"`
}

// Adder on a system.
type Adder struct {
	Name     string       `json:"name"`
	Quantity json.Number  `json:"quantity"`
	Total    *json.Number `json:"total"`
}

// Product of a Home Improvement project.
type Product struct {
	Name  string       `json:"name"`
	Price *json.Number `json:"price"`
}

// Links of a project.
type Links struct {
	Project  string  `json:"project"`
	Proposal *string `json:"proposal"`
}

// Stage is one rung of GET /stages.
type Stage struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	ProductLine string      `json:"productLine"`
	Position    json.Number `json:"position"`
	Kind        string      `json:"kind"` // normal | onHold | cancelled
}

// StageMove is the body of POST /projects/{id}/stage: exactly one of
// StageID or Stage (a name, any case).
type StageMove struct {
	StageID string `json:"stageId,omitempty"`
	Stage   string `json:"stage,omitempty"`
}

// StageMoved is its answer.
type StageMoved struct {
	Changed bool   `json:"changed"`
	Stage   string `json:"stage"`
	StageID string `json:"stageId"`
}

// ProjectUpdate is PATCH /projects/{id}. A nil field is left out (kept);
// InstallDate pointing at "" is sent as null (cleared).
type ProjectUpdate struct {
	InstallDate *string
	NTPGranted  *bool
}

// FileInput is one file of POST /projects/{id}/files.
type FileInput struct {
	URL  string `json:"url"`
	Name string `json:"name,omitempty"`
}

// AddFilesInput is POST /projects/{id}/files. AddFiles sends Files in calls
// of at most MaxFilesPerCall.
type AddFilesInput struct {
	Folder string
	Files  []FileInput
}

// MaxFilesPerCall is v1's limit on files in one POST /projects/{id}/files.
const MaxFilesPerCall = 10

// FileAdded is one file of the answer.
type FileAdded struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Folder string `json:"folder"`
	Added  bool   `json:"added"`
}

// Folders are v1's file folders, in the specification's order.
var Folders = []string{"contract", "utilityBill", "identification", "material", "siteSurvey", "planset",
	"permit", "interconnection", "other", "homeInsurance", "installationPhoto", "internal"}

// ListFilter selects rows of a listing (GET /projects, GET /leads).
type ListFilter struct {
	ProductLine  string // "solar", "hi" or "" (both)
	UpdatedSince string // ISO 8601 time, or ""
	// Limit, when above 0, is how many rows the caller needs at most: no
	// page is requested beyond it, and each page asks for at most 100.
	Limit int64
}

// Lead is GET /leads/{id}, a row of GET /leads and the answer of
// PATCH /leads/{id}: the full lead.
type Lead struct {
	ID            string              `json:"id"`
	Reference     *string             `json:"reference"`
	ProductLine   string              `json:"productLine"`
	Status        string              `json:"status"`
	Archived      bool                `json:"archived"`
	CreatedAt     *string             `json:"createdAt"`
	UpdatedAt     *string             `json:"updatedAt"`
	Customer      Person              `json:"customer"`
	CoBorrower    *Person             `json:"coBorrower"`
	Address       Address             `json:"address"`
	Utility       LeadUtility         `json:"utility"`
	Source        Source              `json:"source"`
	ExternalID    *string             `json:"externalId"`
	PartnerLeadID *string             `json:"partnerLeadId"`
	Notes         *string             `json:"notes"`
	SalesRep      *Contact            `json:"salesRep"`
	Setter        *Contact            `json:"setter"`
	Project       *LeadProject        `json:"project"` // nil until the lead is sold
	Design        *Design             `json:"design"`
	Proposal      *Proposal           `json:"proposal"`
	Links         LeadLinks           `json:"links"`
	ContractFiles []string            `json:"contractFiles"` // optional in v1: nil when left out
	Files         map[string][]string `json:"files"`         // optional in v1; folder → links, a folder with no file left out
}

// LeadUtility is a lead's utility.
type LeadUtility struct {
	Name        *string      `json:"name"`
	MonthlyBill *json.Number `json:"monthlyBill"`
	MeterNumber *string      `json:"meterNumber"`
}

// LeadProject names the project a sold lead became.
type LeadProject struct {
	ID        string  `json:"id"`
	Reference *string `json:"reference"`
	SoldAt    *string `json:"soldAt"`
}

// LeadLinks are a lead's links.
type LeadLinks struct {
	Record   string  `json:"record"`
	Proposal *string `json:"proposal"`
}

// Proposal is the option a lead leads with: the one the customer chose,
// else the newest.
type Proposal struct {
	ID        string          `json:"id"`
	Reference string          `json:"reference"`
	Label     *string         `json:"label"`
	Status    string          `json:"status"`
	System    *ProposalSystem `json:"system"`
	Price     *ProposalPrice  `json:"price"`
	Financing Financing       `json:"financing"`
	Adders    []Adder         `json:"adders"`
	Links     ProposalLinks   `json:"links"`
}

// ProposalSystem is a proposal's system.
type ProposalSystem struct {
	SizeKw              *json.Number `json:"sizeKw"`
	AnnualProductionKwh *json.Number `json:"annualProductionKwh"`
	Arrays              *json.Number `json:"arrays"`
	Panels              Panels       `json:"panels"`
	Inverters           Inverters    `json:"inverters"`
	Batteries           *Batteries   `json:"batteries"`
	PricePerWatt        PricePerWatt `json:"pricePerWatt"`
}

// ProposalPrice is a proposal's price.
type ProposalPrice struct {
	Total      *json.Number `json:"total"`
	SalesTax   *json.Number `json:"salesTax"`
	BeforeTax  *json.Number `json:"beforeTax"`
	Adders     *json.Number `json:"adders"`
	Discounts  *json.Number `json:"discounts"`
	Incentives *json.Number `json:"incentives"`
	Net        *json.Number `json:"net"`
}

// ProposalLinks are a proposal's links.
type ProposalLinks struct {
	Proposal *string `json:"proposal"`
}

// LeadCreated is the answer of POST /leads: 201 with Created true for a new
// lead, 200 with Created false for the lead an earlier call with the same
// externalId made (the rest of the body was then ignored). Unassigned lists
// the rep and setter e-mails that are not active members of the company:
// those people were left empty.
type LeadCreated struct {
	LeadID     string   `json:"leadId"`
	Created    bool     `json:"created"`
	Unassigned []string `json:"unassigned"`
}

// LeadAddress is a lead's address as POST and PATCH /leads send it: Line1,
// City, State (a US state or Canadian province, code or name) and
// PostalCode are required; Line2 and Country (US or CA; read from the state
// when absent) are optional.
type LeadAddress struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country,omitempty"`
}

// LeadCreate is the body of POST /leads. An empty optional field is left
// out. ExternalID (your system's id, at most 128 characters) makes the
// call safe to repeat: sent again, it answers the lead already made.
type LeadCreate struct {
	FirstName     string      `json:"firstName"`
	LastName      string      `json:"lastName"`
	Address       LeadAddress `json:"address"`
	Email         string      `json:"email,omitempty"`
	Phone         string      `json:"phone,omitempty"`
	SalesRepEmail string      `json:"salesRepEmail,omitempty"`
	SetterEmail   string      `json:"setterEmail,omitempty"`
	Notes         string      `json:"notes,omitempty"`
	ExternalID    string      `json:"externalId,omitempty"`
}

// LeadUpdate is PATCH /leads/{id}. Each *string has three states: nil
// leaves the field out (v1 keeps it), a pointer to "" sends null (v1 clears
// it), any other value sends that value. FirstName and LastName cannot be
// cleared. Address and CoBorrower, when not nil, are sent whole (see
// UpdateLead). The lead's externalId cannot be changed.
type LeadUpdate struct {
	FirstName     *string
	LastName      *string
	Email         *string
	Phone         *string
	Notes         *string // also posted to the lead's activity
	SalesRepEmail *string // an active member's sign-in e-mail; "" takes the rep off the lead
	SetterEmail   *string // as SalesRepEmail, for the setter
	Address       *LeadAddress
	CoBorrower    *CoBorrowerUpdate
}

// IsEmpty reports whether u changes nothing (UpdateLead then makes no call).
func (u LeadUpdate) IsEmpty() bool {
	return u.FirstName == nil && u.LastName == nil && u.Email == nil && u.Phone == nil && u.Notes == nil &&
		u.SalesRepEmail == nil && u.SetterEmail == nil && u.Address == nil && u.CoBorrower == nil
}

// CoBorrowerUpdate is a lead's co-borrower as PATCH /leads/{id} sends it:
// all four fields, an empty one clearing that field (all four empty clear
// the co-borrower).
type CoBorrowerUpdate struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// LeadActivity is one row of GET /leads/{id}/activities (v1's Activity).
// Pages come in the order Pipe recorded the rows, not strictly by time:
// sort by CreatedAt when the order matters.
type LeadActivity struct {
	ID             string  `json:"id"`
	Reference      *string `json:"reference"` // the old id of a row written before 2026-10-11
	Type           string  `json:"type"`      // note | status | stage | assignment | share | appointment | task | file | price | system | checklist
	Body           string  `json:"body"`
	Internal       bool    `json:"internal"`
	CustomerFacing bool    `json:"customerFacing"`
	ReplyTo        *string `json:"replyTo"`
	Author         *string `json:"author"`
	AuthorID       *string `json:"authorId"`
	CreatedAt      *string `json:"createdAt"`
}

// CatalogueAdder is one row of GET /adders (v1's Adder schema; Adder is the
// adder on a system or proposal): an installer's adder or HI product.
type CatalogueAdder struct {
	ID             string       `json:"id"`
	Name           string       `json:"name"`
	Description    *string      `json:"description"`
	ProductLine    string       `json:"productLine"`
	ProductKind    *string      `json:"productKind"`
	Unit           string       `json:"unit"`
	UnitPrice      json.Number  `json:"unitPrice"` // dollars per watt for a perWatt adder
	Tiered         bool         `json:"tiered"`
	RepSponsored   bool         `json:"repSponsored"`
	ShowOnProposal bool         `json:"showOnProposal"`
	Brand          *string      `json:"brand"`
	Model          *string      `json:"model"`
	WarrantyYears  *json.Number `json:"warrantyYears"`
}

// Equipment is one row of GET /equipment: a panel, inverter or battery.
// Watts, Default and Microinverter are never null in v1 but optional (each
// belongs to some kinds only): nil means the answer left them out.
type Equipment struct {
	ID                    string       `json:"id"`
	Kind                  string       `json:"kind"` // panel | inverter | battery
	Manufacturer          string       `json:"manufacturer"`
	Model                 *string      `json:"model"`
	Watts                 *json.Number `json:"watts"`
	Default               *bool        `json:"default"`
	RatedOutputWatts      *json.Number `json:"ratedOutputWatts"`
	EfficiencyPercent     *json.Number `json:"efficiencyPercent"`
	Microinverter         *bool        `json:"microinverter"`
	CapacityKwh           *json.Number `json:"capacityKwh"`
	ContinuousOutputWatts *json.Number `json:"continuousOutputWatts"`
	WarrantyYears         *json.Number `json:"warrantyYears"`
}

// EquipmentKinds are the kinds GET /equipment?kind= takes.
var EquipmentKinds = []string{"panel", "inverter", "battery"}
