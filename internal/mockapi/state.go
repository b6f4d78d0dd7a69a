package mockapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// StateFormat identifies the document SaveState writes and LoadState reads.
const StateFormat = "pipesolar-mockapi/state/v1"

// StateAdminHelp documents the admin routes for the whole state.
const StateAdminHelp = `  GET  /_mock/export        the whole state as a document -load-state reads
  PUT  /_mock/import        replace the whole state with such a document
`

// stateDoc is the state file: every stored object of both APIs. Request
// counters, behaviour, faults and issued OAuth tokens are not part of it.
type stateDoc struct {
	Format string   `json:"format"`
	Pipe   pipeDoc  `json:"pipe_solar"`
	UPowr  upowrDoc `json:"upowr"`
}

type pipeDoc struct {
	Projects   []projectDoc  `json:"projects"`
	Activities []activityDoc `json:"activities"`
	Uploads    []uploadDoc   `json:"uploads"`
	// DemoSeq is the number of demo projects generated so far, so that
	// projects seeded after a load differ from the loaded ones.
	DemoSeq int64 `json:"demo_seq,omitempty"`
}

// projectDoc is one pipe.solar project: what fetch_project returns as
// "data", and the normalised create_project body (which holds the fields
// fetch_project does not return, such as org_id and sales_rep).
type projectDoc struct {
	ID          string         `json:"id"`
	OrgID       string         `json:"org_id"`
	InstallerID string         `json:"installer_id,omitempty"`
	Data        map[string]any `json:"data"`
	Input       map[string]any `json:"input"`
}

type activityDoc struct {
	ProjectID   string `json:"project_id"`
	InstallerID string `json:"installer_id"`
	Notes       string `json:"notes"`
}

type uploadDoc struct {
	ProjectID string   `json:"project_id"`
	FolderID  string   `json:"folder_id"`
	FileURLs  []string `json:"fileurl"`
}

type upowrDoc struct {
	Projects  []upowrProjectDoc `json:"projects"`
	Charges   []chargeDoc       `json:"charges"`
	TempFiles []tempFileDoc     `json:"temp_files"`
}

type upowrProjectDoc struct {
	ID                  string            `json:"id"`
	Type                string            `json:"type"`
	Status              string            `json:"status"`
	Class               string            `json:"class,omitempty"`
	Xref                string            `json:"xref,omitempty"`
	FileAssociationID   string            `json:"file_association_id,omitempty"`
	CustomerComments    string            `json:"customer_comments,omitempty"`
	CustomerID          string            `json:"customer_id,omitempty"`
	SiteID              string            `json:"site_id,omitempty"`
	RejectReason        string            `json:"reject_reason,omitempty"`
	ClosedBy            string            `json:"closed_by,omitempty"`
	ClosedStateOverride string            `json:"closed_state_override,omitempty"`
	Customer            json.RawMessage   `json:"customer,omitempty"`
	Site                json.RawMessage   `json:"site,omitempty"`
	CustomFields        json.RawMessage   `json:"custom_fields,omitempty"`
	ProductsOfInterest  []map[string]bool `json:"products_of_interest"`
	PreferredDays       []int             `json:"preferred_days"`
	TriggerProcess      bool              `json:"trigger_process,omitempty"`
	ContractAccepted    bool              `json:"contract_accepted,omitempty"`
	AcceptCount         int               `json:"accept_count,omitempty"`
	ReAcceptCount       int               `json:"re_accept_count,omitempty"`
	Files               []tempFileDoc     `json:"files,omitempty"`
}

type chargeDoc struct {
	ID            string   `json:"id"`
	ProjectID     string   `json:"project_id"`
	Type          string   `json:"type"`
	Description   string   `json:"description,omitempty"`
	PaidBy        string   `json:"paid_by"`
	ProcessedAt   string   `json:"processed_at"`
	Amount        int64    `json:"amount"`
	ExternalLinks []string `json:"external_links,omitempty"`
}

type tempFileDoc struct {
	FileAssociationID string `json:"file_association_id"`
	FileCode          string `json:"file_code"`
	Filename          string `json:"filename"`
	Size              int    `json:"size"`
	SHA256            string `json:"sha256"`
}

// SaveState writes every stored object of both APIs (pipe.solar projects,
// activities and uploads; UPowr projects, charges and temp files) as one
// JSON document that LoadState reads back. Request counters, the behaviour,
// faults and issued OAuth tokens are not saved.
func (s *Server) SaveState(w io.Writer) error {
	doc := stateDoc{Format: StateFormat}

	s.pipe.mu.RLock()
	doc.Pipe.Projects = make([]projectDoc, 0, len(s.pipe.order))
	for _, p := range s.pipe.order {
		doc.Pipe.Projects = append(doc.Pipe.Projects, projectDoc{
			ID: p.id, OrgID: p.org, InstallerID: p.installer,
			Data: copyObject(p.data), Input: copyObject(p.input),
		})
	}
	doc.Pipe.Activities = []activityDoc{}
	for _, id := range sortedKeys(s.pipe.activities) {
		for _, a := range s.pipe.activities[id] {
			doc.Pipe.Activities = append(doc.Pipe.Activities, activityDoc(a))
		}
	}
	doc.Pipe.Uploads = []uploadDoc{}
	for _, id := range sortedKeys(s.pipe.uploads) {
		for _, u := range s.pipe.uploads[id] {
			doc.Pipe.Uploads = append(doc.Pipe.Uploads, uploadDoc{ProjectID: u.ProjectID, FolderID: u.FolderID, FileURLs: slices.Clone(u.FileURLs)})
		}
	}
	doc.Pipe.DemoSeq = s.pipe.demoSeq
	s.pipe.mu.RUnlock()

	s.upowr.mu.RLock()
	doc.UPowr.Projects = make([]upowrProjectDoc, 0, len(s.upowr.order))
	for _, id := range s.upowr.order {
		p := s.upowr.projects[id].clone()
		files := make([]tempFileDoc, len(p.Files))
		for i, f := range p.Files {
			files[i] = tempFileDoc(f)
		}
		doc.UPowr.Projects = append(doc.UPowr.Projects, upowrProjectDoc{
			ID: p.ID, Type: p.Type, Status: p.Status, Class: p.Class, Xref: p.Xref,
			FileAssociationID: p.FileAssociationID, CustomerComments: p.CustomerComments,
			CustomerID: p.CustomerID, SiteID: p.SiteID, RejectReason: p.RejectReason,
			ClosedBy: p.ClosedBy, ClosedStateOverride: p.ClosedStateOverride,
			Customer: p.Customer, Site: p.Site, CustomFields: p.CustomFields,
			ProductsOfInterest: p.ProductsOfInterest, PreferredDays: p.PreferredDays,
			TriggerProcess: p.TriggerProcess, ContractAccepted: p.ContractAccepted,
			AcceptCount: p.AcceptCount, ReAcceptCount: p.ReAcceptCount, Files: files,
		})
	}
	doc.UPowr.Charges = make([]chargeDoc, 0, len(s.upowr.corder))
	for _, id := range s.upowr.corder {
		c := s.upowr.charges[id]
		doc.UPowr.Charges = append(doc.UPowr.Charges, chargeDoc{
			ID: c.ID, ProjectID: c.ProjectID, Type: c.Type, Description: c.Description, PaidBy: c.PaidBy,
			ProcessedAt: c.ProcessedAt, Amount: c.Amount, ExternalLinks: slices.Clone(c.ExternalLinks),
		})
	}
	doc.UPowr.TempFiles = []tempFileDoc{}
	for _, a := range sortedKeys(s.upowr.temp) {
		for _, f := range s.upowr.temp[a] {
			doc.UPowr.TempFiles = append(doc.UPowr.TempFiles, tempFileDoc(f))
		}
	}
	s.upowr.mu.RUnlock()

	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("mockapi: encoding state: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// LoadState replaces every stored object of both APIs with the document r
// holds (written by SaveState). On an error nothing changes. Request
// counters, the behaviour, faults and issued tokens stay as they are.
func (s *Server) LoadState(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.UseNumber() // numbers an edit left in a project keep their text
	dec.DisallowUnknownFields()
	var doc stateDoc
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("mockapi: reading state: %w", err)
	}
	if doc.Format != StateFormat {
		return fmt.Errorf("mockapi: reading state: format %q, want %q", doc.Format, StateFormat)
	}

	// pipe.solar: build everything first, swap under the lock.
	byID := map[string]*project{}
	var order []*project
	byOrg := map[string][]*project{}
	byInst := map[string][]*project{}
	for i, d := range doc.Pipe.Projects {
		where := fmt.Sprintf("pipe_solar.projects[%d]", i)
		switch {
		case strings.TrimSpace(d.ID) == "" || d.ID != strings.TrimSpace(d.ID):
			return fmt.Errorf("mockapi: reading state: %s: id must be non-empty text without surrounding spaces", where)
		case byID[d.ID] != nil:
			return fmt.Errorf("mockapi: reading state: %s: duplicate id %q", where, d.ID)
		case d.OrgID == "":
			return fmt.Errorf("mockapi: reading state: %s (%s): org_id is empty", where, d.ID)
		case d.Data == nil:
			return fmt.Errorf("mockapi: reading state: %s (%s): data is missing", where, d.ID)
		}
		in := d.Input
		if in == nil {
			in = map[string]any{}
		}
		for k, v := range in {
			if l, ok := stringList(v); ok {
				in[k] = l
			}
		}
		p := &project{id: d.ID, seq: int64(i + 1), org: d.OrgID, installer: d.InstallerID, input: in}
		if err := p.setData(d.Data); err != nil {
			return fmt.Errorf("mockapi: reading state: %s (%s): %w", where, d.ID, err)
		}
		byID[p.id] = p
		order = append(order, p)
		byOrg[p.org] = append(byOrg[p.org], p)
		if p.installer != "" {
			byInst[p.installer] = append(byInst[p.installer], p)
		}
	}
	activities := map[string][]Activity{}
	for _, a := range doc.Pipe.Activities {
		activities[a.ProjectID] = append(activities[a.ProjectID], Activity(a))
	}
	uploads := map[string][]Upload{}
	for _, u := range doc.Pipe.Uploads {
		uploads[u.ProjectID] = append(uploads[u.ProjectID], Upload{ProjectID: u.ProjectID, FolderID: u.FolderID, FileURLs: slices.Clone(u.FileURLs)})
	}

	// UPowr.
	uprojects := map[string]*UPowrProject{}
	var uorder []string
	for i, d := range doc.UPowr.Projects {
		if d.ID == "" || uprojects[d.ID] != nil {
			return fmt.Errorf("mockapi: reading state: upowr.projects[%d]: empty or duplicate id %q", i, d.ID)
		}
		files := make([]TempFile, len(d.Files))
		for j, f := range d.Files {
			files[j] = TempFile(f)
		}
		p := UPowrProject{
			ID: d.ID, Type: d.Type, Status: d.Status, Class: d.Class, Xref: d.Xref,
			FileAssociationID: d.FileAssociationID, CustomerComments: d.CustomerComments,
			CustomerID: d.CustomerID, SiteID: d.SiteID, RejectReason: d.RejectReason,
			ClosedBy: d.ClosedBy, ClosedStateOverride: d.ClosedStateOverride,
			Customer: stateRaw(d.Customer), Site: stateRaw(d.Site), CustomFields: stateRaw(d.CustomFields),
			ProductsOfInterest: d.ProductsOfInterest, PreferredDays: d.PreferredDays,
			TriggerProcess: d.TriggerProcess, ContractAccepted: d.ContractAccepted,
			AcceptCount: d.AcceptCount, ReAcceptCount: d.ReAcceptCount, Files: files,
		}
		p = p.clone()
		uprojects[p.ID] = &p
		uorder = append(uorder, p.ID)
	}
	charges := map[string]*UPowrCharge{}
	var corder []string
	for i, d := range doc.UPowr.Charges {
		if d.ID == "" || charges[d.ID] != nil {
			return fmt.Errorf("mockapi: reading state: upowr.charges[%d]: empty or duplicate id %q", i, d.ID)
		}
		if uprojects[d.ProjectID] == nil {
			return fmt.Errorf("mockapi: reading state: upowr.charges[%d] (%s): unknown project %q", i, d.ID, d.ProjectID)
		}
		charges[d.ID] = &UPowrCharge{
			ID: d.ID, ProjectID: d.ProjectID, Type: d.Type, Description: d.Description, PaidBy: d.PaidBy,
			ProcessedAt: d.ProcessedAt, Amount: d.Amount, ExternalLinks: slices.Clone(d.ExternalLinks),
		}
		corder = append(corder, d.ID)
	}
	temp := map[string][]TempFile{}
	for _, f := range doc.UPowr.TempFiles {
		temp[f.FileAssociationID] = append(temp[f.FileAssociationID], TempFile(f))
	}

	s.pipe.mu.Lock()
	s.pipe.byID, s.pipe.order, s.pipe.byOrg, s.pipe.byInst = byID, order, byOrg, byInst
	s.pipe.seq = int64(len(order))
	s.pipe.activities, s.pipe.uploads = activities, uploads
	s.pipe.nAct, s.pipe.nUpl = len(doc.Pipe.Activities), len(doc.Pipe.Uploads)
	s.pipe.demoSeq = doc.Pipe.DemoSeq
	s.pipe.mu.Unlock()

	s.upowr.mu.Lock()
	s.upowr.projects, s.upowr.order = uprojects, uorder
	s.upowr.charges, s.upowr.corder = charges, corder
	s.upowr.temp = temp
	s.upowr.mu.Unlock()
	return nil
}

// stateRaw compacts a JSON value from a state file (as the UPowr handlers
// store it); an absent value stays nil.
func stateRaw(m json.RawMessage) json.RawMessage {
	if len(m) == 0 {
		return nil
	}
	return compactRaw(m)
}

// SaveStateFile writes SaveState's document to path, atomically (a reader
// never sees half a file).
func (s *Server) SaveStateFile(path string) error {
	var buf bytes.Buffer
	if err := s.SaveState(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mockapi-state-*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadStateFile reads a state file written by SaveStateFile (or by
// GET /_mock/export) with LoadState.
func (s *Server) LoadStateFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.LoadState(f)
}

func (s *Server) stateRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /_mock/export", func(w http.ResponseWriter, r *http.Request) {
		var buf bytes.Buffer
		if err := s.SaveState(&buf); err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"ok": false, "message": err.Error()})
			return
		}
		writeRawJSON(w, http.StatusOK, buf.Bytes())
	})
	m.HandleFunc("PUT /_mock/import", func(w http.ResponseWriter, r *http.Request) {
		if err := s.LoadState(http.MaxBytesReader(w, r.Body, 256<<20)); err != nil {
			adminFail(w, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "pipe_solar_projects": len(s.ProjectIDs("")), "upowr_projects": len(s.UPowrProjects())})
	})
}
