package mockapi

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// UPowr project statuses.
const (
	StatusOpen     = "OPEN"
	StatusAccepted = "ACCEPTED"
	StatusRejected = "REJECTED"
	StatusClosed   = "CLOSED"
)

// MaxTempFileSize is the largest file POST /files/temp accepts (10 MiB).
const MaxTempFileSize = 10 << 20

// UPowrProject is the stored state of one UPowr project.
type UPowrProject struct {
	ID                string
	Type              string // SALES or SERVICE
	Status            string // OPEN, ACCEPTED, REJECTED, CLOSED
	Class             string
	Xref              string
	FileAssociationID string
	CustomerComments  string
	CustomerID        string
	SiteID            string
	RejectReason      string
	ClosedBy          string
	// ClosedStateOverride is the deprecated closedStateOverride sent on close.
	ClosedStateOverride string
	Customer            json.RawMessage // compacted, as sent
	Site                json.RawMessage
	CustomFields        json.RawMessage
	ProductsOfInterest  []map[string]bool
	PreferredDays       []int
	TriggerProcess      bool
	ContractAccepted    bool
	AcceptCount         int
	ReAcceptCount       int
	// Files are the temp files attached at creation via fileAssociationId.
	Files []TempFile
}

func (p UPowrProject) clone() UPowrProject {
	p.Customer = bytes.Clone(p.Customer)
	p.Site = bytes.Clone(p.Site)
	p.CustomFields = bytes.Clone(p.CustomFields)
	poi := make([]map[string]bool, len(p.ProductsOfInterest))
	for i, m := range p.ProductsOfInterest {
		c := make(map[string]bool, len(m))
		for k, v := range m {
			c[k] = v
		}
		poi[i] = c
	}
	p.ProductsOfInterest = poi
	p.PreferredDays = slices.Clone(p.PreferredDays)
	p.Files = slices.Clone(p.Files)
	return p
}

// UPowrCharge is a stored charge.
type UPowrCharge struct {
	ID, ProjectID, Type, Description, PaidBy string
	// ProcessedAt is RFC 3339 in UTC.
	ProcessedAt   string
	Amount        int64
	ExternalLinks []string
}

// TempFile is a file uploaded to POST /files/temp.
type TempFile struct {
	FileAssociationID, FileCode, Filename string
	Size                                  int
	// SHA256 is the hex SHA-256 of the content.
	SHA256 string
}

type upowrState struct {
	mu       sync.RWMutex
	projects map[string]*UPowrProject
	order    []string
	charges  map[string]*UPowrCharge
	corder   []string
	temp     map[string][]TempFile
}

func (u *upowrState) init() {
	u.projects = map[string]*UPowrProject{}
	u.charges = map[string]*UPowrCharge{}
	u.temp = map[string][]TempFile{}
}

var (
	chargeTypes = []string{"Cash", "Financing", "Credit card", "Bank transfer"}
	fileCodes   = []string{"switchboard_photo", "preferred_installation_location_photo", "site_access_photo"}
)

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// isUUID reports whether s is a UUID in the 8-4-4-4-12 hex form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

type fieldError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

type fieldErrors []fieldError

func (e *fieldErrors) add(path, format string, args ...any) {
	*e = append(*e, fieldError{Path: path, Message: fmt.Sprintf(format, args...)})
}

func upowrMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"message": msg})
}

func upowrValidation(w http.ResponseWriter, errs fieldErrors) {
	parts := make([]string, len(errs))
	for i, e := range errs {
		parts[i] = e.Path + ": " + e.Message
	}
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"message": "Validation failed: " + strings.Join(parts, "; "),
		"errors":  errs,
	})
}

// upowrAuth requires an issued, unexpired access token or a static token.
func (s *Server) upowrAuth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		tok, ok := bearer(r)
		if !ok || !s.validUPowrToken(tok) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="upowr"`)
			upowrMessage(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		h(w, r)
	}
}

// ---- raw JSON helpers ----

func readBody(r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("body larger than %d bytes", limit)
	}
	return b, nil
}

// decodeRawObject decodes a JSON object body; an empty body is {} when
// allowEmpty.
func decodeRawObject(r *http.Request, allowEmpty bool) (map[string]json.RawMessage, error) {
	b, err := readBody(r, maxJSONBody)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if allowEmpty {
			return map[string]json.RawMessage{}, nil
		}
		return nil, errors.New("request body required")
	}
	if firstByte(b) != '{' {
		return nil, errors.New("request body must be a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	for k, v := range m {
		if isNull(v) {
			delete(m, k)
		}
	}
	return m, nil
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func rawString(raw json.RawMessage) (string, bool) {
	if firstByte(raw) != '"' {
		return "", false
	}
	var s string
	return s, json.Unmarshal(raw, &s) == nil
}

func rawBool(raw json.RawMessage) (bool, bool) {
	var v bool
	if c := firstByte(raw); c != 't' && c != 'f' {
		return false, false
	}
	return v, json.Unmarshal(raw, &v) == nil
}

func rawObject(raw json.RawMessage) (map[string]json.RawMessage, bool) {
	if firstByte(raw) != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	return m, json.Unmarshal(raw, &m) == nil
}

func rawArray(raw json.RawMessage) ([]json.RawMessage, bool) {
	if firstByte(raw) != '[' {
		return nil, false
	}
	var l []json.RawMessage
	return l, json.Unmarshal(raw, &l) == nil
}

// rawInt decodes an integral JSON number (10 and 10.0 are integers, 10.5 is
// not).
func rawInt(raw json.RawMessage) (int64, bool) {
	c := firstByte(raw)
	if c != '-' && (c < '0' || c > '9') {
		return 0, false
	}
	r, ok := parseDecimal(string(bytes.TrimSpace(raw)))
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

func compactRaw(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return bytes.Clone(raw)
	}
	return b.Bytes()
}

func checkUnknown(errs *fieldErrors, prefix string, m map[string]json.RawMessage, known ...string) {
	var unknown []string
	for k := range m {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		errs.add(prefix+k, "unknown property %q", k)
	}
}

func weekdays(errs *fieldErrors, path string, raw json.RawMessage) []int {
	l, ok := rawArray(raw)
	if !ok {
		errs.add(path, "must be an array of integers 0-6")
		return nil
	}
	days := make([]int, 0, len(l))
	for i, e := range l {
		n, ok := rawInt(e)
		if !ok || n < 0 || n > 6 {
			errs.add(fmt.Sprintf("%s[%d]", path, i), "must be an integer between 0 and 6")
			continue
		}
		days = append(days, int(n))
	}
	return days
}

// projectPath validates the {projectId} path segment.
func projectPath(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("projectId")
	if !isUUID(id) {
		var errs fieldErrors
		errs.add("projectId", "must be a UUID")
		upowrValidation(w, errs)
		return "", false
	}
	return strings.ToLower(id), true
}

// ---- handlers ----

func (s *Server) handleUPowrCreateProject(w http.ResponseWriter, r *http.Request) {
	body, err := decodeRawObject(r, false)
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	var errs fieldErrors
	checkUnknown(&errs, "", body, "type", "fileAssociationId", "preferences", "productsOfInterest",
		"customer", "site", "customerComments", "customFields", "customerId", "siteId",
		"triggerProcess", "capabilityManagedByPlugin")
	p := &UPowrProject{Type: "SALES", Status: StatusOpen}
	str := func(key string, dst *string) {
		if raw, ok := body[key]; ok {
			if v, ok := rawString(raw); ok {
				*dst = v
			} else {
				errs.add(key, "must be a string")
			}
		}
	}
	obj := func(key string, dst *json.RawMessage) {
		if raw, ok := body[key]; ok {
			if _, ok := rawObject(raw); ok {
				*dst = compactRaw(raw)
			} else {
				errs.add(key, "must be an object")
			}
		}
	}
	str("type", &p.Type)
	if !slices.Contains([]string{"SALES", "SERVICE"}, p.Type) {
		errs.add("type", "must be one of SALES, SERVICE")
	}
	str("fileAssociationId", &p.FileAssociationID)
	str("customerComments", &p.CustomerComments)
	str("customerId", &p.CustomerID)
	str("siteId", &p.SiteID)
	obj("customer", &p.Customer)
	obj("site", &p.Site)
	obj("customFields", &p.CustomFields)
	var plugin json.RawMessage
	obj("capabilityManagedByPlugin", &plugin)
	if raw, ok := body["triggerProcess"]; ok {
		if v, ok := rawBool(raw); ok {
			p.TriggerProcess = v
		} else {
			errs.add("triggerProcess", "must be a boolean")
		}
	}
	if raw, ok := body["preferences"]; ok {
		prefs, ok := rawObject(raw)
		if !ok {
			errs.add("preferences", "must be an object")
		} else {
			checkUnknown(&errs, "preferences.", prefs, "customerPreferredDays")
			if d, ok := prefs["customerPreferredDays"]; ok && !isNull(d) {
				p.PreferredDays = weekdays(&errs, "preferences.customerPreferredDays", d)
			}
		}
	}
	if raw, ok := body["productsOfInterest"]; !ok {
		errs.add("productsOfInterest", "is required")
	} else if items, ok := rawArray(raw); !ok || len(items) == 0 {
		errs.add("productsOfInterest", "must be a non-empty array of objects")
	} else {
		for i, it := range items {
			path := fmt.Sprintf("productsOfInterest[%d]", i)
			m, ok := rawObject(it)
			if !ok {
				errs.add(path, "must be an object")
				continue
			}
			checkUnknown(&errs, path+".", m, "solar", "battery", "ev_charger")
			poi := map[string]bool{}
			for _, k := range []string{"solar", "battery", "ev_charger"} {
				v, present := m[k]
				if !present || isNull(v) {
					continue
				}
				b, ok := rawBool(v)
				if !ok {
					errs.add(path+"."+k, "must be a boolean")
					continue
				}
				poi[k] = b
			}
			p.ProductsOfInterest = append(p.ProductsOfInterest, poi)
		}
	}
	_, hasCustomer := body["customer"]
	_, hasCustomerID := body["customerId"]
	_, hasSite := body["site"]
	_, hasSiteID := body["siteId"]
	if hasCustomerID && p.CustomerID != "" && !isUUID(p.CustomerID) {
		errs.add("customerId", "must be a UUID")
	}
	if hasSiteID && p.SiteID != "" && !isUUID(p.SiteID) {
		errs.add("siteId", "must be a UUID")
	}
	if hasCustomer && hasCustomerID {
		errs.add("customerId", "customer must be undefined when customerId is provided")
	}
	if hasSiteID && !hasCustomerID {
		errs.add("siteId", "siteId requires customerId")
	}
	if hasSite && hasSiteID {
		errs.add("siteId", "site must be undefined when siteId is provided")
	}
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	p.ID = newUUID()
	s.upowr.mu.Lock()
	if p.FileAssociationID != "" {
		p.Files = slices.Clone(s.upowr.temp[p.FileAssociationID])
	}
	s.upowr.projects[p.ID] = p
	s.upowr.order = append(s.upowr.order, p.ID)
	s.upowr.mu.Unlock()
	committed(w)
	writeJSON(w, http.StatusCreated, map[string]any{"id": p.ID})
}

// withOpenProject runs fn on the stored project under the write lock,
// answering 404 for an unknown project and 409 for a closed one.
func (s *Server) withOpenProject(w http.ResponseWriter, id string, allowClosed bool, fn func(p *UPowrProject) (int, string)) {
	s.upowr.mu.Lock()
	p := s.upowr.projects[id]
	var status int
	var msg string
	switch {
	case p == nil:
		status, msg = http.StatusNotFound, "Project not found"
	case p.Status == StatusClosed && !allowClosed:
		status, msg = http.StatusConflict, "Project is closed"
	default:
		status, msg = fn(p)
	}
	s.upowr.mu.Unlock()
	if status != http.StatusOK {
		upowrMessage(w, status, msg)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

func (s *Server) handleUPowrPatchProject(w http.ResponseWriter, r *http.Request) {
	id, ok := projectPath(w, r)
	if !ok {
		return
	}
	body, err := decodeRawObject(r, true)
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	var errs fieldErrors
	checkUnknown(&errs, "", body, "class", "xref")
	var class, xref *string
	for _, f := range []struct {
		key string
		dst **string
	}{{"class", &class}, {"xref", &xref}} {
		key, dst := f.key, f.dst
		if raw, ok := body[key]; ok {
			if v, ok := rawString(raw); ok {
				*dst = &v
			} else {
				errs.add(key, "must be a string")
			}
		}
	}
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	s.withOpenProject(w, id, false, func(p *UPowrProject) (int, string) {
		if class != nil {
			p.Class = *class
		}
		if xref != nil {
			p.Xref = *xref
		}
		return http.StatusOK, ""
	})
}

func (s *Server) handleUPowrPreferences(w http.ResponseWriter, r *http.Request) {
	id, ok := projectPath(w, r)
	if !ok {
		return
	}
	b, err := readBody(r, maxJSONBody)
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	var errs fieldErrors
	if !json.Valid(b) {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: invalid JSON")
		return
	}
	days := weekdays(&errs, "body", b)
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	s.withOpenProject(w, id, false, func(p *UPowrProject) (int, string) {
		p.PreferredDays = days
		return http.StatusOK, ""
	})
}

func (s *Server) handleUPowrAccept(w http.ResponseWriter, r *http.Request) {
	id, ok := projectPath(w, r)
	if !ok {
		return
	}
	reAccept := false
	if v := r.URL.Query().Get("re_accept"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			var errs fieldErrors
			errs.add("re_accept", "must be a boolean")
			upowrValidation(w, errs)
			return
		}
		reAccept = b
	}
	s.withOpenProject(w, id, false, func(p *UPowrProject) (int, string) {
		if p.Status == StatusRejected {
			return http.StatusConflict, "Project is rejected"
		}
		if p.ContractAccepted {
			if !reAccept {
				return http.StatusConflict, "Contract already accepted; use re_accept=true"
			}
			p.ReAcceptCount++
		}
		p.ContractAccepted = true
		p.AcceptCount++
		p.Status = StatusAccepted
		return http.StatusOK, ""
	})
}

func (s *Server) handleUPowrReject(w http.ResponseWriter, r *http.Request) {
	id, ok := projectPath(w, r)
	if !ok {
		return
	}
	body, err := decodeRawObject(r, false)
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	var errs fieldErrors
	checkUnknown(&errs, "", body, "rejectReason")
	reason := ""
	if raw, ok := body["rejectReason"]; !ok {
		errs.add("rejectReason", "is required")
	} else if v, ok := rawString(raw); !ok || strings.TrimSpace(v) == "" {
		errs.add("rejectReason", "must be a non-empty string")
	} else {
		reason = v
	}
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	s.withOpenProject(w, id, false, func(p *UPowrProject) (int, string) {
		p.Status = StatusRejected
		p.RejectReason = reason
		return http.StatusOK, ""
	})
}

func (s *Server) handleUPowrClose(w http.ResponseWriter, r *http.Request) {
	id, ok := projectPath(w, r)
	if !ok {
		return
	}
	body, err := decodeRawObject(r, true)
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	var errs fieldErrors
	checkUnknown(&errs, "", body, "closedBy", "closedStateOverride")
	closedBy, override := "", ""
	if raw, ok := body["closedBy"]; ok {
		if v, ok := rawString(raw); ok {
			closedBy = v
		} else {
			errs.add("closedBy", "must be a string")
		}
	}
	if raw, ok := body["closedStateOverride"]; ok {
		if v, ok := rawString(raw); ok && (v == "CANCELLED" || v == "LOST") {
			override = v
		} else {
			errs.add("closedStateOverride", "must be one of CANCELLED, LOST")
		}
	}
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	s.withOpenProject(w, id, true, func(p *UPowrProject) (int, string) {
		// SPEC §1.2: closing a project that is already closed (a rejected
		// project is closed too) answers 409.
		switch p.Status {
		case StatusClosed:
			return http.StatusConflict, "Project is already closed"
		case StatusRejected:
			return http.StatusConflict, "Project is already closed (Closed/Failed: rejected)"
		}
		p.Status = StatusClosed
		p.ClosedBy = closedBy
		p.ClosedStateOverride = override
		return http.StatusOK, ""
	})
}

func (s *Server) handleUPowrCreateCharge(w http.ResponseWriter, r *http.Request) {
	pid, ok := projectPath(w, r)
	if !ok {
		return
	}
	body, err := decodeRawObject(r, false)
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid request body: "+err.Error())
		return
	}
	var errs fieldErrors
	checkUnknown(&errs, "", body, "amount", "type", "description", "paid_by", "external_links", "processed_at")
	c := &UPowrCharge{ProjectID: pid}
	if raw, ok := body["amount"]; !ok {
		errs.add("amount", "is required")
	} else if n, ok := rawInt(raw); !ok || n < 1 {
		errs.add("amount", "must be an integer >= 1 (cents)")
	} else {
		c.Amount = n
	}
	if raw, ok := body["type"]; !ok {
		errs.add("type", "is required")
	} else if v, ok := rawString(raw); !ok || !slices.Contains(chargeTypes, v) {
		errs.add("type", "must be one of %s", strings.Join(chargeTypes, ", "))
	} else {
		c.Type = v
	}
	if raw, ok := body["description"]; ok {
		if v, ok := rawString(raw); ok {
			c.Description = v
		} else {
			errs.add("description", "must be a string")
		}
	}
	if raw, ok := body["paid_by"]; !ok {
		errs.add("paid_by", "is required")
	} else if v, ok := rawString(raw); !ok || strings.TrimSpace(v) == "" {
		errs.add("paid_by", "must be a non-empty string")
	} else {
		c.PaidBy = v
	}
	if raw, ok := body["external_links"]; ok {
		if l, ok := rawArray(raw); !ok {
			errs.add("external_links", "must be an array of strings")
		} else {
			c.ExternalLinks = []string{}
			for i, e := range l {
				v, ok := rawString(e)
				if !ok {
					errs.add(fmt.Sprintf("external_links[%d]", i), "must be a string")
					continue
				}
				c.ExternalLinks = append(c.ExternalLinks, v)
			}
		}
	}
	processed := s.now().UTC()
	if raw, ok := body["processed_at"]; ok {
		v, ok := rawString(raw)
		t, err := time.Parse(time.RFC3339Nano, v)
		if !ok || err != nil {
			errs.add("processed_at", "must be an RFC 3339 date-time")
		} else {
			processed = t.UTC()
		}
	}
	c.ProcessedAt = processed.Format(time.RFC3339)
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	c.ID = newUUID()
	s.upowr.mu.Lock()
	_, found := s.upowr.projects[pid]
	if found {
		s.upowr.charges[c.ID] = c
		s.upowr.corder = append(s.upowr.corder, c.ID)
	}
	s.upowr.mu.Unlock()
	if !found {
		upowrMessage(w, http.StatusNotFound, "Project not found")
		return
	}
	committed(w)
	writeJSON(w, http.StatusCreated, map[string]any{"id": c.ID})
}

func (s *Server) handleUPowrDeleteCharge(w http.ResponseWriter, r *http.Request) {
	pid, ok := projectPath(w, r)
	if !ok {
		return
	}
	cid := r.PathValue("chargeId")
	if !isUUID(cid) {
		var errs fieldErrors
		errs.add("chargeId", "must be a UUID")
		upowrValidation(w, errs)
		return
	}
	cid = strings.ToLower(cid)
	s.upowr.mu.Lock()
	_, pfound := s.upowr.projects[pid]
	c := s.upowr.charges[cid]
	cfound := pfound && c != nil && c.ProjectID == pid
	if cfound {
		delete(s.upowr.charges, cid)
		if i := slices.Index(s.upowr.corder, cid); i >= 0 {
			s.upowr.corder = slices.Delete(s.upowr.corder, i, i+1)
		}
	}
	s.upowr.mu.Unlock()
	switch {
	case !pfound:
		upowrMessage(w, http.StatusNotFound, "Project not found")
	case !cfound:
		upowrMessage(w, http.StatusNotFound, "Charge not found")
	default:
		writeJSON(w, http.StatusOK, map[string]any{"ok": true})
	}
}

func (s *Server) handleUPowrTempFile(w http.ResponseWriter, r *http.Request) {
	replace := false
	if v := r.URL.Query().Get("replace"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			var errs fieldErrors
			errs.add("replace", "must be a boolean")
			upowrValidation(w, errs)
			return
		}
		replace = b
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		upowrMessage(w, http.StatusBadRequest, "Content-Type must be multipart/form-data")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxTempFileSize+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		upowrMessage(w, http.StatusBadRequest, "Invalid multipart body: "+err.Error())
		return
	}
	tooLarge := func() {
		upowrMessage(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("File too large: the limit is %d bytes", MaxTempFileSize))
	}
	var errs fieldErrors
	var f TempFile
	haveFile := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				tooLarge()
				return
			}
			upowrMessage(w, http.StatusBadRequest, "Invalid multipart body: "+err.Error())
			return
		}
		name := part.FormName()
		switch name {
		case "fileAssociationId", "fileCode":
			v, err := io.ReadAll(io.LimitReader(part, 4097))
			if err != nil || len(v) > 4096 {
				errs.add(name, "invalid value")
				continue
			}
			if name == "fileCode" {
				f.FileCode = string(v)
			} else {
				f.FileAssociationID = string(v)
			}
		case "file":
			if haveFile {
				errs.add("file", "only one file may be uploaded per request")
				continue
			}
			haveFile = true
			f.Filename = part.FileName()
			h := sha256.New()
			n, err := io.Copy(h, io.LimitReader(part, MaxTempFileSize+1))
			if err != nil {
				var mbe *http.MaxBytesError
				if errors.As(err, &mbe) {
					tooLarge()
					return
				}
				upowrMessage(w, http.StatusBadRequest, "Invalid multipart body: "+err.Error())
				return
			}
			if n > MaxTempFileSize {
				tooLarge()
				return
			}
			f.Size = int(n)
			f.SHA256 = hex.EncodeToString(h.Sum(nil))
		default:
			errs.add(name, "unknown form field %q", name)
		}
		_ = part.Close()
	}
	if strings.TrimSpace(f.FileAssociationID) == "" {
		errs.add("fileAssociationId", "is required")
	}
	if f.FileCode == "" {
		errs.add("fileCode", "is required")
	} else if !slices.Contains(fileCodes, f.FileCode) {
		errs.add("fileCode", "must be one of %s", strings.Join(fileCodes, ", "))
	}
	if !haveFile {
		errs.add("file", "is required")
	}
	if len(errs) > 0 {
		upowrValidation(w, errs)
		return
	}
	s.upowr.mu.Lock()
	list := s.upowr.temp[f.FileAssociationID]
	i := slices.IndexFunc(list, func(t TempFile) bool { return t.FileCode == f.FileCode })
	conflict := i >= 0 && !replace
	if !conflict {
		if i >= 0 {
			list[i] = f
		} else {
			s.upowr.temp[f.FileAssociationID] = append(list, f)
		}
	}
	s.upowr.mu.Unlock()
	if conflict {
		upowrMessage(w, http.StatusConflict, "File already exists; use replace=true")
		return
	}
	committed(w)
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}

// ---- out-of-band access ----

// CloseUPowrProject closes a project out of band, as UPowr does by itself
// (a newer project for the same customer and site) or a person in the app
// does. It reports whether the project exists.
func (s *Server) CloseUPowrProject(id, closedBy string) bool {
	s.upowr.mu.Lock()
	defer s.upowr.mu.Unlock()
	p := s.upowr.projects[strings.ToLower(id)]
	if p == nil {
		return false
	}
	p.Status, p.ClosedBy = StatusClosed, closedBy
	return true
}

// DeleteUPowrCharge deletes a charge out of band; it reports whether the
// charge existed.
func (s *Server) DeleteUPowrCharge(id string) bool {
	s.upowr.mu.Lock()
	defer s.upowr.mu.Unlock()
	id = strings.ToLower(id)
	if s.upowr.charges[id] == nil {
		return false
	}
	delete(s.upowr.charges, id)
	if i := slices.Index(s.upowr.corder, id); i >= 0 {
		s.upowr.corder = slices.Delete(s.upowr.corder, i, i+1)
	}
	return true
}

// UPowrProjectByID returns a copy of the stored UPowr project.
func (s *Server) UPowrProjectByID(id string) (UPowrProject, bool) {
	s.upowr.mu.RLock()
	defer s.upowr.mu.RUnlock()
	p := s.upowr.projects[strings.ToLower(id)]
	if p == nil {
		return UPowrProject{}, false
	}
	return p.clone(), true
}

// UPowrProjects returns copies of all UPowr projects in creation order.
func (s *Server) UPowrProjects() []UPowrProject {
	s.upowr.mu.RLock()
	defer s.upowr.mu.RUnlock()
	out := make([]UPowrProject, 0, len(s.upowr.order))
	for _, id := range s.upowr.order {
		out = append(out, s.upowr.projects[id].clone())
	}
	return out
}

// UPowrCharges returns the live (not deleted) charges of a project in
// creation order; projectID "" returns all charges.
func (s *Server) UPowrCharges(projectID string) []UPowrCharge {
	s.upowr.mu.RLock()
	defer s.upowr.mu.RUnlock()
	projectID = strings.ToLower(projectID)
	var out []UPowrCharge
	for _, id := range s.upowr.corder {
		c := s.upowr.charges[id]
		if projectID == "" || c.ProjectID == projectID {
			cc := *c
			cc.ExternalLinks = slices.Clone(c.ExternalLinks)
			out = append(out, cc)
		}
	}
	return out
}

// TempFiles returns the temp files uploaded under a fileAssociationId, in
// upload order (a replaced file keeps its place).
func (s *Server) TempFiles(fileAssociationID string) []TempFile {
	s.upowr.mu.RLock()
	defer s.upowr.mu.RUnlock()
	return slices.Clone(s.upowr.temp[fileAssociationID])
}
