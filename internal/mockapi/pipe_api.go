package mockapi

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// This file is the Go API tests use to arrange and inspect the v1 data:
// what people do "in the app", which v1 cannot do (projects are made when
// a lead is sold; nothing is deleted through the API).

// ProjectSeed describes a project made in the app. Zero fields get
// realistic defaults; the result carries every key v1's Project schema
// requires.
type ProjectSeed struct {
	// ID is Pipe's id ("" = a new one). Reference is the old 10-character
	// UID ("" = null): GET /v1/projects/<reference> resolves it, and so does
	// the lead's id (LeadID, "" = a new lead made for the project).
	ID, Reference, LeadID string
	// ProductLine is solar (default) or hi.
	ProductLine string
	// Stage is a stage of the product line's ladder, by name (any case) or
	// id; "" = the ladder's first.
	Stage string
	// Company owns the project: "" = the installer's company; the dealer's
	// name makes it the dealer's; any other name makes it another
	// company's (404 to both keys).
	Company                                        string
	FirstName, LastName, Email, Phone              string
	Line1, Line2, City, State, PostalCode, Country string
	// InstallDate is milestones.installScheduled, YYYY-MM-DD ("" = none).
	InstallDate string
	NTPGranted  bool
	// SoldAt is an ISO 8601 time ("" = now).
	SoldAt string
	// CustomFields are the company's fields: text, numbers or booleans.
	CustomFields map[string]any
	// Files are source addresses by folder (v1 folder names); the project
	// shows Pipe's links to them.
	Files map[string][]string
	// SystemSizeKw sets system.sizeKw (0 = a default).
	SystemSizeKw float64
	// Fields are laid over the project last, in v1's JSON names (objects
	// merge key by key), e.g. {"financing": {"type": "cash"}}.
	Fields map[string]any
}

func (p ProjectSeed) doc() map[string]any {
	d := map[string]any{}
	set := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	set("id", p.ID)
	set("reference", p.Reference)
	set("leadId", p.LeadID)
	set("productLine", p.ProductLine)
	set("stage", p.Stage)
	set("company", p.Company)
	set("soldAt", p.SoldAt)
	cust := map[string]any{}
	for k, v := range map[string]string{"firstName": p.FirstName, "lastName": p.LastName, "email": p.Email, "phone": p.Phone} {
		if v != "" {
			cust[k] = v
		}
	}
	if len(cust) > 0 {
		d["customer"] = cust
	}
	addr := map[string]any{}
	for k, v := range map[string]string{"line1": p.Line1, "line2": p.Line2, "city": p.City, "state": p.State, "postalCode": p.PostalCode, "country": p.Country} {
		if v != "" {
			addr[k] = v
		}
	}
	if len(addr) > 0 {
		d["address"] = addr
	}
	if p.InstallDate != "" {
		d["milestones"] = map[string]any{"installScheduled": p.InstallDate}
	}
	if p.NTPGranted {
		d["ntpGranted"] = true
	}
	if p.CustomFields != nil {
		d["customFields"] = p.CustomFields
	}
	if p.Files != nil {
		files := map[string]any{}
		for f, urls := range p.Files {
			l := make([]any, len(urls))
			for i, u := range urls {
				l[i] = u
			}
			files[f] = l
		}
		d["files"] = files
	}
	if p.SystemSizeKw != 0 {
		d["system"] = map[string]any{"sizeKw": p.SystemSizeKw}
	}
	if p.Fields != nil {
		merge(d, copyMap(p.Fields))
	}
	return d
}

// SeedProject stores a project made in the app and returns its id.
func (s *Server) SeedProject(p ProjectSeed) (string, error) {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	rec, lead, err := s.pipe.buildProject(p.doc(), s.now())
	if err != nil {
		return "", fmt.Errorf("mockapi: SeedProject: %w", err)
	}
	s.pipe.store(rec, lead)
	return rec.id, nil
}

// store adds a built project and the lead made for it.
func (ps *pipeState) store(p *projectRec, l *leadRec) {
	if l != nil {
		ps.leads[l.id] = l
	}
	ps.projects[p.id] = p
}

// SeedRandomProjects stores n realistic solar projects in varied stages and
// returns their ids.
func (s *Server) SeedRandomProjects(n int) []string {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	ids := make([]string, 0, n)
	var normal []string
	for _, st := range s.pipe.ladder("solar") {
		if st.Kind == "normal" {
			normal = append(normal, st.ID)
		}
	}
	for range n {
		d := map[string]any{"reference": newReference()}
		if len(normal) > 0 {
			d["stage"] = normal[s.pipe.demo%len(normal)]
		}
		if s.pipe.demo%4 == 1 {
			d["milestones"] = map[string]any{"installScheduled": s.now().AddDate(0, 0, 14+s.pipe.demo%20).Format("2006-01-02")}
			d["ntpGranted"] = true
		}
		p, l, err := s.pipe.buildProject(d, s.now())
		if err != nil { // cannot happen with generated values
			panic(err)
		}
		s.pipe.store(p, l)
		ids = append(ids, p.id)
	}
	return ids
}

// projectSeedKeys are the keys a seeded project may carry: the Project
// schema's, with `company` also as a bare name and `files` as source
// addresses.
var projectSeedKeys = []string{
	"id", "reference", "leadId", "productLine", "stage", "soldAt", "updatedAt", "ntpGranted", "customer",
	"coBorrower", "address", "meterNumber", "notes", "source", "partnerLeadId", "utility", "design", "company",
	"salesRep", "setter", "projectManager", "siteSurveyor", "subcontractor", "contract", "financing", "system",
	"products", "milestones", "customFields", "files", "links",
}

// usedID reports whether id already names a project or lead.
func (ps *pipeState) usedID(id string) bool {
	return id != "" && (ps.findProject(id, nil) != nil || ps.findLead(id, nil) != nil)
}

// buildProject makes a project from a partial v1 project (see
// projectSeedKeys) over realistic defaults, and the lead it was sold from
// when that lead does not exist yet. Nothing is stored.
func (ps *pipeState) buildProject(in map[string]any, now time.Time) (*projectRec, *leadRec, error) {
	in = expandShorthand(in)
	for k := range in {
		if !slices.Contains(projectSeedKeys, k) {
			return nil, nil, fmt.Errorf("unknown project key %q (v1 Project keys: %s)", k, strings.Join(projectSeedKeys, ", "))
		}
	}
	in = copyMap(in)
	line := "solar"
	if v, ok := in["productLine"]; ok {
		line = str(v)
		if line != "solar" && line != "hi" {
			return nil, nil, fmt.Errorf("productLine %v: want solar or hi", v)
		}
	}
	id, err := seedText(in, "id")
	if err != nil {
		return nil, nil, err
	}
	if id == "" {
		id = newID()
	}
	ref, err := seedText(in, "reference")
	if err != nil {
		return nil, nil, err
	}
	leadID, err := seedText(in, "leadId")
	if err != nil {
		return nil, nil, err
	}
	if ps.usedID(id) {
		return nil, nil, fmt.Errorf("id %q already names a project or lead", id)
	}
	if ref != "" {
		// The reference may be its own lead's (the old UID named both).
		if l := ps.findLead(ref, nil); ps.findProject(ref, nil) != nil || (l != nil && l.id != leadID) {
			return nil, nil, fmt.Errorf("reference %q already names another project or lead", ref)
		}
	}
	company := ps.company
	switch c := in["company"].(type) {
	case nil:
	case string:
		company = c
	case map[string]any:
		if n := str(c["name"]); n != "" {
			company = n
		}
	default:
		return nil, nil, fmt.Errorf("company must be a name or {name}")
	}
	st, err := ps.seedStage(line, in["stage"])
	if err != nil {
		return nil, nil, err
	}
	var updated time.Time
	if v, ok := in["updatedAt"]; ok {
		t, err := time.Parse(time.RFC3339Nano, str(v))
		if err != nil {
			return nil, nil, fmt.Errorf("updatedAt %v: want an ISO 8601 time", v)
		}
		updated = t.UTC().Truncate(time.Millisecond)
		ps.seen(updated)
	} else {
		updated = ps.bump(now)
	}
	var files []*fileRec
	if fv, ok := in["files"]; ok {
		if files, err = seedFiles(fv); err != nil {
			return nil, nil, err
		}
	}
	stageIn := in["stage"]
	for _, k := range []string{"id", "leadId", "stage", "files", "updatedAt", "company"} {
		delete(in, k)
	}
	n := ps.demo
	ps.demo++
	doc := defaultProjectDoc(n, line, ps.members)
	doc["reference"] = nil
	if ref != "" {
		doc["reference"] = ref
	}
	doc["productLine"] = line
	doc["soldAt"] = stamp(updated)
	doc["company"] = map[string]any{"name": company}
	merge(doc, in)
	if obj(doc["contract"]) != nil && obj(doc["contract"])["signedAt"] == nil {
		obj(doc["contract"])["signedAt"] = doc["soldAt"]
	}
	enteredAt := doc["soldAt"]
	if sm, ok := stageIn.(map[string]any); ok && sm["enteredAt"] != nil {
		enteredAt = sm["enteredAt"]
	}
	doc["stage"] = map[string]any{"id": st.ID, "name": st.Name, "enteredAt": enteredAt}
	if err := checkCustomFields(doc["customFields"]); err != nil {
		return nil, nil, err
	}
	p := &projectRec{id: id, company: company, updated: updated, files: files}
	var lead *leadRec
	if leadID != "" {
		if l := ps.leads[leadID]; l != nil {
			if ps.projectOfLead(leadID) != nil {
				return nil, nil, fmt.Errorf("lead %q already has a project", leadID)
			}
			p.leadID = leadID
		} else if ps.usedID(leadID) || leadID == id || leadID == ref {
			return nil, nil, fmt.Errorf("leadId %q already names another record", leadID)
		}
	}
	if p.leadID == "" {
		if leadID == "" {
			leadID = newID()
		}
		p.leadID = leadID
		ldoc := defaultLeadDoc(updated)
		for _, k := range []string{"customer", "coBorrower", "address", "productLine", "reference", "salesRep", "setter", "source", "partnerLeadId", "design"} {
			ldoc[k] = doc[k]
		}
		ldoc["notes"] = obj(doc["notes"])["customer"]
		ldoc["status"] = "project"
		ldoc["utility"] = map[string]any{"name": obj(doc["utility"])["name"], "monthlyBill": nil, "meterNumber": doc["meterNumber"]}
		lead = &leadRec{id: leadID, company: company, updated: updated, doc: copyMap(ldoc)}
	}
	delete(doc, "id")
	delete(doc, "leadId")
	delete(doc, "updatedAt")
	delete(doc, "files")
	p.doc = copyMap(doc)
	return p, lead, nil
}

// shorthand are the flat keys a seeded record may use for nested v1 ones
// (the names ProjectSeed and LeadSeed use).
var shorthand = map[string]string{
	"firstName": "customer.firstName", "lastName": "customer.lastName", "email": "customer.email", "phone": "customer.phone",
	"line1": "address.line1", "line2": "address.line2", "city": "address.city", "state": "address.state",
	"postalCode": "address.postalCode", "country": "address.country",
	"installDate": "milestones.installScheduled", "systemSizeKw": "system.sizeKw",
	"salesRepEmail": "salesRep", "setterEmail": "setter",
}

// expandShorthand rewrites shorthand keys into the nested v1 ones.
func expandShorthand(in map[string]any) map[string]any {
	out := map[string]any{}
	var flat []string
	for k, v := range in {
		if _, ok := shorthand[k]; ok {
			flat = append(flat, k)
			continue
		}
		out[k] = v
	}
	slices.Sort(flat)
	for _, k := range flat {
		parent, child, nested := strings.Cut(shorthand[k], ".")
		if !nested {
			out[parent] = in[k]
			continue
		}
		m, _ := out[parent].(map[string]any)
		if m == nil {
			m = map[string]any{}
		} else {
			m = copyMap(m)
		}
		m[child] = in[k]
		out[parent] = m
	}
	return out
}

func seedText(in map[string]any, key string) (string, error) {
	v, ok := in[key]
	if !ok || v == nil {
		return "", nil
	}
	s, isText := v.(string)
	if !isText || strings.TrimSpace(s) == "" || s != strings.TrimSpace(s) {
		return "", fmt.Errorf("%s must be non-empty text without surrounding spaces", key)
	}
	return s, nil
}

// seedStage resolves a seeded stage: a name or id, or {id, name}.
func (ps *pipeState) seedStage(line string, v any) (StageDef, error) {
	ladder := ps.ladder(line)
	var keys []string
	switch t := v.(type) {
	case nil:
		if len(ladder) == 0 {
			return StageDef{}, fmt.Errorf("the %s ladder is empty", line)
		}
		return ladder[0], nil
	case string:
		keys = []string{t}
	case map[string]any:
		keys = []string{str(t["id"]), str(t["name"])}
	default:
		return StageDef{}, fmt.Errorf("stage must be a stage's name or id, or {id, name}")
	}
	for _, k := range keys {
		if st, ok := ps.stageByID(line, k); ok {
			return st, nil
		}
		if st, ok := ps.stageByName(line, k); ok {
			return st, nil
		}
	}
	return StageDef{}, fmt.Errorf("stage %v is not on the %s ladder: %s", v, line, ladderNames(ladder))
}

// seedFiles reads {folder: [url | {url, name}]}.
func seedFiles(v any) ([]*fileRec, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("files must be {folder: [url, ...]}")
	}
	var out []*fileRec
	for _, folder := range fileFolders {
		list, has := m[folder]
		if !has {
			continue
		}
		items, ok := list.([]any)
		if !ok {
			return nil, fmt.Errorf("files.%s must be a list of addresses", folder)
		}
		for i, it := range items {
			f := &fileRec{ID: "fil_" + newID(), Folder: folder, Link: "https://pipe.solar/files/" + newID()}
			switch t := it.(type) {
			case string:
				f.URL = t
			case map[string]any:
				f.URL, f.Name = str(t["url"]), str(t["name"])
				if l := str(t["link"]); l != "" {
					f.Link = l
				}
				if id := str(t["id"]); id != "" {
					f.ID = id
				}
			}
			if f.URL == "" {
				return nil, fmt.Errorf("files.%s[%d]: want an address or {url, name}", folder, i)
			}
			if f.Name == "" {
				f.Name = f.URL[strings.LastIndex(f.URL, "/")+1:]
			}
			out = append(out, f)
		}
	}
	for k := range m {
		if !slices.Contains(fileFolders, k) {
			return nil, fmt.Errorf("files: unknown folder %q (v1 folders: %s)", k, strings.Join(fileFolders, ", "))
		}
	}
	return out, nil
}

func checkCustomFields(v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("customFields must be an object")
	}
	for k, f := range m {
		switch f.(type) {
		case string, float64, bool:
		default:
			return fmt.Errorf("customFields.%s must be text, a number or a boolean", k)
		}
	}
	return nil
}

// Project returns the project as GET /v1/projects/{id} answers it (numbers
// float64), by any id form, whichever company owns it.
func (s *Server) Project(id string) (map[string]any, bool) {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	p := s.pipe.findProject(id, nil)
	if p == nil {
		return nil, false
	}
	return s.pipe.projectView(p), true
}

// EditProject changes a project as a person in the app would: fn edits the
// v1 JSON (as Project returns it); updatedAt moves forward. A changed
// stage.id takes that stage's name, a changed stage.name its id, and a
// moved stage a new enteredAt. id, leadId, updatedAt and files are
// derived: edits to them are ignored. It reports whether the project
// exists.
func (s *Server) EditProject(id string, fn func(p map[string]any)) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	p := s.pipe.findProject(id, nil)
	if p == nil {
		return false
	}
	v := s.pipe.projectView(p)
	fn(v)
	t := s.pipe.bump(s.now())
	old := obj(p.doc["stage"])
	if st := obj(v["stage"]); st != nil {
		line := str(v["productLine"])
		if str(st["id"]) != str(old["id"]) {
			if def, ok := s.pipe.stageByID(line, str(st["id"])); ok {
				st["name"] = def.Name
			}
		} else if str(st["name"]) != str(old["name"]) {
			if def, ok := s.pipe.stageByName(line, str(st["name"])); ok {
				st["id"], st["name"] = def.ID, def.Name
			}
		}
		if str(st["id"]) != str(old["id"]) && reflect.DeepEqual(st["enteredAt"], old["enteredAt"]) {
			st["enteredAt"] = stamp(t)
		}
	}
	for _, k := range []string{"id", "leadId", "updatedAt", "files"} {
		delete(v, k)
	}
	if links := obj(v["links"]); links != nil {
		delete(links, "project")
	}
	p.doc = copyMap(v)
	p.updated = t
	return true
}

// DeleteProject makes the project disappear (every id form then answers
// 404). It reports whether it existed.
func (s *Server) DeleteProject(id string) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	p := s.pipe.findProject(id, nil)
	if p == nil {
		return false
	}
	delete(s.pipe.projects, p.id)
	return true
}

// ProjectIDs returns every project's id, newest change first.
func (s *Server) ProjectIDs() []string {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	var ids []string
	for _, p := range s.pipe.sortedProjects(nil) {
		ids = append(ids, p.id)
	}
	return ids
}

// Files returns the files of a project's folder ("" = every folder), in the
// order they were added.
func (s *Server) Files(projectID, folder string) []File {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	p := s.pipe.findProject(projectID, nil)
	if p == nil {
		return nil
	}
	var out []File
	for _, f := range p.files {
		if folder == "" || f.Folder == folder {
			out = append(out, File{ID: f.ID, Name: f.Name, Folder: f.Folder, SourceURL: f.URL, Link: f.Link})
		}
	}
	return out
}

// Stages returns the ladder of a product line ("" = both, solar's first).
func (s *Server) Stages(productLine string) []StageDef {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	if productLine != "" {
		return s.pipe.ladder(productLine)
	}
	return append(s.pipe.ladder("solar"), s.pipe.ladder("hi")...)
}

// Members returns the company's active members.
func (s *Server) Members() []Member {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	return slices.Clone(s.pipe.members)
}

// InstallerKey is the installer company's key.
func (s *Server) InstallerKey() string { return s.keyOf("installer") }

// DealerKey is the dealer company's key ("" when there is none).
func (s *Server) DealerKey() string { return s.keyOf("dealer") }

func (s *Server) keyOf(role string) string {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	for _, k := range s.pipe.keys {
		if k.Role == role {
			return k.Key
		}
	}
	return ""
}

// ---- leads ----

// LeadSeed describes a lead made in the app. Zero fields get defaults.
type LeadSeed struct {
	// ID is Pipe's id ("" = new); Reference the old UID ("" = null);
	// ExternalID the caller's id ("" = null).
	ID, Reference, ExternalID string
	// ProductLine is solar (default) or hi.
	ProductLine string
	// Company owns the lead, as ProjectSeed.Company.
	Company                                        string
	FirstName, LastName, Email, Phone              string
	Line1, Line2, City, State, PostalCode, Country string
	// SalesRepEmail and SetterEmail must be members ("" = none).
	SalesRepEmail, SetterEmail, Notes string
	// Status is the lead's status ("" = lead).
	Status   string
	Archived bool
	// Fields are laid over the lead last, in v1's JSON names.
	Fields map[string]any
}

func (l LeadSeed) doc() map[string]any {
	d := map[string]any{}
	set := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	set("id", l.ID)
	set("reference", l.Reference)
	set("externalId", l.ExternalID)
	set("productLine", l.ProductLine)
	set("company", l.Company)
	set("notes", l.Notes)
	set("status", l.Status)
	set("salesRep", l.SalesRepEmail)
	set("setter", l.SetterEmail)
	if l.Archived {
		d["archived"] = true
	}
	cust := map[string]any{}
	for k, v := range map[string]string{"firstName": l.FirstName, "lastName": l.LastName, "email": l.Email, "phone": l.Phone} {
		if v != "" {
			cust[k] = v
		}
	}
	if len(cust) > 0 {
		d["customer"] = cust
	}
	addr := map[string]any{}
	for k, v := range map[string]string{"line1": l.Line1, "line2": l.Line2, "city": l.City, "state": l.State, "postalCode": l.PostalCode, "country": l.Country} {
		if v != "" {
			addr[k] = v
		}
	}
	if len(addr) > 0 {
		d["address"] = addr
	}
	if l.Fields != nil {
		merge(d, copyMap(l.Fields))
	}
	return d
}

var leadSeedKeys = []string{
	"id", "reference", "productLine", "status", "archived", "createdAt", "updatedAt", "customer", "coBorrower",
	"address", "utility", "source", "externalId", "partnerLeadId", "notes", "salesRep", "setter", "design",
	"proposal", "links", "contractFiles", "files", "company", "activities",
}

// buildLead makes a lead from a partial v1 lead (salesRep and setter may be
// a member's e-mail; activities a list of rows or note texts). Nothing is
// stored.
func (ps *pipeState) buildLead(in map[string]any, now time.Time) (*leadRec, error) {
	in = expandShorthand(in)
	for k := range in {
		if !slices.Contains(leadSeedKeys, k) {
			return nil, fmt.Errorf("unknown lead key %q (v1 Lead keys: %s)", k, strings.Join(leadSeedKeys, ", "))
		}
	}
	in = copyMap(in)
	id, err := seedText(in, "id")
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = newID()
	}
	ref, err := seedText(in, "reference")
	if err != nil {
		return nil, err
	}
	for _, k := range []string{id, ref} {
		if ps.usedID(k) {
			return nil, fmt.Errorf("id or reference %q already names a project or lead", k)
		}
	}
	if line, ok := in["productLine"]; ok && line != "solar" && line != "hi" {
		return nil, fmt.Errorf("productLine %v: want solar or hi", line)
	}
	company := ps.company
	switch c := in["company"].(type) {
	case nil:
	case string:
		company = c
	case map[string]any:
		company = str(c["name"])
	}
	var updated time.Time
	if v, ok := in["updatedAt"]; ok {
		t, err := time.Parse(time.RFC3339Nano, str(v))
		if err != nil {
			return nil, fmt.Errorf("updatedAt %v: want an ISO 8601 time", v)
		}
		updated = t.UTC().Truncate(time.Millisecond)
		ps.seen(updated)
	} else {
		updated = ps.bump(now)
	}
	n := ps.demo
	ps.demo++
	doc := defaultLeadDoc(updated)
	doc["customer"], doc["address"] = demoCustomer(n)
	doc["proposal"] = defaultProposal(n)
	doc["links"] = map[string]any{"proposal": obj(obj(doc["proposal"])["links"])["proposal"]}
	for _, role := range []string{"salesRep", "setter"} {
		if email, ok := in[role].(string); ok {
			m := ps.member(email)
			if m == nil {
				return nil, fmt.Errorf("%s %q is not a member", role, email)
			}
			in[role] = personJSON(m)
		}
	}
	acts, _ := in["activities"].([]any)
	for _, k := range []string{"id", "updatedAt", "company", "activities"} {
		delete(in, k)
	}
	merge(doc, in)
	l := &leadRec{id: id, company: company, updated: updated, doc: copyMap(doc)}
	for i, a := range acts {
		row := map[string]any{"id": "act_" + newID(), "reference": nil, "type": "note", "body": "", "internal": false,
			"customerFacing": false, "replyTo": nil, "author": nil, "authorId": nil, "createdAt": stamp(updated)}
		switch t := a.(type) {
		case string:
			row["body"] = t
		case map[string]any:
			merge(row, t)
		default:
			return nil, fmt.Errorf("activities[%d]: want a note's text or an activity row", i)
		}
		l.activities = append(l.activities, row)
	}
	return l, nil
}

// SeedLead stores a lead made in the app and returns its id.
func (s *Server) SeedLead(l LeadSeed) (string, error) {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	rec, err := s.pipe.buildLead(l.doc(), s.now())
	if err != nil {
		return "", fmt.Errorf("mockapi: SeedLead: %w", err)
	}
	s.pipe.leads[rec.id] = rec
	return rec.id, nil
}

// Lead returns the lead as GET /v1/leads/{id} answers it, by id or
// reference, whichever company owns it.
func (s *Server) Lead(id string) (map[string]any, bool) {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	l := s.pipe.findLead(id, nil)
	if l == nil {
		return nil, false
	}
	return s.pipe.leadView(l), true
}

// EditLead changes a lead as a person in the app would: fn edits the v1
// JSON; updatedAt moves forward; the customer's details reach its project.
// id, updatedAt and project are derived: edits to them are ignored.
func (s *Server) EditLead(id string, fn func(l map[string]any)) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	l := s.pipe.findLead(id, nil)
	if l == nil {
		return false
	}
	v := s.pipe.leadView(l)
	fn(v)
	for _, k := range []string{"id", "updatedAt", "project"} {
		delete(v, k)
	}
	if links := obj(v["links"]); links != nil {
		delete(links, "record")
	}
	t := s.pipe.bump(s.now())
	l.doc, l.updated = copyMap(v), t
	if p := s.pipe.projectOfLead(l.id); p != nil {
		s.pipe.syncProject(p, l, t)
	}
	return true
}

// DeleteLead makes the lead disappear (404). It reports whether it existed.
func (s *Server) DeleteLead(id string) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	l := s.pipe.findLead(id, nil)
	if l == nil {
		return false
	}
	delete(s.pipe.leads, l.id)
	return true
}

// LeadIDs returns every lead's id, newest change first.
func (s *Server) LeadIDs() []string {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	var ids []string
	for _, l := range s.pipe.sortedLeads(nil) {
		ids = append(ids, l.id)
	}
	return ids
}

// Activities returns the lead's activity rows as v1 shows them, newest
// first.
func (s *Server) Activities(leadID string) []map[string]any {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	l := s.pipe.findLead(leadID, nil)
	if l == nil {
		return nil
	}
	out := make([]map[string]any, 0, len(l.activities))
	for i := len(l.activities) - 1; i >= 0; i-- {
		out = append(out, copyMap(l.activities[i]))
	}
	return out
}

// SeedActivity posts a note written in the app to the lead's activity and
// returns the row's id.
func (s *Server) SeedActivity(leadID, body string) (string, error) {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	l := s.pipe.findLead(leadID, nil)
	if l == nil {
		return "", fmt.Errorf("mockapi: SeedActivity: no lead %q", leadID)
	}
	id := "act_" + newID()
	l.activities = append(l.activities, map[string]any{
		"id": id, "reference": nil, "type": "note", "body": body, "internal": false, "customerFacing": false,
		"replyTo": nil, "author": "Jordan Reyes", "authorId": "usr_jordan", "createdAt": stamp(s.now()),
	})
	return id, nil
}
