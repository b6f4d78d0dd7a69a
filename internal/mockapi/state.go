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
)

// StateFormat identifies the document SaveState writes and LoadState reads.
const StateFormat = "pipesolar-mockapi/state/v2"

// StateAdminHelp documents the admin routes for the whole state.
const StateAdminHelp = `  GET  /_mock/export        the whole state as a document -load-state reads
  PUT  /_mock/import        replace the whole state with such a document
`

// stateDoc is the state file: every stored object of both APIs. Request
// counters, behaviour, faults, the rate limit and issued OAuth tokens are
// not part of it. Its pipe part is a seed document (SeedFileHelp) holding
// every record in full, so a saved state is also a valid seed.
type stateDoc struct {
	Format string   `json:"format"`
	Pipe   seedDoc  `json:"pipe"`
	UPowr  upowrDoc `json:"upowr"`
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

// SaveState writes every stored object of both APIs (Pipe API v1's
// company, keys, members, stages, leads with their activities, projects
// with their files; UPowr projects, charges and temp files) as one JSON
// document that LoadState reads back. Request counters, the behaviour,
// faults, the rate limit and issued OAuth tokens are not saved.
func (s *Server) SaveState(w io.Writer) error {
	doc := stateDoc{Format: StateFormat}

	s.pipe.mu.RLock()
	doc.Pipe = s.pipe.saveDoc()
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
	dec.DisallowUnknownFields()
	var doc stateDoc
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("mockapi: reading state: %w", err)
	}
	if doc.Format != StateFormat {
		return fmt.Errorf("mockapi: reading state: format %q, want %q", doc.Format, StateFormat)
	}

	// Pipe API v1: build everything first, swap under the lock.
	fresh := &pipeState{}
	fresh.init(&s.cfg)
	if _, err := fresh.apply(doc.Pipe, s); err != nil {
		return fmt.Errorf("mockapi: reading state: pipe: %w", err)
	}
	fresh.demo = doc.Pipe.Demo // loading made no new records

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
	s.pipe.replace(fresh)
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
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "projects": len(s.ProjectIDs()), "leads": len(s.LeadIDs()), "upowr_projects": len(s.UPowrProjects())})
	})
}
