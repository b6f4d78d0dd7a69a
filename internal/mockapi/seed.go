package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// SeedFileHelp documents the seed document (pipesolar-mockapi -seed, POST
// /_mock/seed, SeedJSON).
const SeedFileHelp = `Seed document (-seed FILE, POST /_mock/seed): JSON, every part optional.
  {
    "company":  "Sunville Solar",                 the installer company's name
    "keys":     [{"name": "terraform", "key": "psk_<40 hex>", "role": "installer"},
                 {"name": "dealer", "key": "psk_<40 hex>", "role": "dealer",
                  "company": "Bright Homes Dealer"}],
    "members":  [{"name": "Jordan Reyes", "email": "jordan@example.com", "phone": "602-555-0101"}],
    "stages":   [{"id": "stg_permit", "name": "Permitting", "productLine": "solar",
                  "kind": "normal"}, ...],           kind: normal|onHold|cancelled;
                                                     both product lines need a ladder
    "leads":    [<lead>, ...],
    "projects": [<project>, ...]
  }
company, keys, members and stages, when present, replace the mock's (keys:
at least one installer key). Leads and projects are added: each is a v1 Lead
or Project as GET answers it, with only the keys you care about; the rest
get realistic defaults, and every key the specification requires is there.
  <project>: "id" (Pipe's id; default new), "reference" (the old 10-character
    UID: GET /v1/projects/<reference> resolves it), "leadId" (an existing or
    new lead's id; default a new lead, whose reference is the project's),
    "productLine" (solar|hi), "stage" (a name in any case, an id, or
    {"id"}), "milestones" ({"installScheduled": "YYYY-MM-DD"} is the install
    date), "ntpGranted", "customer", "address", "customFields", "company"
    (a name: the dealer's makes it the dealer's, any other another
    company's, unseen by both keys), "updatedAt", and any other Project key;
    "files": {"<folder>": ["https://...", {"url": "https://...", "name": "x.pdf"}]}
    with v1 folders (contract, utilityBill, identification, material,
    siteSurvey, planset, permit, interconnection, other, homeInsurance,
    installationPhoto, internal).
  Both also take flat shorthands for nested keys: firstName, lastName, email,
    phone (customer.*), line1, line2, city, state, postalCode, country
    (address.*), installDate (milestones.installScheduled), systemSizeKw
    (system.sizeKw), salesRepEmail, setterEmail (salesRep, setter).
  <lead>: "id", "reference", "externalId", "productLine", "status",
    "customer", "address", "salesRep"/"setter" (a member's e-mail), "notes",
    "company", "activities" (note texts or activity rows), and any other
    Lead key.
A bare array is a list of projects. Nothing is stored unless the whole
document is valid; an error names the element. Example (two projects of a
1.x state, by their old UIDs):
  {"projects": [
    {"reference": "1696ABCDEF", "stage": "Permitting",
     "files": {"permit": ["https://files.example.com/permit.pdf"]}},
    {"reference": "1696GHIJKL", "stage": "NTP", "ntpGranted": true,
     "milestones": {"installScheduled": "2026-12-14"}}]}
`

// seedDoc is the seed document; a saved state's pipe part has the same
// shape, with every record in full.
type seedDoc struct {
	Company  any              `json:"company,omitempty"`
	Keys     []apiKey         `json:"keys,omitempty"`
	Members  []Member         `json:"members,omitempty"`
	Stages   []StageDef       `json:"stages,omitempty"`
	Leads    []map[string]any `json:"leads,omitempty"`
	Projects []map[string]any `json:"projects,omitempty"`
	// Demo is how many made-up records the mock has generated (state only),
	// so that records made after a load differ from the loaded ones.
	Demo int `json:"demo,omitempty"`
}

// SeedResult lists the ids of what a seed document added, in document
// order.
type SeedResult struct {
	Leads    []string `json:"leads"`
	Projects []string `json:"projects"`
}

// SeedJSON applies a seed document (see SeedFileHelp). Nothing changes on
// an error.
func (s *Server) SeedJSON(r io.Reader) (SeedResult, error) {
	doc, err := decodeSeed(r)
	if err != nil {
		return SeedResult{}, fmt.Errorf("mockapi: seed: %w", err)
	}
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	c := s.pipe.clone()
	res, err := c.apply(doc, s)
	if err != nil {
		return SeedResult{}, fmt.Errorf("mockapi: seed: %w", err)
	}
	s.pipe.replace(c)
	return res, nil
}

// SeedFile applies the seed document at path (see SeedJSON).
func (s *Server) SeedFile(path string) (SeedResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return SeedResult{}, err
	}
	defer f.Close()
	return s.SeedJSON(f)
}

func decodeSeed(r io.Reader) (seedDoc, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return seedDoc{}, err
	}
	var doc seedDoc
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		err = json.Unmarshal(t, &doc.Projects)
		return doc, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return seedDoc{}, err
	}
	return doc, nil
}

// clone copies the state so a document can be applied all or nothing.
func (ps *pipeState) clone() *pipeState {
	c := &pipeState{
		company: ps.company, keys: slices.Clone(ps.keys), members: slices.Clone(ps.members),
		stages: slices.Clone(ps.stages), projects: make(map[string]*projectRec, len(ps.projects)),
		leads: make(map[string]*leadRec, len(ps.leads)), last: ps.last, demo: ps.demo,
	}
	for id, p := range ps.projects {
		cp := *p
		cp.doc = copyMap(p.doc)
		cp.files = slices.Clone(p.files)
		c.projects[id] = &cp
	}
	for id, l := range ps.leads {
		cl := *l
		cl.doc = copyMap(l.doc)
		cl.activities = slices.Clone(l.activities)
		c.leads[id] = &cl
	}
	return c
}

// replace takes c's contents (ps's lock held).
func (ps *pipeState) replace(c *pipeState) {
	ps.company, ps.keys, ps.members, ps.stages = c.company, c.keys, c.members, c.stages
	ps.projects, ps.leads, ps.last, ps.demo = c.projects, c.leads, c.last, c.demo
}

// apply applies doc to ps (a clone).
func (ps *pipeState) apply(doc seedDoc, s *Server) (SeedResult, error) {
	res := SeedResult{Leads: []string{}, Projects: []string{}}
	if doc.Company != nil {
		name := ""
		switch c := doc.Company.(type) {
		case string:
			name = c
		case map[string]any:
			name = str(c["name"])
		}
		if strings.TrimSpace(name) == "" {
			return res, fmt.Errorf("company: want a name or {\"name\": ...}")
		}
		old := ps.company
		ps.company = name
		for _, p := range ps.projects {
			if p.company == old {
				p.company = name
				p.doc["company"] = map[string]any{"name": name}
			}
		}
		for _, l := range ps.leads {
			if l.company == old {
				l.company = name
			}
		}
		for i := range ps.keys {
			if ps.keys[i].Company == old {
				ps.keys[i].Company = name
			}
		}
	}
	if doc.Keys != nil {
		keys := slices.Clone(doc.Keys)
		installers := 0
		for i := range keys {
			k := &keys[i]
			switch {
			case strings.TrimSpace(k.Key) == "":
				return res, fmt.Errorf("keys[%d]: key must not be empty", i)
			case k.Role == "installer":
				installers++
				if k.Company == "" {
					k.Company = ps.company
				}
			case k.Role == "dealer":
				if k.Company == "" {
					return res, fmt.Errorf("keys[%d]: a dealer key needs its company's name", i)
				}
			default:
				return res, fmt.Errorf("keys[%d]: role %q, want installer or dealer", i, k.Role)
			}
			if k.Name == "" {
				k.Name = k.Role
			}
		}
		if installers == 0 {
			return res, fmt.Errorf("keys: at least one installer key is needed")
		}
		ps.keys = keys
	}
	if doc.Members != nil {
		for i, m := range doc.Members {
			if !looksLikeEmail(m.Email) {
				return res, fmt.Errorf("members[%d]: %q is not an e-mail address", i, m.Email)
			}
		}
		ps.members = slices.Clone(doc.Members)
	}
	if doc.Stages != nil {
		stages := slices.Clone(doc.Stages)
		for i := range stages {
			if stages[i].Kind == "" {
				stages[i].Kind = "normal"
			}
		}
		if err := checkStages(stages); err != nil {
			return res, err
		}
		ps.stages = stages
		for _, p := range ps.projects {
			line, id := str(p.doc["productLine"]), str(obj(p.doc["stage"])["id"])
			if _, ok := ps.stageByID(line, id); !ok {
				return res, fmt.Errorf("stages: project %s is in stage %q, which the new %s ladder lacks", p.id, id, line)
			}
		}
	}
	for i, in := range doc.Leads {
		l, err := ps.buildLead(in, s.now())
		if err != nil {
			return res, fmt.Errorf("leads[%d]: %w", i, err)
		}
		ps.leads[l.id] = l
		res.Leads = append(res.Leads, l.id)
	}
	for i, in := range doc.Projects {
		p, l, err := ps.buildProject(in, s.now())
		if err != nil {
			return res, fmt.Errorf("projects[%d]: %w", i, err)
		}
		ps.store(p, l)
		res.Projects = append(res.Projects, p.id)
	}
	return res, nil
}

// saveDoc is the whole v1 state as a seed document, every record in full.
func (ps *pipeState) saveDoc() seedDoc {
	doc := seedDoc{
		Company: ps.company, Keys: slices.Clone(ps.keys), Members: slices.Clone(ps.members),
		Stages: slices.Clone(ps.stages), Leads: []map[string]any{}, Projects: []map[string]any{}, Demo: ps.demo,
	}
	leads := ps.sortedLeads(nil)
	for i := len(leads) - 1; i >= 0; i-- { // oldest first
		l := leads[i]
		v := ps.leadView(l)
		delete(v, "project")
		delete(obj(v["links"]), "record")
		v["company"] = l.company
		acts := make([]any, len(l.activities))
		for j, a := range l.activities {
			acts[j] = copyMap(a)
		}
		v["activities"] = acts
		doc.Leads = append(doc.Leads, v)
	}
	projects := ps.sortedProjects(nil)
	for i := len(projects) - 1; i >= 0; i-- {
		p := projects[i]
		v := ps.projectView(p)
		delete(obj(v["links"]), "project")
		v["company"] = p.company
		files := map[string]any{}
		for _, f := range p.files {
			l, _ := files[f.Folder].([]any)
			files[f.Folder] = append(l, map[string]any{"id": f.ID, "name": f.Name, "url": f.URL, "link": f.Link})
		}
		v["files"] = files
		doc.Projects = append(doc.Projects, v)
	}
	return doc
}
