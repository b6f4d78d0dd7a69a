package mockapi

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// PipeBehaviour switches the choices Pipe API v1 does not publish (SPEC
// §1.1): whether it re-formats what a write stores. The zero value stores
// exactly what was sent. They act on API writes (POST and PATCH
// /v1/leads), never on seeds or EditProject/EditLead.
type PipeBehaviour struct {
	// ReformatPhone stores a 10-digit phone (optionally +1) as "(602) 555-0199".
	ReformatPhone bool `json:"reformat_phone"`
	// StateAsCode stores a state's or province's name as its code
	// ("California" → "CA").
	StateAsCode bool `json:"state_as_code"`
	// LowercaseEmail stores e-mail addresses in lower case.
	LowercaseEmail bool `json:"lowercase_email"`
	// TrimSpaces stores text without surrounding spaces.
	TrimSpaces bool `json:"trim_spaces"`
}

// SetPipeBehaviour replaces the behaviour switches.
func (s *Server) SetPipeBehaviour(b PipeBehaviour) { s.behaviour.Store(&b) }

// CurrentPipeBehaviour returns the behaviour switches in effect.
func (s *Server) CurrentPipeBehaviour() PipeBehaviour { return *s.behaviour.Load() }

// apiKey is one company key.
type apiKey struct {
	Name    string `json:"name"`
	Key     string `json:"key"`
	Role    string `json:"role"` // installer | dealer
	Company string `json:"company"`
}

// projectRec is one project. doc is its v1 JSON without the keys derived
// when it is shown: id, updatedAt, files and links.project.
type projectRec struct {
	id, leadID, company string
	updated             time.Time
	doc                 map[string]any
	files               []*fileRec
}

// leadRec is one lead. doc is its v1 JSON without id, updatedAt, project
// and links.record.
type leadRec struct {
	id, company string
	updated     time.Time
	doc         map[string]any
	activities  []map[string]any // in the order recorded
}

// fileRec is one file added to a project folder.
type fileRec struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Folder string `json:"folder"`
	URL    string `json:"url"`  // the source address sent
	Link   string `json:"link"` // Pipe's copy, what `files` shows
}

// File is a file of a project's folder, as Files returns it.
type File struct {
	ID, Name, Folder string
	// SourceURL is the address the file was copied from; Link is Pipe's
	// copy, the value `files` shows.
	SourceURL, Link string
}

type pipeState struct {
	mu       sync.RWMutex
	company  string
	keys     []apiKey
	members  []Member
	stages   []StageDef
	projects map[string]*projectRec
	leads    map[string]*leadRec
	last     time.Time // the newest updatedAt given, so every change moves forward
	demo     int       // demo records made so far
}

func (ps *pipeState) init(cfg *Config) {
	ps.company = cfg.CompanyName
	ps.keys = []apiKey{{Name: cfg.KeyName, Key: cfg.InstallerKey, Role: "installer", Company: cfg.CompanyName}}
	if cfg.DealerKey != "-" {
		ps.keys = append(ps.keys, apiKey{Name: "dealer", Key: cfg.DealerKey, Role: "dealer", Company: cfg.DealerName})
	}
	ps.members = slices.Clone(cfg.Members)
	ps.stages = slices.Clone(cfg.Stages)
	ps.projects = map[string]*projectRec{}
	ps.leads = map[string]*leadRec{}
}

// ---- ids, clock, JSON values ----

func newID() string { return strings.ToLower(rand.Text())[:20] }

const refAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newReference is a 10-character UID in the shape of the retired API's.
func newReference() string {
	t := rand.Text()
	var b [10]byte
	for i := range b {
		b[i] = refAlphabet[int(t[i])%len(refAlphabet)]
	}
	return string(b[:])
}

const stampLayout = "2006-01-02T15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(stampLayout) }

// bump is the time of a change: now, and always after every earlier one.
func (ps *pipeState) bump(now time.Time) time.Time {
	t := now.UTC().Truncate(time.Millisecond)
	if !t.After(ps.last) {
		t = ps.last.Add(time.Millisecond)
	}
	ps.last = t
	return t
}

func (ps *pipeState) seen(t time.Time) {
	if t.After(ps.last) {
		ps.last = t
	}
}

// normalize deep-copies v as JSON decodes it (numbers float64).
func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

func copyMap(m map[string]any) map[string]any {
	out, err := normalize(m)
	if err != nil {
		return map[string]any{}
	}
	o, _ := out.(map[string]any)
	return o
}

// merge lays over onto base: objects merge key by key, anything else
// replaces.
func merge(base, over map[string]any) {
	for k, v := range over {
		if vm, ok := v.(map[string]any); ok {
			if bm, ok := base[k].(map[string]any); ok {
				merge(bm, vm)
				continue
			}
		}
		base[k] = v
	}
}

func str(v any) string { s, _ := v.(string); return s }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// ---- keys and companies ----

func (ps *pipeState) keyFor(token string) *apiKey {
	for i := range ps.keys {
		if ps.keys[i].Key == token {
			return &ps.keys[i]
		}
	}
	return nil
}

// visible reports whether a record of company is k's: an installer's key
// reads its own and its dealers' records, a dealer's key its own.
func (ps *pipeState) visible(company string, k *apiKey) bool {
	if company == k.Company {
		return true
	}
	if k.Role != "installer" {
		return false
	}
	for _, d := range ps.keys {
		if d.Role == "dealer" && d.Company == company {
			return true
		}
	}
	return false
}

// ---- stages ----

func (ps *pipeState) ladder(line string) []StageDef {
	var out []StageDef
	for _, st := range ps.stages {
		if st.ProductLine == line {
			out = append(out, st)
		}
	}
	return out
}

func (ps *pipeState) stageByID(line, id string) (StageDef, bool) {
	for _, st := range ps.ladder(line) {
		if st.ID == id {
			return st, true
		}
	}
	return StageDef{}, false
}

func (ps *pipeState) stageByName(line, name string) (StageDef, bool) {
	name = strings.TrimSpace(name)
	for _, st := range ps.ladder(line) {
		if strings.EqualFold(st.Name, name) {
			return st, true
		}
	}
	return StageDef{}, false
}

func ladderNames(l []StageDef) string {
	names := make([]string, len(l))
	for i, st := range l {
		names[i] = fmt.Sprintf("%q (%s)", st.Name, st.ID)
	}
	return strings.Join(names, ", ")
}

func checkStages(stages []StageDef) error {
	ids := map[string]bool{}
	names := map[string]bool{}
	for i, st := range stages {
		where := fmt.Sprintf("stages[%d]", i)
		switch {
		case strings.TrimSpace(st.ID) == "" || strings.TrimSpace(st.Name) == "":
			return fmt.Errorf("%s: id and name must not be empty", where)
		case st.ProductLine != "solar" && st.ProductLine != "hi":
			return fmt.Errorf("%s (%s): productLine %q, want solar or hi", where, st.Name, st.ProductLine)
		case st.Kind != "normal" && st.Kind != "onHold" && st.Kind != "cancelled":
			return fmt.Errorf("%s (%s): kind %q, want normal, onHold or cancelled", where, st.Name, st.Kind)
		case ids[st.ProductLine+"\x00"+st.ID]:
			return fmt.Errorf("%s: duplicate id %q in the %s ladder", where, st.ID, st.ProductLine)
		case names[st.ProductLine+"\x00"+strings.ToLower(st.Name)]:
			return fmt.Errorf("%s: duplicate name %q in the %s ladder", where, st.Name, st.ProductLine)
		}
		ids[st.ProductLine+"\x00"+st.ID] = true
		names[st.ProductLine+"\x00"+strings.ToLower(st.Name)] = true
	}
	for _, line := range []string{"solar", "hi"} {
		if !slices.ContainsFunc(stages, func(st StageDef) bool { return st.ProductLine == line }) {
			return fmt.Errorf("stages: the %s ladder is empty", line)
		}
	}
	return nil
}

func (ps *pipeState) member(email string) *Member {
	for i := range ps.members {
		if strings.EqualFold(ps.members[i].Email, strings.TrimSpace(email)) {
			return &ps.members[i]
		}
	}
	return nil
}

// ---- lookup ----

// findProject resolves any id form of a project: its id, its reference,
// its lead's id or its lead's reference. nil when k may not read it.
func (ps *pipeState) findProject(key string, k *apiKey) *projectRec {
	if key == "" {
		return nil
	}
	if p := ps.projects[key]; p != nil {
		return ps.visibleProject(p, k)
	}
	for _, p := range ps.projects {
		if str(p.doc["reference"]) == key || p.leadID == key {
			return ps.visibleProject(p, k)
		}
		if l := ps.leads[p.leadID]; l != nil && str(l.doc["reference"]) == key {
			return ps.visibleProject(p, k)
		}
	}
	return nil
}

func (ps *pipeState) visibleProject(p *projectRec, k *apiKey) *projectRec {
	if k != nil && !ps.visible(p.company, k) {
		return nil
	}
	return p
}

// findLead resolves a lead's id, its reference, or its project's reference
// (the old UID named both).
func (ps *pipeState) findLead(key string, k *apiKey) *leadRec {
	if key == "" {
		return nil
	}
	l := ps.leads[key]
	if l == nil {
		for _, c := range ps.leads {
			if str(c.doc["reference"]) == key {
				l = c
				break
			}
		}
	}
	if l == nil {
		for _, p := range ps.projects {
			if str(p.doc["reference"]) == key {
				l = ps.leads[p.leadID]
				break
			}
		}
	}
	if l == nil || (k != nil && !ps.visible(l.company, k)) {
		return nil
	}
	return l
}

func (ps *pipeState) projectOfLead(leadID string) *projectRec {
	for _, p := range ps.projects {
		if p.leadID == leadID {
			return p
		}
	}
	return nil
}

// ---- views ----

func (ps *pipeState) projectView(p *projectRec) map[string]any {
	v := copyMap(p.doc)
	v["id"] = p.id
	v["leadId"] = p.leadID
	v["updatedAt"] = stamp(p.updated)
	files := map[string]any{}
	for _, f := range p.files {
		l, _ := files[f.Folder].([]any)
		files[f.Folder] = append(l, f.Link)
	}
	v["files"] = files
	// A stage renamed in Settings keeps its id: show the ladder's name.
	if st := obj(v["stage"]); st != nil {
		if def, ok := ps.stageByID(str(v["productLine"]), str(st["id"])); ok {
			st["name"] = def.Name
		}
	}
	links := obj(v["links"])
	if links == nil {
		links = map[string]any{"proposal": nil}
		v["links"] = links
	}
	links["project"] = "https://pipe.solar/dashboard/projects/" + p.id
	return v
}

var projectRowKeys = []string{"id", "reference", "leadId", "productLine", "stage", "soldAt", "updatedAt", "ntpGranted", "customer", "address"}

func (ps *pipeState) projectRow(p *projectRec) map[string]any {
	full := ps.projectView(p)
	row := make(map[string]any, len(projectRowKeys))
	for _, k := range projectRowKeys {
		row[k] = full[k]
	}
	return row
}

func (ps *pipeState) leadView(l *leadRec) map[string]any {
	v := copyMap(l.doc)
	v["id"] = l.id
	v["updatedAt"] = stamp(l.updated)
	v["project"] = nil
	if p := ps.projectOfLead(l.id); p != nil {
		v["project"] = map[string]any{"id": p.id, "reference": p.doc["reference"], "soldAt": p.doc["soldAt"]}
	}
	links := obj(v["links"])
	if links == nil {
		links = map[string]any{"proposal": nil}
		v["links"] = links
	}
	links["record"] = "https://pipe.solar/dashboard/leads/" + l.id
	return v
}

// sortedProjects are k's projects (all with k nil), newest change first.
func (ps *pipeState) sortedProjects(k *apiKey) []*projectRec {
	out := make([]*projectRec, 0, len(ps.projects))
	for _, p := range ps.projects {
		if k == nil || ps.visible(p.company, k) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return newer(out[i].updated, out[i].id, out[j].updated, out[j].id) })
	return out
}

func (ps *pipeState) sortedLeads(k *apiKey) []*leadRec {
	out := make([]*leadRec, 0, len(ps.leads))
	for _, l := range ps.leads {
		if k == nil || ps.visible(l.company, k) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return newer(out[i].updated, out[i].id, out[j].updated, out[j].id) })
	return out
}

func newer(t1 time.Time, id1 string, t2 time.Time, id2 string) bool {
	if !t1.Equal(t2) {
		return t1.After(t2)
	}
	return id1 > id2
}

// ---- errors ----

// DocsBase is where v1 error bodies point (docs + "#" + code).
const DocsBase = "https://developers.pipe.solar/errors"

var statusCodes = map[int]string{
	400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found",
	429: "rate_limited", 500: "internal", 503: "unavailable",
}

// errorCode is the v1 error code for status.
func errorCode(status int) string {
	if c, ok := statusCodes[status]; ok {
		return c
	}
	if status >= 500 {
		return "unavailable"
	}
	return "invalid"
}

func v1Error(w http.ResponseWriter, status int, code, msg string) {
	if code == "" {
		code = errorCode(status)
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"code": code, "message": msg, "docs": DocsBase + "#" + code,
	}})
}

func invalid(w http.ResponseWriter, format string, args ...any) {
	v1Error(w, http.StatusBadRequest, "invalid", fmt.Sprintf(format, args...))
}

func notFound(w http.ResponseWriter, id string) {
	v1Error(w, http.StatusNotFound, "not_found", fmt.Sprintf("No record with this id is yours: %q.", id))
}

// ---- the silent choices ----

var phoneDigits = regexp.MustCompile(`\d`)

func (b PipeBehaviour) text(s string) string {
	if b.TrimSpaces {
		return strings.TrimSpace(s)
	}
	return s
}

func (b PipeBehaviour) email(s string) string {
	s = b.text(s)
	if b.LowercaseEmail {
		return strings.ToLower(s)
	}
	return s
}

func (b PipeBehaviour) phone(s string) string {
	s = b.text(s)
	if !b.ReformatPhone {
		return s
	}
	d := strings.Join(phoneDigits.FindAllString(s, -1), "")
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 {
		return s
	}
	return "(" + d[:3] + ") " + d[3:6] + "-" + d[6:]
}

func (b PipeBehaviour) state(s string) string {
	s = b.text(s)
	if b.StateAsCode {
		if r, ok := findRegion(s); ok {
			return r.code
		}
	}
	return s
}
