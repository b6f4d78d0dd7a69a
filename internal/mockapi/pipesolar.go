package mockapi

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PipeBehaviour selects how the pipe.solar half of the mock shapes its
// responses where the API documents leave it open (SPEC §1.1). Empty fields
// take the defaults. The JSON names are the ones PUT /_mock/behaviour uses
// (Go field names are accepted there too).
type PipeBehaviour struct {
	// CreateIDStyle is where create_project puts the new id: "id" (default,
	// {"success":true,"id":X}), "project_id" ({"project_id":X}), "data"
	// ({"data":{"id":X}}), "envelope"
	// ({"status":"success","response":{"project_id":X}}) or "none"
	// ({"success":true}).
	CreateIDStyle string `json:"create_id_style"`
	// ListShape is where list endpoints put the array: "top" (bare array),
	// "data" (default, {"data":[...]}), "projects", "results", or "response"
	// ({"status":"success","response":{"projects":[...], ...paging}}).
	ListShape string `json:"list_shape"`
	// ListIDKey is the key carrying each list item's id: "id" (default),
	// "_id" or "project_id"; "none" lists items without their id.
	ListIDKey string `json:"list_id_key"`
	// ListPaging is "remaining" (default: object shapes carry "count",
	// "remaining" and "total") or "none".
	ListPaging string `json:"list_paging"`
	// PageSize is the list page size; default 50.
	PageSize int `json:"page_size"`
	// IgnorePage makes list endpoints ignore `page` and always return page 1.
	IgnorePage bool `json:"ignore_page"`
	// NotFound is how an unknown project id is answered by fetch_project,
	// update_stage, create_activity and project_upload_file: "404" (default),
	// "null" (200 {"data":null,"id":X}), "empty" (200 {"data":{}}) or "400"
	// (400 with a message containing "not found").
	NotFound string `json:"not_found"`
	// ErrorStyle is the error body: "flat" (default, {"success":false,
	// "message":...} with the HTTP status), "bubble" (Bubble's own bodies
	// with the HTTP status: {"statusCode":N,"body":{"status":...,
	// "message":...}}, status MISSING_DATA for a missing parameter, and for
	// a refused token {"error_class":"Unauthorized","args":{"code":...},
	// "message":null,"translation":"Invalid or expired token: ..."}) or "200"
	// (every error, including 401, as HTTP 200 {"success":false,...}).
	ErrorStyle string `json:"error_style"`
}

var behaviourChoices = map[string][]string{
	"create_id_style": {"id", "project_id", "data", "envelope", "none"},
	"list_shape":      {"top", "data", "projects", "results", "response"},
	"list_id_key":     {"id", "_id", "project_id", "none"},
	"list_paging":     {"remaining", "none"},
	"not_found":       {"404", "null", "empty", "400"},
	"error_style":     {"flat", "bubble", "200"},
}

func (b PipeBehaviour) withDefaults() PipeBehaviour {
	def := func(p *string, v string) {
		if *p == "" {
			*p = v
		}
	}
	def(&b.CreateIDStyle, "id")
	def(&b.ListShape, "data")
	def(&b.ListIDKey, "id")
	def(&b.ListPaging, "remaining")
	def(&b.NotFound, "404")
	def(&b.ErrorStyle, "flat")
	if b.PageSize <= 0 {
		b.PageSize = 50
	}
	return b
}

// Validate reports an unknown value in any of b's fields (empty = default).
func (b PipeBehaviour) Validate() error {
	b = b.withDefaults()
	check := func(field, v string) error {
		if !slices.Contains(behaviourChoices[field], v) {
			return fmt.Errorf("mockapi: invalid %s %q (one of %s)", field, v, strings.Join(behaviourChoices[field], ", "))
		}
		return nil
	}
	return errors.Join(
		check("create_id_style", b.CreateIDStyle),
		check("list_shape", b.ListShape),
		check("list_id_key", b.ListIDKey),
		check("list_paging", b.ListPaging),
		check("not_found", b.NotFound),
		check("error_style", b.ErrorStyle),
	)
}

// SetPipeBehaviour switches the pipe.solar behaviour; it takes effect for
// the next request. It panics on an unknown value (a typo in a test should
// not silently test the default).
func (s *Server) SetPipeBehaviour(b PipeBehaviour) {
	if err := b.Validate(); err != nil {
		panic(err)
	}
	b = b.withDefaults()
	s.behaviour.Store(&b)
}

// CurrentPipeBehaviour returns the behaviour in effect, defaults filled in.
func (s *Server) CurrentPipeBehaviour() PipeBehaviour { return *s.behaviour.Load() }

// Activity is one create_activity call that was stored.
type Activity struct {
	ProjectID, InstallerID, Notes string
}

// Upload is one project_upload_file call that was stored.
type Upload struct {
	ProjectID, FolderID string
	FileURLs            []string
}

// uploadFolders are the folder_id values project_upload_file accepts.
var uploadFolders = []string{
	"contract", "utility_bill", "drivers_license", "materials", "installation_photos",
	"survey_photos", "insurance", "plansets", "other_documents", "interconnection", "permits",
}

// fileFolders are the 12 allFilesURL keys and the path segment of each URL.
var fileFolders = [][2]string{
	{"surveyFiles", "survey_photos"},
	{"personalFiles", "personal"},
	{"utilityBills", "utility_bills"},
	{"insuranceFiles", "insurance_docs"},
	{"driverLicense", "license"},
	{"installationPhotos", "installation"},
	{"plansets", "plans"},
	{"materials", "materials"},
	{"otherDocuments", "other_docs"},
	{"interconnection", "interconnection"},
	{"permits", "permits"},
	{"internalDocuments", "internal_docs"},
}

var (
	createRequired = []string{"address", "first_name", "last_name", "email", "phone_number", "org_id", "sales_rep", "setter"}
	createNumbers  = []string{"system_size", "annual_production", "consumption", "system_cost", "final_ppw", "base_ppw", "adder_ppw", "apr"}
	createStrings  = []string{"financing_type", "term_years", "project_stage", "panel_profile_id", "panel_count", "inverter_profile_id", "inverter_count", "lease_ppa_rate", "pre_itc_payment", "escalator_rate", "installer_id"}
	createArrays   = []string{"site_survey_photos", "adders"}
	createKnown    = func() map[string]bool {
		m := map[string]bool{}
		for _, l := range [][]string{createRequired, createNumbers, createStrings, createArrays} {
			for _, k := range l {
				m[k] = true
			}
		}
		return m
	}()
	panelModels    = []string{"QCells Q.PEAK DUO BLK ML-G10+ 400W", "REC Alpha Pure-R 430W", "Canadian Solar HiKu6 405W", "Silfab SIL-400 HC+", "Jinko Tiger Neo 420W"}
	inverterModels = []string{"Enphase IQ8M Microinverter", "SolarEdge SE7600H-US", "Tesla Solar Inverter 7.6kW", "Enphase IQ8A Microinverter"}
)

// project is one stored pipe.solar project.
type project struct {
	id        string
	seq       int64
	org       string
	installer string
	data      map[string]any // the fetch_project "data" object
	raw       []byte         // data encoded; replaced (never mutated) on change
	input     map[string]any // the normalised create_project body
}

type pipeState struct {
	mu         sync.RWMutex
	byID       map[string]*project
	order      []*project
	byOrg      map[string][]*project
	byInst     map[string][]*project
	seq        int64
	activities map[string][]Activity
	uploads    map[string][]Upload
	nAct, nUpl int
	stages     []string
	stageSet   map[string]bool
	demoSeq    int64
}

func (ps *pipeState) init(stages []string) {
	ps.byID = map[string]*project{}
	ps.byOrg = map[string][]*project{}
	ps.byInst = map[string][]*project{}
	ps.activities = map[string][]Activity{}
	ps.uploads = map[string][]Upload{}
	ps.stages = stages
	ps.stageSet = map[string]bool{}
	for _, st := range stages {
		ps.stageSet[st] = true
	}
}

// apiError is a validation or lookup failure with its HTTP status.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func badRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func newPipeID() string {
	var b [10]byte
	for i := range b {
		b[i] = idAlphabet[rand.IntN(len(idAlphabet))]
	}
	return string(b[:])
}

// textValue returns v as trimmed text; numbers are accepted when
// allowNumber; ok is false for any other type.
func textValue(v any, allowNumber bool) (s string, ok bool) {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t), true
	default:
		if !allowNumber {
			return "", false
		}
		_, text, isNum := numberValue(v)
		return text, isNum
	}
}

func stringList(v any) ([]string, bool) {
	switch t := v.(type) {
	case []string:
		out := make([]string, len(t))
		for i, s := range t {
			out[i] = strings.TrimSpace(s)
		}
		return out, true
	case []any:
		out := make([]string, len(t))
		for i, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = strings.TrimSpace(s)
		}
		return out, true
	}
	return nil, false
}

// buildProject validates and normalises a create_project body into a
// project with the given id (not yet stored).
func (ps *pipeState) buildProject(body map[string]any, id string, now time.Time) (*project, *apiError) {
	var unknown []string
	for k := range body {
		if !createKnown[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, badRequest("Unrecognized parameter for workflow create_project: %s", strings.Join(unknown, ", "))
	}
	in := map[string]any{}
	str := map[string]string{}
	for _, k := range createRequired {
		v := body[k]
		if v == nil {
			return nil, badRequest("Missing parameter for workflow create_project: parameter %s", k)
		}
		s, ok := textValue(v, k == "org_id")
		if !ok {
			return nil, badRequest("Invalid value for parameter %s: expected text", k)
		}
		if s == "" {
			return nil, badRequest("Missing parameter for workflow create_project: parameter %s", k)
		}
		str[k] = s
	}
	str["email"] = strings.ToLower(str["email"])
	if !looksLikeEmail(str["email"]) {
		return nil, badRequest("Invalid value for parameter email: %q is not a valid email address", str["email"])
	}
	nums := map[string]*big.Rat{}
	for _, k := range createNumbers {
		v := body[k]
		if v == nil {
			continue
		}
		r, text, ok := numberValue(v)
		if !ok {
			return nil, badRequest("Invalid value for parameter %s: expected a number", k)
		}
		nums[k] = r
		in[k] = text
	}
	for _, k := range createStrings {
		v := body[k]
		if v == nil {
			continue
		}
		s, ok := textValue(v, true)
		if !ok {
			return nil, badRequest("Invalid value for parameter %s: expected text", k)
		}
		str[k] = s
	}
	lists := map[string][]string{}
	for _, k := range createArrays {
		v := body[k]
		if v == nil {
			continue
		}
		l, ok := stringList(v)
		if !ok {
			return nil, badRequest("Invalid value for parameter %s: expected a list of text", k)
		}
		lists[k] = l
		in[k] = l
	}
	stage := str["project_stage"]
	if stage == "" {
		stage = ps.stages[0]
	} else if !ps.stageSet[stage] {
		return nil, badRequest("Invalid project_stage '%s': must be one of %s", stage, strings.Join(ps.stages, ", "))
	}
	str["project_stage"] = stage
	for k, v := range str {
		in[k] = v
	}

	money := func(k string) string {
		if r := nums[k]; r != nil {
			return formatMoney(r)
		}
		return ""
	}
	fixed := func(k string, thousands bool) string {
		if r := nums[k]; r != nil {
			return formatDecimal(r, 2, thousands)
		}
		return ""
	}
	pick := func(list []string, key string) string {
		if key == "" {
			return ""
		}
		h := fnv.New32a()
		_, _ = h.Write([]byte(key))
		return list[int(h.Sum32()%uint32(len(list)))]
	}
	addersCost := ""
	if nums["adder_ppw"] != nil && nums["system_size"] != nil {
		c := new(big.Rat).Mul(nums["adder_ppw"], nums["system_size"])
		c.Mul(c, big.NewRat(1000, 1))
		addersCost = formatMoney(c)
	}
	adders := []any{}
	for _, a := range lists["adders"] {
		adders = append(adders, a)
	}
	street, city, state, zip := splitAddress(str["address"])
	repName, repEmail, repPhone := person(str["sales_rep"])
	setName, setEmail, setPhone := person(str["setter"])
	date := now.UTC().Format("01/02/2006")
	signed := ""
	if stage == "Contract Signed" {
		signed = date
	}
	files := make(map[string]any, len(fileFolders))
	for _, f := range fileFolders {
		files[f[0]] = "https://pipe.solar/files/" + id + "/" + f[1]
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	data := map[string]any{
		"customerFirstName":            str["first_name"],
		"customerLastName":             str["last_name"],
		"customerPhoneNumber":          str["phone_number"],
		"customerEmail":                str["email"],
		"customerAddress":              str["address"],
		"customerStreet":               street,
		"customerCity":                 city,
		"customerState":                state,
		"customerZip":                  zip,
		"secondaryCustomerFirstName":   "",
		"secondaryCustomerLastName":    "",
		"secondaryCustomerPhoneNumber": "",
		"secondaryCustomerEmail":       "",
		"projectStatus":                stage,
		"contractSignedDate":           signed,
		"submittedDate":                date,
		"projectSiteId":                strconv.Itoa(1000000 + int(h.Sum32()%9000000)),
		"contractURL":                  "",
		"allFilesURL":                  files,
		"proposalURL":                  "https://pipe.solar/proposal?id=" + id,
		"projectURL":                   "https://pipe.solar/project_dashboard?id=" + id,
		"systemSize":                   fixed("system_size", false),
		"estProduction":                fixed("annual_production", true),
		"numberOfPanel":                formatCountText(str["panel_count"]),
		"panelModel":                   pick(panelModels, str["panel_profile_id"]),
		"numberOfInverter":             formatCountText(str["inverter_count"]),
		"inverterName":                 pick(inverterModels, str["inverter_profile_id"]),
		"contractPrice":                money("system_cost"),
		"numberOfBattery":              "",
		"batteryName":                  "",
		"financeCompany":               "",
		"financeAmount":                money("system_cost"),
		"financeAPR":                   fixed("apr", false),
		"financeTerm":                  formatCountText(str["term_years"]),
		"financeType":                  str["financing_type"],
		"basePPW":                      fixed("base_ppw", false),
		"finalPPW":                     fixed("final_ppw", false),
		"adders":                       adders,
		"addersCost":                   addersCost,
		"salesRepName":                 repName,
		"salesRepEmail":                repEmail,
		"salesRepPhone":                repPhone,
		"setterName":                   setName,
		"setterEmail":                  setEmail,
		"setterPhone":                  setPhone,
		"siteSurveyorName":             "",
		"subContractorName":            "",
	}
	raw, err := marshalJSON(data)
	if err != nil {
		return nil, &apiError{status: http.StatusInternalServerError, msg: "encoding project: " + err.Error()}
	}
	return &project{
		id:        id,
		org:       str["org_id"],
		installer: str["installer_id"],
		data:      data,
		raw:       raw,
		input:     in,
	}, nil
}

// create validates body and stores a new project. installer overrides the
// body's installer_id when non-empty.
func (ps *pipeState) create(body map[string]any, installer string, now time.Time) (*project, *apiError) {
	for {
		p, aerr := ps.buildProject(body, newPipeID(), now)
		if aerr != nil {
			return nil, aerr
		}
		if installer != "" {
			p.installer = installer
			p.input["installer_id"] = installer
		}
		ps.mu.Lock()
		if _, dup := ps.byID[p.id]; dup {
			ps.mu.Unlock()
			continue
		}
		ps.seq++
		p.seq = ps.seq
		ps.byID[p.id] = p
		ps.order = append(ps.order, p)
		ps.byOrg[p.org] = append(ps.byOrg[p.org], p)
		if p.installer != "" {
			ps.byInst[p.installer] = insertBySeq(ps.byInst[p.installer], p)
		}
		ps.mu.Unlock()
		return p, nil
	}
}

func insertBySeq(list []*project, p *project) []*project {
	i := sort.Search(len(list), func(i int) bool { return list[i].seq > p.seq })
	return slices.Insert(list, i, p)
}

func removeProject(list []*project, p *project) []*project {
	if i := slices.Index(list, p); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// setData replaces p's data and its encoding. Caller holds ps.mu for writing.
func (p *project) setData(data map[string]any) error {
	raw, err := marshalJSON(data)
	if err != nil {
		return err
	}
	p.data, p.raw = data, raw
	return nil
}

// ---- HTTP handlers ----

func (s *Server) pipeAuth(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := bearer(r)
	if ok && subtle.ConstantTimeCompare([]byte(tok), []byte(s.cfg.PipeToken)) == 1 {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="pipe.solar"`)
	s.pipeError(w, http.StatusUnauthorized, "Unauthorized: invalid or missing API token")
	return false
}

// bearer extracts a bearer token from the Authorization header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const p = "bearer "
	if len(h) <= len(p) || !strings.EqualFold(h[:len(p)], p) {
		return "", false
	}
	t := strings.TrimSpace(h[len(p):])
	return t, t != ""
}

func bubbleStatus(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "INVALID_DATA"
	case http.StatusUnauthorized:
		return "UNAUTHORIZED"
	case http.StatusNotFound:
		return "NOT_FOUND"
	default:
		return "ERROR"
	}
}

// pipeError writes an error in the current ErrorStyle.
func (s *Server) pipeError(w http.ResponseWriter, status int, msg string) {
	switch s.behaviour.Load().ErrorStyle {
	case "bubble":
		if status == http.StatusUnauthorized {
			writeJSON(w, status, map[string]any{
				"error_class": "Unauthorized",
				"args":        map[string]any{"code": "1700000000000x401"},
				"message":     nil,
				"translation": "Invalid or expired token: " + msg,
			})
			return
		}
		code := bubbleStatus(status)
		if strings.HasPrefix(msg, "Missing parameter") {
			code = "MISSING_DATA"
		}
		writeJSON(w, status, map[string]any{
			"statusCode": status,
			"body":       map[string]any{"status": code, "message": msg},
		})
	case "200":
		writeJSON(w, http.StatusOK, map[string]any{"success": false, "message": msg})
	default:
		writeJSON(w, status, map[string]any{"success": false, "message": msg})
	}
}

func (s *Server) pipeAPIError(w http.ResponseWriter, e *apiError) { s.pipeError(w, e.status, e.msg) }

// pipeNotFound answers an unknown project id in the current NotFound style.
func (s *Server) pipeNotFound(w http.ResponseWriter, id string) {
	switch s.behaviour.Load().NotFound {
	case "null":
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "id": id})
	case "empty":
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{}})
	case "400":
		s.pipeError(w, http.StatusBadRequest, fmt.Sprintf("Project with id '%s' not found", id))
	default:
		s.pipeError(w, http.StatusNotFound, fmt.Sprintf("Project not found: no project with id '%s'", id))
	}
}

// decodeObject reads a JSON object body (numbers as json.Number).
// copyObject deep-copies a JSON object.
func copyObject(m map[string]any) map[string]any {
	c, _ := deepCopyJSON(m).(map[string]any)
	return c
}

func decodeObject(r *http.Request) (map[string]any, error) {
	const limit = maxJSONBody
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("body larger than %d bytes", limit)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, errors.New("empty body, expected a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: trailing data after the object")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("expected a JSON object")
	}
	return m, nil
}

const maxJSONBody = 1 << 20

func (s *Server) handleFetchProject(w http.ResponseWriter, r *http.Request) {
	if !s.pipeAuth(w, r) {
		return
	}
	id := strings.TrimSpace(r.URL.Query().Get("id"))
	if id == "" {
		s.pipeError(w, http.StatusBadRequest, "Missing parameter for workflow fetch_project: parameter id")
		return
	}
	s.pipe.mu.RLock()
	p := s.pipe.byID[id]
	var raw []byte
	if p != nil {
		raw = p.raw
	}
	s.pipe.mu.RUnlock()
	if p == nil {
		s.pipeNotFound(w, id)
		return
	}
	buf := make([]byte, 0, len(raw)+len(id)+24)
	buf = append(buf, `{"data":`...)
	buf = append(buf, raw...)
	buf = append(buf, `,"id":`...)
	buf = appendJSONString(buf, id)
	buf = append(buf, '}')
	writeRawJSON(w, http.StatusOK, buf)
}

func (s *Server) handleCreateProject(w http.ResponseWriter, r *http.Request) {
	if !s.pipeAuth(w, r) {
		return
	}
	body, err := decodeObject(r)
	if err != nil {
		s.pipeError(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	p, aerr := s.pipe.create(body, "", s.now())
	if aerr != nil {
		s.pipeAPIError(w, aerr)
		return
	}
	committed(w)
	var resp any
	switch s.behaviour.Load().CreateIDStyle {
	case "project_id":
		resp = map[string]any{"project_id": p.id}
	case "data":
		resp = map[string]any{"data": map[string]any{"id": p.id}}
	case "envelope":
		resp = map[string]any{"status": "success", "response": map[string]any{"project_id": p.id}}
	case "none":
		resp = map[string]any{"success": true}
	default:
		resp = map[string]any{"success": true, "id": p.id}
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) handleUpdateStage(w http.ResponseWriter, r *http.Request) {
	if !s.pipeAuth(w, r) {
		return
	}
	q := r.URL.Query()
	name := strings.TrimSpace(q.Get("project_stage_name"))
	id := strings.TrimSpace(q.Get("id"))
	if name == "" {
		s.pipeError(w, http.StatusBadRequest, "Missing parameter for workflow update_stage: parameter project_stage_name")
		return
	}
	if id == "" {
		s.pipeError(w, http.StatusBadRequest, "Missing parameter for workflow update_stage: parameter id")
		return
	}
	if !s.pipe.stageSet[name] {
		s.pipeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid project_stage_name '%s': must be one of %s", name, strings.Join(s.pipe.stages, ", ")))
		return
	}
	s.pipe.mu.Lock()
	p := s.pipe.byID[id]
	var err error
	if p != nil {
		data := make(map[string]any, len(p.data))
		for k, v := range p.data {
			data[k] = v
		}
		if name == "Contract Signed" && data["projectStatus"] != name {
			data["contractSignedDate"] = s.now().UTC().Format("01/02/2006")
		}
		data["projectStatus"] = name
		err = p.setData(data)
	}
	s.pipe.mu.Unlock()
	if p == nil {
		s.pipeNotFound(w, id)
		return
	}
	if err != nil {
		s.pipeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true,
		"message": "Project status updated successfully.",
		"data":    map[string]any{"project_id": id, "new_status": name},
	})
}

// requireKeys checks that body has no keys outside known.
func unknownKeys(body map[string]any, known ...string) []string {
	var out []string
	for k := range body {
		if !slices.Contains(known, k) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func requiredText(body map[string]any, workflow, key string) (string, *apiError) {
	v := body[key]
	if v == nil {
		return "", badRequest("Missing parameter for workflow %s: parameter %s", workflow, key)
	}
	s, ok := textValue(v, true)
	if !ok {
		return "", badRequest("Invalid value for parameter %s: expected text", key)
	}
	if s == "" {
		return "", badRequest("Missing parameter for workflow %s: parameter %s", workflow, key)
	}
	return s, nil
}

func (s *Server) handleUploadFile(w http.ResponseWriter, r *http.Request) {
	if !s.pipeAuth(w, r) {
		return
	}
	body, err := decodeObject(r)
	if err != nil {
		s.pipeError(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	if u := unknownKeys(body, "fileurl", "project_id", "folder_id"); len(u) > 0 {
		s.pipeError(w, http.StatusBadRequest, "Unrecognized parameter for workflow project_upload_file: "+strings.Join(u, ", "))
		return
	}
	if body["fileurl"] == nil {
		s.pipeError(w, http.StatusBadRequest, "Missing parameter for workflow project_upload_file: parameter fileurl")
		return
	}
	urls, ok := stringList(body["fileurl"])
	if !ok || len(urls) == 0 {
		s.pipeError(w, http.StatusBadRequest, "Invalid value for parameter fileurl: expected a non-empty list of URLs")
		return
	}
	for _, u := range urls {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			s.pipeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid value for parameter fileurl: %q is not an http(s) URL", u))
			return
		}
	}
	pid, aerr := requiredText(body, "project_upload_file", "project_id")
	if aerr != nil {
		s.pipeAPIError(w, aerr)
		return
	}
	folder, aerr := requiredText(body, "project_upload_file", "folder_id")
	if aerr != nil {
		s.pipeAPIError(w, aerr)
		return
	}
	if !slices.Contains(uploadFolders, folder) {
		s.pipeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid folder_id '%s': must be one of %s", folder, strings.Join(uploadFolders, ", ")))
		return
	}
	s.pipe.mu.Lock()
	p := s.pipe.byID[pid]
	if p != nil {
		s.pipe.uploads[pid] = append(s.pipe.uploads[pid], Upload{ProjectID: pid, FolderID: folder, FileURLs: urls})
		s.pipe.nUpl++
		if folder == "contract" && p.data["contractURL"] == "" {
			data := make(map[string]any, len(p.data))
			for k, v := range p.data {
				data[k] = v
			}
			data["contractURL"] = urls[0]
			_ = p.setData(data)
		}
	}
	s.pipe.mu.Unlock()
	if p == nil {
		s.pipeNotFound(w, pid)
		return
	}
	committed(w)
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "File has been saved successfully"})
}

func (s *Server) handleCreateActivity(w http.ResponseWriter, r *http.Request) {
	if !s.pipeAuth(w, r) {
		return
	}
	body, err := decodeObject(r)
	if err != nil {
		s.pipeError(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	if u := unknownKeys(body, "project_id", "installer_id", "notes"); len(u) > 0 {
		s.pipeError(w, http.StatusBadRequest, "Unrecognized parameter for workflow create_activity: "+strings.Join(u, ", "))
		return
	}
	var vals [3]string
	for i, k := range []string{"project_id", "installer_id", "notes"} {
		v, aerr := requiredText(body, "create_activity", k)
		if aerr != nil {
			s.pipeAPIError(w, aerr)
			return
		}
		vals[i] = v
	}
	notes, _ := body["notes"].(string) // keep the notes as sent
	if notes == "" {
		notes = vals[2]
	}
	s.pipe.mu.Lock()
	_, found := s.pipe.byID[vals[0]]
	if found {
		s.pipe.activities[vals[0]] = append(s.pipe.activities[vals[0]], Activity{ProjectID: vals[0], InstallerID: vals[1], Notes: notes})
		s.pipe.nAct++
	}
	s.pipe.mu.Unlock()
	if !found {
		s.pipeNotFound(w, vals[0])
		return
	}
	committed(w)
	writeJSON(w, http.StatusOK, map[string]any{
		"success": true,
		"message": "Activity created successfully",
		"data":    map[string]any{"project_id": vals[0], "installer_id": vals[1]},
	})
}

func (s *Server) handleListOrg(w http.ResponseWriter, r *http.Request) {
	s.handleList(w, r, "fetch_all_project", "org_id", func(key string) []*project { return s.pipe.byOrg[key] })
}

func (s *Server) handleListInstaller(w http.ResponseWriter, r *http.Request) {
	s.handleList(w, r, "fetch_all_project_installer", "installer_id", func(key string) []*project { return s.pipe.byInst[key] })
}

type listItem struct {
	id  string
	raw []byte
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request, workflow, param string, index func(string) []*project) {
	if !s.pipeAuth(w, r) {
		return
	}
	q := r.URL.Query()
	key := q.Get(param) // matched exactly, as Bubble does
	if strings.TrimSpace(key) == "" {
		s.pipeError(w, http.StatusBadRequest, fmt.Sprintf("Missing parameter for workflow %s: parameter %s", workflow, param))
		return
	}
	page := 1
	if ps := strings.TrimSpace(q.Get("page")); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil {
			s.pipeError(w, http.StatusBadRequest, fmt.Sprintf("Invalid value for parameter page: %q is not a number", ps))
			return
		}
		if n > 1 {
			page = n
		}
	}
	b := s.behaviour.Load()
	if b.IgnorePage {
		page = 1
	}
	size := b.PageSize
	s.pipe.mu.RLock()
	list := index(key)
	total := len(list)
	start := total
	if (page - 1) < total/size+1 {
		start = min((page-1)*size, total)
	}
	end := min(start+size, total)
	items := make([]listItem, 0, end-start)
	for _, p := range list[start:end] {
		items = append(items, listItem{id: p.id, raw: p.raw})
	}
	s.pipe.mu.RUnlock()

	n := 64
	for _, it := range items {
		n += len(it.raw) + len(it.id) + 20
	}
	buf := make([]byte, 0, n)
	obj := b.ListShape != "top"
	arrayKey := b.ListShape
	if obj {
		if b.ListShape == "response" {
			buf = append(buf, `{"status":"success","response":{`...)
			arrayKey = "projects"
		} else {
			buf = append(buf, '{')
		}
		buf = append(buf, '"')
		buf = append(buf, arrayKey...)
		buf = append(buf, `":`...)
	}
	buf = append(buf, '[')
	for i, it := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		if b.ListIDKey == "none" {
			if len(it.raw) == 0 {
				buf = append(buf, "{}"...)
			}
			buf = append(buf, it.raw...)
			continue
		}
		if len(it.raw) > 2 {
			buf = append(buf, it.raw[:len(it.raw)-1]...)
			buf = append(buf, ',')
		} else {
			buf = append(buf, '{')
		}
		buf = append(buf, '"')
		buf = append(buf, b.ListIDKey...)
		buf = append(buf, `":`...)
		buf = appendJSONString(buf, it.id)
		buf = append(buf, '}')
	}
	buf = append(buf, ']')
	if obj {
		if b.ListPaging != "none" {
			buf = fmt.Appendf(buf, `,"count":%d,"remaining":%d,"total":%d`, len(items), total-end, total)
		}
		buf = append(buf, '}')
		if b.ListShape == "response" {
			buf = append(buf, '}')
		}
	}
	writeRawJSON(w, http.StatusOK, buf)
}

// ---- out-of-band access ----

// SeedProject stores a project as if a user had created it in the pipe.solar
// app, with the same validation and normalisation as create_project. orgID
// and installerID, when non-empty, override the body's org_id/installer_id.
// body may hold Go values (string, float64, int, []string, ...) or
// json.Number. It returns the new id.
func (s *Server) SeedProject(orgID, installerID string, body map[string]any) (string, error) {
	b := make(map[string]any, len(body)+1)
	for k, v := range body {
		b[k] = v
	}
	if orgID != "" {
		b["org_id"] = orgID
	}
	p, aerr := s.pipe.create(b, installerID, s.now())
	if aerr != nil {
		return "", aerr
	}
	return p.id, nil
}

// deepCopyJSON copies a JSON-shaped value.
func deepCopyJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopyJSON(e)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = deepCopyJSON(e)
		}
		return l
	case []string:
		return append([]string(nil), t...)
	default:
		return v
	}
}

// Project returns a deep copy of the fetch_project "data" object of the
// project with id.
func (s *Server) Project(id string) (map[string]any, bool) {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	p := s.pipe.byID[id]
	if p == nil {
		return nil, false
	}
	return copyObject(p.data), true
}

// ProjectInput returns a copy of the normalised create_project body the
// project was created from, including the fields fetch_project never
// returns (org_id, sales_rep, setter, consumption, adder_ppw, ...). Strings
// are trimmed (email lower-cased); numbers are their JSON text.
func (s *Server) ProjectInput(id string) (map[string]any, bool) {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	p := s.pipe.byID[id]
	if p == nil {
		return nil, false
	}
	return copyObject(p.input), true
}

// EditProject mutates the stored fetch_project data of a project, as an edit
// in the pipe.solar app would. fn works on a copy that replaces the stored
// data when fn returns. It reports whether the project exists; it panics if
// fn leaves a value that cannot be encoded as JSON.
func (s *Server) EditProject(id string, fn func(data map[string]any)) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	p := s.pipe.byID[id]
	if p == nil {
		return false
	}
	data := copyObject(p.data)
	fn(data)
	if err := p.setData(data); err != nil {
		panic(fmt.Sprintf("mockapi: EditProject(%s): %v", id, err))
	}
	return true
}

// DeleteProject removes a project, as a deletion in the pipe.solar app
// would. Its activities and uploads stay recorded.
func (s *Server) DeleteProject(id string) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	p := s.pipe.byID[id]
	if p == nil {
		return false
	}
	delete(s.pipe.byID, id)
	s.pipe.order = removeProject(s.pipe.order, p)
	s.pipe.byOrg[p.org] = removeProject(s.pipe.byOrg[p.org], p)
	if len(s.pipe.byOrg[p.org]) == 0 {
		delete(s.pipe.byOrg, p.org)
	}
	if p.installer != "" {
		s.pipe.byInst[p.installer] = removeProject(s.pipe.byInst[p.installer], p)
		if len(s.pipe.byInst[p.installer]) == 0 {
			delete(s.pipe.byInst, p.installer)
		}
	}
	return true
}

// ProjectIDs lists the ids of an org's projects in creation order; orgID ""
// lists all projects.
func (s *Server) ProjectIDs(orgID string) []string {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	list := s.pipe.order
	if orgID != "" {
		list = s.pipe.byOrg[orgID]
	}
	ids := make([]string, len(list))
	for i, p := range list {
		ids[i] = p.id
	}
	return ids
}

// SetInstaller assigns a project to an installer ("" unassigns it).
func (s *Server) SetInstaller(projectID, installerID string) bool {
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	p := s.pipe.byID[projectID]
	if p == nil {
		return false
	}
	if p.installer == installerID {
		return true
	}
	if p.installer != "" {
		s.pipe.byInst[p.installer] = removeProject(s.pipe.byInst[p.installer], p)
		if len(s.pipe.byInst[p.installer]) == 0 {
			delete(s.pipe.byInst, p.installer)
		}
	}
	p.installer = installerID
	if installerID != "" {
		s.pipe.byInst[installerID] = insertBySeq(s.pipe.byInst[installerID], p)
	}
	return true
}

// Activities returns the activities logged for a project, oldest first.
func (s *Server) Activities(projectID string) []Activity {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	return append([]Activity(nil), s.pipe.activities[projectID]...)
}

// Uploads returns the file uploads stored for a project, oldest first.
func (s *Server) Uploads(projectID string) []Upload {
	s.pipe.mu.RLock()
	defer s.pipe.mu.RUnlock()
	src := s.pipe.uploads[projectID]
	out := make([]Upload, len(src))
	for i, u := range src {
		u.FileURLs = append([]string(nil), u.FileURLs...)
		out[i] = u
	}
	return out
}

var (
	demoFirst   = []string{"John", "Maria", "Wei", "Aisha", "Carlos", "Emily", "Raj", "Sofia", "Liam", "Hannah", "Kenji", "Olivia"}
	demoLast    = []string{"Doe", "Garcia", "Chen", "Khan", "Rivera", "Smith", "Patel", "Rossi", "Murphy", "Schmidt", "Tanaka", "Brown"}
	demoStreets = []string{"Solar St", "Oak Ave", "Maple Dr", "Sunset Blvd", "Pine Ln", "Cedar Ct", "Elm St", "Harbor Way"}
	demoCities  = [][3]string{{"Sunville", "CA", "90210"}, {"Austin", "TX", "78701"}, {"Phoenix", "AZ", "85004"}, {"Denver", "CO", "80202"}, {"Tampa", "FL", "33602"}, {"Las Vegas", "NV", "89101"}}
	demoReps    = []string{"michael.scott@pipesolar.com", "jim.halpert@pipesolar.com", "pam.beesly@pipesolar.com"}
	demoSetters = []string{"dwight.schrute@pipesolar.com", "andy.bernard@pipesolar.com"}
	demoFinance = []string{"Loan", "Cash", "Lease", "PPA"}
	demoAdders  = []string{"Main panel upgrade", "Roof work", "Trenching", "Critter guard", "EV charger"}
)

// DemoProjectBody returns a realistic create_project body, deterministic in
// n, for org.
func DemoProjectBody(org string, n int) map[string]any {
	rng := rand.New(rand.NewPCG(uint64(n), 0x5eed))
	first := demoFirst[rng.IntN(len(demoFirst))]
	last := demoLast[rng.IntN(len(demoLast))]
	city := demoCities[rng.IntN(len(demoCities))]
	size := float64(400+rng.IntN(1000)) / 100 // kW, 4.00-13.99
	ppw := float64(250+rng.IntN(150)) / 100
	adderPPW := float64(rng.IntN(30)) / 100
	cost := size * 1000 * ppw
	var adders []string
	if adderPPW > 0 {
		adders = append(adders, demoAdders[rng.IntN(len(demoAdders))])
	}
	return map[string]any{
		"address":             fmt.Sprintf("%d %s, %s, %s %s", 100+rng.IntN(9800), demoStreets[rng.IntN(len(demoStreets))], city[0], city[1], city[2]),
		"first_name":          first,
		"last_name":           last,
		"email":               fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), n),
		"phone_number":        fmt.Sprintf("555-%03d-%04d", rng.IntN(1000), rng.IntN(10000)),
		"org_id":              org,
		"sales_rep":           demoReps[rng.IntN(len(demoReps))],
		"setter":              demoSetters[rng.IntN(len(demoSetters))],
		"system_size":         size,
		"annual_production":   size * float64(1300+rng.IntN(500)),
		"consumption":         float64(6000 + rng.IntN(12000)),
		"system_cost":         cost,
		"base_ppw":            ppw - adderPPW,
		"final_ppw":           ppw,
		"adder_ppw":           adderPPW,
		"financing_type":      demoFinance[rng.IntN(len(demoFinance))],
		"term_years":          strconv.Itoa([]int{10, 15, 20, 25}[rng.IntN(4)]),
		"apr":                 float64(199+rng.IntN(600)) / 100,
		"project_stage":       DefaultPipeStages[rng.IntN(len(DefaultPipeStages)-1)],
		"panel_profile_id":    fmt.Sprintf("pp_%d", rng.IntN(5)),
		"panel_count":         strconv.Itoa(int(size * 1000 / 400)),
		"inverter_profile_id": fmt.Sprintf("inv_%d", rng.IntN(4)),
		"inverter_count":      "1",
		"adders":              adders,
	}
}

// SeedRandomProjects stores n realistic projects (DemoProjectBody) for
// orgID and installerID and returns their ids. Stages outside the
// configured ones fall back to the first configured stage.
func (s *Server) SeedRandomProjects(orgID, installerID string, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for range n {
		s.pipe.mu.Lock()
		s.pipe.demoSeq++
		k := s.pipe.demoSeq
		s.pipe.mu.Unlock()
		body := DemoProjectBody(orgID, int(k))
		if st, _ := body["project_stage"].(string); !s.pipe.stageSet[st] {
			delete(body, "project_stage")
		}
		id, err := s.SeedProject(orgID, installerID, body)
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}
