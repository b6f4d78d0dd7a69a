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
