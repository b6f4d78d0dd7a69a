// Project fields as SPEC §1.1 lists them; keep the two in step.

package pipesolar

import "encoding/json"

// Project is a project as fetch_project (and the list endpoints) return it.
// Every value is kept as the API's own text ("18,450.01", "8.50"); ParseNumber
// reads the numeric ones.
type Project struct {
	ID                           string // id
	CustomerFirstName            string // customerFirstName
	CustomerLastName             string // customerLastName
	CustomerPhoneNumber          string // customerPhoneNumber
	CustomerEmail                string // customerEmail
	CustomerAddress              string // customerAddress
	CustomerStreet               string // customerStreet
	CustomerCity                 string // customerCity
	CustomerState                string // customerState
	CustomerZip                  string // customerZip
	SecondaryCustomerFirstName   string // secondaryCustomerFirstName
	SecondaryCustomerLastName    string // secondaryCustomerLastName
	SecondaryCustomerPhoneNumber string // secondaryCustomerPhoneNumber
	SecondaryCustomerEmail       string // secondaryCustomerEmail
	ProjectStatus                string // projectStatus
	ContractSignedDate           string // contractSignedDate
	SubmittedDate                string // submittedDate
	ProjectSiteID                string // projectSiteId
	ContractURL                  string // contractURL
	ProposalURL                  string // proposalURL
	ProjectURL                   string // projectURL
	SystemSize                   string // systemSize
	EstProduction                string // estProduction
	NumberOfPanel                string // numberOfPanel
	PanelModel                   string // panelModel
	NumberOfInverter             string // numberOfInverter
	InverterName                 string // inverterName
	ContractPrice                string // contractPrice
	NumberOfBattery              string // numberOfBattery
	BatteryName                  string // batteryName
	FinanceCompany               string // financeCompany
	FinanceAmount                string // financeAmount
	FinanceAPR                   string // financeAPR
	FinanceTerm                  string // financeTerm
	FinanceType                  string // financeType
	BasePPW                      string // basePPW
	FinalPPW                     string // finalPPW
	AddersCost                   string // addersCost
	SalesRepName                 string // salesRepName
	SalesRepEmail                string // salesRepEmail
	SalesRepPhone                string // salesRepPhone
	SetterName                   string // setterName
	SetterEmail                  string // setterEmail
	SetterPhone                  string // setterPhone
	SiteSurveyorName             string // siteSurveyorName
	SubContractorName            string // subContractorName
	// AllFilesURL maps the API's folder keys (surveyFiles, ...) to URLs.
	AllFilesURL map[string]string // allFilesURL
	Adders      []string          // adders
}

// FolderKeys lists the keys of allFilesURL in the documented order.
var FolderKeys = []string{"surveyFiles", "personalFiles", "utilityBills", "insuranceFiles", "driverLicense", "installationPhotos", "plansets", "materials", "otherDocuments", "interconnection", "permits", "internalDocuments"}

// projectWire decodes a project tolerantly: every scalar may be a string, a
// number, a boolean or null.
type projectWire struct {
	CustomerFirstName            flexString `json:"customerFirstName"`
	CustomerLastName             flexString `json:"customerLastName"`
	CustomerPhoneNumber          flexString `json:"customerPhoneNumber"`
	CustomerEmail                flexString `json:"customerEmail"`
	CustomerAddress              flexString `json:"customerAddress"`
	CustomerStreet               flexString `json:"customerStreet"`
	CustomerCity                 flexString `json:"customerCity"`
	CustomerState                flexString `json:"customerState"`
	CustomerZip                  flexString `json:"customerZip"`
	SecondaryCustomerFirstName   flexString `json:"secondaryCustomerFirstName"`
	SecondaryCustomerLastName    flexString `json:"secondaryCustomerLastName"`
	SecondaryCustomerPhoneNumber flexString `json:"secondaryCustomerPhoneNumber"`
	SecondaryCustomerEmail       flexString `json:"secondaryCustomerEmail"`
	ProjectStatus                flexString `json:"projectStatus"`
	ContractSignedDate           flexString `json:"contractSignedDate"`
	SubmittedDate                flexString `json:"submittedDate"`
	ProjectSiteID                flexString `json:"projectSiteId"`
	ContractURL                  flexString `json:"contractURL"`
	ProposalURL                  flexString `json:"proposalURL"`
	ProjectURL                   flexString `json:"projectURL"`
	SystemSize                   flexString `json:"systemSize"`
	EstProduction                flexString `json:"estProduction"`
	NumberOfPanel                flexString `json:"numberOfPanel"`
	PanelModel                   flexString `json:"panelModel"`
	NumberOfInverter             flexString `json:"numberOfInverter"`
	InverterName                 flexString `json:"inverterName"`
	ContractPrice                flexString `json:"contractPrice"`
	NumberOfBattery              flexString `json:"numberOfBattery"`
	BatteryName                  flexString `json:"batteryName"`
	FinanceCompany               flexString `json:"financeCompany"`
	FinanceAmount                flexString `json:"financeAmount"`
	FinanceAPR                   flexString `json:"financeAPR"`
	FinanceTerm                  flexString `json:"financeTerm"`
	FinanceType                  flexString `json:"financeType"`
	BasePPW                      flexString `json:"basePPW"`
	FinalPPW                     flexString `json:"finalPPW"`
	AddersCost                   flexString `json:"addersCost"`
	SalesRepName                 flexString `json:"salesRepName"`
	SalesRepEmail                flexString `json:"salesRepEmail"`
	SalesRepPhone                flexString `json:"salesRepPhone"`
	SetterName                   flexString `json:"setterName"`
	SetterEmail                  flexString `json:"setterEmail"`
	SetterPhone                  flexString `json:"setterPhone"`
	SiteSurveyorName             flexString `json:"siteSurveyorName"`
	SubContractorName            flexString `json:"subContractorName"`
	AllFilesURL                  flexMap    `json:"allFilesURL"`
	Adders                       flexList   `json:"adders"`
	// Ids, in the places list items carry them.
	IDKey        flexString `json:"id"`
	UnderscoreID flexString `json:"_id"`
	ProjectID    flexString `json:"project_id"`
	ProjectIDCml flexString `json:"projectId"`
}

func (w *projectWire) id() string {
	for _, v := range []flexString{w.IDKey, w.UnderscoreID, w.ProjectID, w.ProjectIDCml} {
		if v != "" {
			return string(v)
		}
	}
	return ""
}

func (w *projectWire) project() Project {
	return Project{
		ID:                           w.id(),
		CustomerFirstName:            string(w.CustomerFirstName),
		CustomerLastName:             string(w.CustomerLastName),
		CustomerPhoneNumber:          string(w.CustomerPhoneNumber),
		CustomerEmail:                string(w.CustomerEmail),
		CustomerAddress:              string(w.CustomerAddress),
		CustomerStreet:               string(w.CustomerStreet),
		CustomerCity:                 string(w.CustomerCity),
		CustomerState:                string(w.CustomerState),
		CustomerZip:                  string(w.CustomerZip),
		SecondaryCustomerFirstName:   string(w.SecondaryCustomerFirstName),
		SecondaryCustomerLastName:    string(w.SecondaryCustomerLastName),
		SecondaryCustomerPhoneNumber: string(w.SecondaryCustomerPhoneNumber),
		SecondaryCustomerEmail:       string(w.SecondaryCustomerEmail),
		ProjectStatus:                string(w.ProjectStatus),
		ContractSignedDate:           string(w.ContractSignedDate),
		SubmittedDate:                string(w.SubmittedDate),
		ProjectSiteID:                string(w.ProjectSiteID),
		ContractURL:                  string(w.ContractURL),
		ProposalURL:                  string(w.ProposalURL),
		ProjectURL:                   string(w.ProjectURL),
		SystemSize:                   string(w.SystemSize),
		EstProduction:                string(w.EstProduction),
		NumberOfPanel:                string(w.NumberOfPanel),
		PanelModel:                   string(w.PanelModel),
		NumberOfInverter:             string(w.NumberOfInverter),
		InverterName:                 string(w.InverterName),
		ContractPrice:                string(w.ContractPrice),
		NumberOfBattery:              string(w.NumberOfBattery),
		BatteryName:                  string(w.BatteryName),
		FinanceCompany:               string(w.FinanceCompany),
		FinanceAmount:                string(w.FinanceAmount),
		FinanceAPR:                   string(w.FinanceAPR),
		FinanceTerm:                  string(w.FinanceTerm),
		FinanceType:                  string(w.FinanceType),
		BasePPW:                      string(w.BasePPW),
		FinalPPW:                     string(w.FinalPPW),
		AddersCost:                   string(w.AddersCost),
		SalesRepName:                 string(w.SalesRepName),
		SalesRepEmail:                string(w.SalesRepEmail),
		SalesRepPhone:                string(w.SalesRepPhone),
		SetterName:                   string(w.SetterName),
		SetterEmail:                  string(w.SetterEmail),
		SetterPhone:                  string(w.SetterPhone),
		SiteSurveyorName:             string(w.SiteSurveyorName),
		SubContractorName:            string(w.SubContractorName),
		AllFilesURL:                  map[string]string(w.AllFilesURL),
		Adders:                       []string(w.Adders),
	}
}

var _ json.Unmarshaler = (*flexString)(nil) // the wire types decode themselves
