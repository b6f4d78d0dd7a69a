package mockapi

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

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

// v1Key returns the request's key, or answers 401.
func (s *Server) v1Key(w http.ResponseWriter, r *http.Request) (apiKey, bool) {
	tok, ok := bearer(r)
	s.pipe.mu.RLock()
	var k *apiKey
	if ok {
		k = s.pipe.keyFor(tok)
	}
	var out apiKey
	if k != nil {
		out = *k
	}
	s.pipe.mu.RUnlock()
	if k == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pipe.solar"`)
		v1Error(w, http.StatusUnauthorized, "unauthorized",
			"The key is missing, wrong or revoked. Send Authorization: Bearer psk_… with a key an owner or admin made in Settings → API Keys.")
		return apiKey{}, false
	}
	return out, true
}

func (s *Server) installerOnly(w http.ResponseWriter, k apiKey, what string) bool {
	if k.Role == "installer" {
		return true
	}
	v1Error(w, http.StatusForbidden, "forbidden", fmt.Sprintf("A dealer's key cannot read %s: only the installer's key reads them.", what))
	return false
}

// dealerWrite refuses a project write made with a dealer's key (v1 answers
// 400, as the specification documents).
func dealerWrite(w http.ResponseWriter, k apiKey) bool {
	if k.Role == "installer" {
		return false
	}
	invalid(w, "Only the installer's key changes a project; this is a dealer's key (%s).", k.Company)
	return true
}

const maxJSONBody = 1 << 20

// decodeObject reads a JSON object body.
func decodeObject(r *http.Request) (map[string]any, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading body: %w", err)
	}
	if len(body) > maxJSONBody {
		return nil, fmt.Errorf("body larger than %d bytes", maxJSONBody)
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

// writeBody reads a v1 write's body: JSON, an object, only known fields.
func writeBody(w http.ResponseWriter, r *http.Request, known ...string) (map[string]any, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		invalid(w, "Send the body as JSON with Content-Type: application/json (got %q).", r.Header.Get("Content-Type"))
		return nil, false
	}
	body, err := decodeObject(r)
	if err != nil {
		invalid(w, "The body is not valid: %v.", err)
		return nil, false
	}
	if !checkKnown(w, "", body, known...) {
		return nil, false
	}
	return body, true
}

func checkKnown(w http.ResponseWriter, prefix string, body map[string]any, known ...string) bool {
	var unknown []string
	for k := range body {
		if !slices.Contains(known, k) {
			unknown = append(unknown, prefix+k)
		}
	}
	if len(unknown) == 0 {
		return true
	}
	slices.Sort(unknown)
	invalid(w, "Unknown field %s: v1 refuses fields it does not know. Allowed here: %s.",
		strings.Join(unknown, ", "), strings.Join(known, ", "))
	return false
}

// textField is an optional text field of a body: present, null (or
// blank), and the text.
type textField struct {
	present, null bool
	text          string
}

func textOf(w http.ResponseWriter, body map[string]any, name string) (textField, bool) {
	v, ok := body[name]
	if !ok {
		return textField{}, true
	}
	if v == nil {
		return textField{present: true, null: true}, true
	}
	s, isText := v.(string)
	if !isText {
		invalid(w, "%s must be text or null.", name)
		return textField{}, false
	}
	return textField{present: true, null: strings.TrimSpace(s) == "", text: s}, true
}

// set reports a field sent with a non-blank text.
func (f textField) set() bool { return f.present && !f.null }

// ---- lists ----

type listQuery struct {
	limit  int
	since  time.Time
	line   string
	filter string
	after  *cursorPos
}

type cursorPos struct {
	T int64  `json:"t"`
	I string `json:"i"`
	F string `json:"f"`
}

func encodeCursor(c cursorPos) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseList reads limit, cursor and the filters named in allowed; anything
// else, or a bad value, is answered 400.
func parseList(w http.ResponseWriter, r *http.Request, allowed ...string) (listQuery, bool) {
	q := r.URL.Query()
	lq := listQuery{limit: 50}
	for k, vs := range q {
		if !slices.Contains(allowed, k) {
			invalid(w, "Unknown query parameter %q. Allowed: %s.", k, strings.Join(allowed, ", "))
			return lq, false
		}
		if len(vs) != 1 {
			invalid(w, "Send %s once.", k)
			return lq, false
		}
	}
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > 100 {
			invalid(w, "limit must be a whole number from 1 to 100 (got %q).", v[0])
			return lq, false
		}
		lq.limit = n
	}
	if v, ok := q["updatedSince"]; ok {
		t, err := time.Parse(time.RFC3339Nano, v[0])
		if err != nil {
			invalid(w, "updatedSince must be an ISO 8601 time such as 2026-10-01T00:00:00Z (got %q).", v[0])
			return lq, false
		}
		lq.since = t
	}
	if v, ok := q["productLine"]; ok {
		if v[0] != "solar" && v[0] != "hi" {
			invalid(w, "productLine must be solar or hi (got %q).", v[0])
			return lq, false
		}
		lq.line = v[0]
	}
	lq.filter = q.Get("productLine") + "|" + q.Get("updatedSince")
	if v, ok := q["cursor"]; ok {
		var c cursorPos
		b, err := base64.RawURLEncoding.DecodeString(v[0])
		if err == nil {
			err = json.Unmarshal(b, &c)
		}
		if err != nil || c.I == "" || c.F != lq.filter {
			invalid(w, "cursor %q is not one this list gave with these other fields; send the `next` of the page before, with the same productLine and updatedSince, or start without a cursor.", v[0])
			return lq, false
		}
		lq.after = &c
	}
	return lq, true
}

// pageOf cuts a page from rows sorted newest first; pos gives a row's
// place.
// listedRec is a record a listing pages through: its v1 JSON, when it last
// changed, and its id.
type listedRec interface {
	listKey() (doc map[string]any, updated time.Time, id string)
}

func (p *projectRec) listKey() (map[string]any, time.Time, string) { return p.doc, p.updated, p.id }
func (l *leadRec) listKey() (map[string]any, time.Time, string)    { return l.doc, l.updated, l.id }

// listPage is the answer of a listing (GET /projects, GET /leads): recs,
// newest change first, filtered by the query's productLine and
// updatedSince, one page of them, each as view shows it. The caller holds
// the read lock.
func listPage[R listedRec](recs []R, lq listQuery, view func(R) any) map[string]any {
	var rows []R
	for _, r := range recs {
		doc, updated, _ := r.listKey()
		if (lq.line == "" || str(doc["productLine"]) == lq.line) && (lq.since.IsZero() || updated.After(lq.since)) {
			rows = append(rows, r)
		}
	}
	page, next := pageOf(rows, lq, func(r R) (time.Time, string) {
		_, updated, id := r.listKey()
		return updated, id
	})
	data := make([]any, len(page))
	for i, r := range page {
		data[i] = view(r)
	}
	return map[string]any{"data": data, "next": next}
}

func pageOf[T any](rows []T, lq listQuery, pos func(T) (time.Time, string)) ([]T, any) {
	start := 0
	if c := lq.after; c != nil {
		ct := time.UnixMilli(c.T).UTC()
		start = len(rows)
		for i, row := range rows {
			t, id := pos(row)
			if newer(ct, c.I, t, id) {
				start = i
				break
			}
		}
	}
	rows = rows[start:]
	if len(rows) <= lq.limit {
		return rows, nil
	}
	t, id := pos(rows[lq.limit-1])
	return rows[:lq.limit], encodeCursor(cursorPos{T: t.UnixMilli(), I: id, F: lq.filter})
}

// ---- handlers ----

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	prefix := k.Key
	if len(prefix) > 12 {
		prefix = prefix[:12]
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"key":     map[string]any{"name": k.Name, "prefix": prefix},
		"company": map[string]any{"name": k.Company},
	})
}

func (s *Server) handleListProjects(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	lq, ok := parseList(w, r, "limit", "cursor", "updatedSince", "productLine")
	if !ok {
		return
	}
	s.pipe.mu.RLock()
	body := listPage(s.pipe.sortedProjects(&k), lq, func(p *projectRec) any { return s.pipe.projectRow(p) })
	s.pipe.mu.RUnlock()
	writeJSON(w, http.StatusOK, body)
}

func (s *Server) handleGetProject(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.pipe.mu.RLock()
	p := s.pipe.findProject(id, &k)
	var v map[string]any
	if p != nil {
		v = s.pipe.projectView(p)
	}
	s.pipe.mu.RUnlock()
	if v == nil {
		notFound(w, id)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// projectWrite runs fn on the project under the write lock, after the
// checks every project write shares (key, id, dealer).
func (s *Server) projectWrite(w http.ResponseWriter, r *http.Request, known []string, fn func(p *projectRec, body map[string]any) bool) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.pipe.mu.RLock()
	found := s.pipe.findProject(id, &k) != nil
	s.pipe.mu.RUnlock()
	if !found {
		notFound(w, id)
		return
	}
	if dealerWrite(w, k) {
		return
	}
	body, ok := writeBody(w, r, known...)
	if !ok {
		return
	}
	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	p := s.pipe.findProject(id, &k)
	if p == nil {
		notFound(w, id)
		return
	}
	if fn(p, body) {
		committed(w)
	}
}

func validDay(s string) bool {
	t, err := time.Parse("2006-01-02", s)
	return err == nil && t.Format("2006-01-02") == s
}

func (s *Server) handlePatchProject(w http.ResponseWriter, r *http.Request) {
	s.projectWrite(w, r, []string{"installDate", "ntpGranted"}, func(p *projectRec, body map[string]any) bool {
		var day any = false // false: absent
		if v, ok := body["installDate"]; ok {
			switch d := v.(type) {
			case nil:
				day = nil
			case string:
				if !validDay(d) {
					invalid(w, "installDate must be a day, YYYY-MM-DD, or null to clear it (got %q).", d)
					return false
				}
				day = d
			default:
				invalid(w, "installDate must be a day, YYYY-MM-DD, or null to clear it.")
				return false
			}
		}
		ntp, hasNTP := body["ntpGranted"]
		if _, isBool := ntp.(bool); hasNTP && !isBool {
			invalid(w, "ntpGranted must be true or false.")
			return false
		}
		changed := false
		ms := obj(p.doc["milestones"])
		if ms == nil {
			ms = map[string]any{}
			p.doc["milestones"] = ms
		}
		switch d := day.(type) {
		case nil:
			if _, had := ms["installScheduled"]; had {
				delete(ms, "installScheduled")
				changed = true
			}
		case string:
			if ms["installScheduled"] != d {
				ms["installScheduled"] = d
				changed = true
			}
		}
		if hasNTP && p.doc["ntpGranted"] != ntp {
			p.doc["ntpGranted"] = ntp
			changed = true
		}
		if changed {
			p.updated = s.pipe.bump(s.now())
		}
		writeJSON(w, http.StatusOK, map[string]any{"changed": changed})
		return true
	})
}

func (s *Server) handleMoveStage(w http.ResponseWriter, r *http.Request) {
	s.projectWrite(w, r, []string{"stageId", "stage"}, func(p *projectRec, body map[string]any) bool {
		idV, hasID := body["stageId"]
		nameV, hasName := body["stage"]
		if hasID == hasName {
			invalid(w, "Send the stage as stageId or as stage (its name), exactly one of them.")
			return false
		}
		line := str(p.doc["productLine"])
		ladder := s.pipe.ladder(line)
		var st StageDef
		if hasID {
			id, ok := idV.(string)
			if !ok {
				invalid(w, "stageId must be text.")
				return false
			}
			if st, ok = s.pipe.stageByID(line, id); !ok {
				invalid(w, "No stage with id %q on this project's %s ladder. The ladder: %s.", id, line, ladderNames(ladder))
				return false
			}
		} else {
			name, ok := nameV.(string)
			if !ok {
				invalid(w, "stage must be text: a stage's name.")
				return false
			}
			if st, ok = s.pipe.stageByName(line, name); !ok {
				invalid(w, "No stage named %q on this project's %s ladder. The ladder: %s.", name, line, ladderNames(ladder))
				return false
			}
		}
		changed := str(obj(p.doc["stage"])["id"]) != st.ID
		if changed {
			p.updated = s.pipe.bump(s.now())
			p.doc["stage"] = map[string]any{"id": st.ID, "name": st.Name, "enteredAt": stamp(p.updated)}
		}
		writeJSON(w, http.StatusOK, map[string]any{"changed": changed, "stage": st.Name, "stageId": st.ID})
		return true
	})
}

// checkFileURL applies v1's rule for file addresses: public https, no IP
// address, no private host, no password.
func checkFileURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "":
		return fmt.Errorf("is not an address")
	case u.Scheme != "https":
		return fmt.Errorf("must be https")
	case u.User != nil:
		return fmt.Errorf("must not hold a user name or password")
	}
	host := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if net.ParseIP(host) != nil {
		return fmt.Errorf("must name a host, not an IP address")
	}
	if !strings.Contains(host, ".") || host == "localhost" {
		return fmt.Errorf("must name a public host")
	}
	for _, suf := range []string{".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp"} {
		if strings.HasSuffix(host, suf) {
			return fmt.Errorf("must name a public host, not a private one")
		}
	}
	return nil
}

func (s *Server) handleAddFiles(w http.ResponseWriter, r *http.Request) {
	s.projectWrite(w, r, []string{"folder", "files"}, func(p *projectRec, body map[string]any) bool {
		folder, ok := body["folder"].(string)
		if !ok || !slices.Contains(fileFolders, folder) {
			invalid(w, "folder must be one of %s (got %v).", strings.Join(fileFolders, ", "), body["folder"])
			return false
		}
		list, ok := body["files"].([]any)
		if !ok || len(list) < 1 || len(list) > 10 {
			invalid(w, "files must be a list of 1 to 10 {url, name} objects.")
			return false
		}
		type want struct{ url, name string }
		wants := make([]want, len(list))
		for i, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				invalid(w, "files[%d] must be an object {url, name}.", i)
				return false
			}
			if !checkKnown(w, fmt.Sprintf("files[%d].", i), m, "url", "name") {
				return false
			}
			u, ok := m["url"].(string)
			if !ok {
				invalid(w, "files[%d].url is required: a public https address.", i)
				return false
			}
			if err := checkFileURL(u); err != nil {
				invalid(w, "files[%d].url %q %v: send a public https address (no IP address, no private host, no password).", i, u, err)
				return false
			}
			name := ""
			switch n := m["name"].(type) {
			case nil:
			case string:
				name = strings.TrimSpace(n)
			default:
				invalid(w, "files[%d].name must be text.", i)
				return false
			}
			if name == "" {
				pu, _ := url.Parse(u)
				name = path.Base(pu.Path)
				if name == "/" || name == "." || name == "" {
					name = pu.Hostname()
				}
			}
			wants[i] = want{u, name}
		}
		out := make([]any, len(wants))
		added := false
		for i, wnt := range wants {
			var f *fileRec
			for _, have := range p.files {
				if have.Folder == folder && have.URL == wnt.url {
					f = have
				}
			}
			isNew := f == nil
			if isNew {
				f = &fileRec{ID: "fil_" + newID(), Name: wnt.name, Folder: folder, URL: wnt.url, Link: "https://pipe.solar/files/" + newID()}
				p.files = append(p.files, f)
				added = true
			}
			out[i] = map[string]any{"id": f.ID, "name": f.Name, "folder": f.Folder, "added": isNew}
		}
		status := http.StatusOK
		if added {
			status = http.StatusCreated
			p.updated = s.pipe.bump(s.now())
		}
		writeJSON(w, status, map[string]any{"files": out})
		return true
	})
}

func (s *Server) handleListStages(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok || !s.installerOnly(w, k, "the stage ladders") {
		return
	}
	lq, ok := parseList(w, r, "productLine")
	if !ok {
		return
	}
	s.pipe.mu.RLock()
	data := []any{}
	for _, line := range []string{"solar", "hi"} {
		if lq.line != "" && lq.line != line {
			continue
		}
		for i, st := range s.pipe.ladder(line) {
			data = append(data, map[string]any{"id": st.ID, "name": st.Name, "productLine": st.ProductLine, "position": i + 1, "kind": st.Kind})
		}
	}
	s.pipe.mu.RUnlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

func (s *Server) handleAdders(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok || !s.installerOnly(w, k, "the catalogue (adders)") {
		return
	}
	data := make([]any, len(adders))
	for i, a := range adders {
		data[i] = a
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

func (s *Server) handleEquipment(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok || !s.installerOnly(w, k, "the catalogue (equipment)") {
		return
	}
	q := r.URL.Query()
	for p := range q {
		if p != "kind" {
			invalid(w, "Unknown query parameter %q. Allowed: kind.", p)
			return
		}
	}
	kind := q.Get("kind")
	if _, has := q["kind"]; has && kind != "panel" && kind != "inverter" && kind != "battery" {
		invalid(w, "kind must be panel, inverter or battery (got %q).", kind)
		return
	}
	data := []any{}
	for _, e := range equipment {
		if kind == "" || e["kind"] == kind {
			data = append(data, e)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data})
}

// handleRetired answers every call of the retired API.
func (s *Server) handleRetired(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusGone, map[string]any{"error": "moved", "docs": "https://pipe.solar/api/v1"})
}

func (s *Server) handleV1Unknown(w http.ResponseWriter, r *http.Request) {
	v1Error(w, http.StatusNotFound, "not_found", fmt.Sprintf("No such call: %s %s. See https://developers.pipe.solar.", r.Method, r.URL.Path))
}
