package mockapi

import (
	"net/http"
	"reflect"
	"strings"
	"time"
)

// defaultLeadDoc is a lead with every key the Lead schema requires, empty.
func defaultLeadDoc(created time.Time) map[string]any {
	return map[string]any{
		"reference": nil, "productLine": "solar", "status": "lead", "archived": false, "createdAt": stamp(created),
		"customer":   map[string]any{"firstName": nil, "lastName": nil, "email": nil, "phone": nil},
		"coBorrower": nil,
		"address":    map[string]any{"line1": nil, "line2": nil, "city": nil, "state": nil, "postalCode": nil, "country": nil},
		"utility":    map[string]any{"name": nil, "monthlyBill": nil, "meterNumber": nil},
		"source":     map[string]any{"name": "API", "subSource": nil},
		"externalId": nil, "partnerLeadId": nil, "notes": nil, "salesRep": nil, "setter": nil,
		"design": nil, "proposal": nil, "links": map[string]any{"proposal": nil},
		"contractFiles": []any{}, "files": map[string]any{},
	}
}

var addressKeys = []string{"line1", "line2", "city", "state", "postalCode", "country"}

// parseAddress checks a lead address as v1 states it: line1, city, state
// and postalCode required; line2 and country optional; state a US state or
// Canadian province; country US or CA, read from the state when absent.
func parseAddress(w http.ResponseWriter, v any, b PipeBehaviour) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		invalid(w, "address must be an object {line1, line2, city, state, postalCode, country}.")
		return nil, false
	}
	if !checkKnown(w, "address.", m, addressKeys...) {
		return nil, false
	}
	out := map[string]any{}
	for _, k := range addressKeys {
		f, ok := textOf(w, m, k)
		if !ok {
			return nil, false
		}
		required := k == "line1" || k == "city" || k == "state" || k == "postalCode"
		if required && (f.null || !f.present) {
			invalid(w, "address.%s is required: send line1, city, state and postalCode together.", k)
			return nil, false
		}
		if f.null || !f.present {
			out[k] = nil
		} else {
			out[k] = b.text(f.text)
		}
	}
	reg, ok := findRegion(str(out["state"]))
	if !ok {
		invalid(w, "address.state %q is not a US state or Canadian province Pipe supports (a code such as TX or ON, or the name).", out["state"])
		return nil, false
	}
	out["state"] = b.state(str(out["state"]))
	if c, ok := out["country"].(string); ok {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c != "US" && c != "CA" {
			invalid(w, "address.country must be US or CA (got %q).", out["country"])
			return nil, false
		}
		if c != reg.country {
			invalid(w, "address.country %s does not hold the state %s (%s).", c, reg.name, reg.country)
			return nil, false
		}
		out["country"] = c
	} else {
		out["country"] = reg.country
	}
	return out, true
}

func checkEmail(w http.ResponseWriter, name string, f textField) bool {
	if f.present && !f.null && !looksLikeEmail(strings.TrimSpace(f.text)) {
		invalid(w, "%s %q is not an e-mail address.", name, f.text)
		return false
	}
	return true
}

func nameField(w http.ResponseWriter, body map[string]any, name string, required bool) (textField, bool) {
	f, ok := textOf(w, body, name)
	if !ok {
		return f, false
	}
	if (required && !f.present) || (f.present && f.null) {
		invalid(w, "%s is required and cannot be empty.", name)
		return f, false
	}
	return f, true
}

func textOrNull(f textField, conv func(string) string) any {
	if !f.set() {
		return nil
	}
	return conv(f.text)
}

var leadCreateKeys = []string{"firstName", "lastName", "address", "email", "phone", "salesRepEmail", "setterEmail", "notes", "externalId"}

func (s *Server) handleCreateLead(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	body, ok := writeBody(w, r, leadCreateKeys...)
	if !ok {
		return
	}
	b := s.CurrentPipeBehaviour()
	first, ok1 := nameField(w, body, "firstName", true)
	if !ok1 {
		return
	}
	last, ok2 := nameField(w, body, "lastName", true)
	if !ok2 {
		return
	}
	av, has := body["address"]
	if !has || av == nil {
		invalid(w, "address is required: {line1, city, state, postalCode; line2 and country optional}.")
		return
	}
	addr, ok := parseAddress(w, av, b)
	if !ok {
		return
	}
	fields := map[string]textField{}
	for _, name := range []string{"email", "phone", "salesRepEmail", "setterEmail", "notes", "externalId"} {
		f, ok := textOf(w, body, name)
		if !ok {
			return
		}
		fields[name] = f
	}
	if !checkEmail(w, "email", fields["email"]) {
		return
	}
	ext := fields["externalId"]
	if len(ext.text) > 128 {
		invalid(w, "externalId is at most 128 characters (got %d).", len(ext.text))
		return
	}

	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	if ext.set() {
		for _, l := range s.pipe.leads {
			if l.company == k.Company && l.doc["externalId"] == ext.text {
				writeJSON(w, http.StatusOK, map[string]any{"leadId": l.id, "created": false, "unassigned": []any{}})
				return
			}
		}
	}
	now := s.pipe.bump(s.now())
	doc := defaultLeadDoc(now)
	doc["customer"] = map[string]any{
		"firstName": b.text(first.text), "lastName": b.text(last.text),
		"email": textOrNull(fields["email"], b.email), "phone": textOrNull(fields["phone"], b.phone),
	}
	doc["address"] = addr
	if ext.set() {
		doc["externalId"] = ext.text
	}
	unassigned := []any{}
	for _, role := range []struct{ field, key string }{{"salesRepEmail", "salesRep"}, {"setterEmail", "setter"}} {
		f := fields[role.field]
		if !f.set() {
			continue
		}
		if m := s.pipe.member(f.text); m != nil {
			doc[role.key] = personJSON(m)
		} else {
			unassigned = append(unassigned, f.text)
		}
	}
	l := &leadRec{id: newID(), company: k.Company, updated: now, doc: doc}
	if n := fields["notes"]; n.set() {
		doc["notes"] = b.text(n.text)
		l.addNote(n.text, k, now)
	}
	s.pipe.leads[l.id] = l
	committed(w)
	writeJSON(w, http.StatusCreated, map[string]any{"leadId": l.id, "created": true, "unassigned": unassigned})
}

// addNote posts a note to the lead's activity, as a write by key k.
func (l *leadRec) addNote(body string, k apiKey, at time.Time) {
	l.activities = append(l.activities, map[string]any{
		"id": "act_" + newID(), "reference": nil, "type": "note", "body": body,
		"internal": false, "customerFacing": false, "replyTo": nil,
		"author": "API key " + k.Name, "authorId": nil, "createdAt": stamp(at),
	})
}

var leadPatchKeys = []string{"firstName", "lastName", "email", "phone", "notes", "address", "coBorrower", "salesRepEmail", "setterEmail"}

func (s *Server) handleGetLead(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.pipe.mu.RLock()
	var v map[string]any
	if l := s.pipe.findLead(id, &k); l != nil {
		v = s.pipe.leadView(l)
	}
	s.pipe.mu.RUnlock()
	if v == nil {
		notFound(w, id)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) handlePatchLead(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.pipe.mu.RLock()
	found := s.pipe.findLead(id, &k) != nil
	s.pipe.mu.RUnlock()
	if !found {
		notFound(w, id)
		return
	}
	body, ok := s.patchLeadBody(w, r)
	if !ok {
		return
	}
	b := s.CurrentPipeBehaviour()
	set := map[string]any{} // path "customer.firstName" → value
	for _, name := range []string{"firstName", "lastName"} {
		f, ok := textOf(w, body, name)
		if !ok {
			return
		}
		if f.present {
			if f.null {
				invalid(w, "%s cannot be empty: a lead keeps its customer's name.", name)
				return
			}
			set["customer."+name] = b.text(f.text)
		}
	}
	for _, name := range []string{"email", "phone", "notes", "salesRepEmail", "setterEmail"} {
		f, ok := textOf(w, body, name)
		if !ok {
			return
		}
		if !f.present {
			continue
		}
		switch name {
		case "email":
			if !checkEmail(w, name, f) {
				return
			}
			set["customer.email"] = textOrNull(f, b.email)
		case "phone":
			set["customer.phone"] = textOrNull(f, b.phone)
		case "notes":
			set["notes"] = textOrNull(f, b.text)
		default:
			set[name] = f
		}
	}
	if av, has := body["address"]; has {
		if av == nil {
			invalid(w, "address cannot be cleared; send line1, city, state and postalCode together.")
			return
		}
		addr, ok := parseAddress(w, av, b)
		if !ok {
			return
		}
		set["address"] = addr
	}
	if cv, has := body["coBorrower"]; has {
		switch c := cv.(type) {
		case nil:
			set["coBorrower"] = nil
		case map[string]any:
			if !checkKnown(w, "coBorrower.", c, "firstName", "lastName", "email", "phone") {
				return
			}
			co := map[string]any{}
			for _, name := range []string{"firstName", "lastName", "email", "phone"} {
				f, ok := textOf(w, c, name)
				if !ok {
					return
				}
				if name == "email" && !checkEmail(w, "coBorrower.email", f) {
					return
				}
				if f.present {
					conv := b.text
					switch name {
					case "email":
						conv = b.email
					case "phone":
						conv = b.phone
					}
					co[name] = textOrNull(f, conv)
				}
			}
			set["coBorrower.fields"] = co
		default:
			invalid(w, "coBorrower must be an object {firstName, lastName, email, phone} or null.")
			return
		}
	}

	s.pipe.mu.Lock()
	defer s.pipe.mu.Unlock()
	l := s.pipe.findLead(id, &k)
	if l == nil {
		notFound(w, id)
		return
	}
	// Every member e-mail must resolve before anything changes.
	people := map[string]any{}
	for _, role := range []struct{ field, key string }{{"salesRepEmail", "salesRep"}, {"setterEmail", "setter"}} {
		f, has := set[role.field].(textField) // set by the member e-mail branch above
		if !has {
			continue
		}
		if f.null {
			people[role.key] = nil
			continue
		}
		m := s.pipe.member(f.text)
		if m == nil {
			invalid(w, "%s %q is not an active member of %s; nothing was changed. Use the e-mail the member signs in with.", role.field, f.text, s.pipe.company)
			return
		}
		people[role.key] = personJSON(m)
	}
	doc := copyMap(l.doc)
	cust := obj(doc["customer"])
	for path, v := range set {
		switch {
		case strings.HasPrefix(path, "customer."):
			cust[strings.TrimPrefix(path, "customer.")] = v
		case path == "coBorrower.fields":
			co := obj(doc["coBorrower"])
			if co == nil {
				co = map[string]any{"firstName": nil, "lastName": nil, "email": nil, "phone": nil}
			}
			merge(co, obj(v))
			if co["firstName"] == nil && co["lastName"] == nil && co["email"] == nil && co["phone"] == nil {
				doc["coBorrower"] = nil
			} else {
				doc["coBorrower"] = co
			}
		case path == "salesRepEmail" || path == "setterEmail":
		default:
			doc[path] = v
		}
	}
	for key, v := range people {
		doc[key] = v
	}
	doc = copyMap(doc)
	now := s.now()
	changed := !reflect.DeepEqual(doc, l.doc)
	note, hasNote := set["notes"].(string)
	if changed || (hasNote && note != "") {
		t := s.pipe.bump(now)
		l.doc, l.updated = doc, t
		if hasNote && note != "" {
			l.addNote(note, k, t)
		}
		if p := s.pipe.projectOfLead(l.id); p != nil {
			s.pipe.syncProject(p, l, t)
		}
	}
	committed(w)
	writeJSON(w, http.StatusOK, s.pipe.leadView(l))
}

// patchLeadBody reads PATCH /v1/leads/{id}'s body; externalId has its own
// refusal.
func (s *Server) patchLeadBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	body, ok := writeBody(w, r, append(leadPatchKeys, "externalId")...)
	if !ok {
		return nil, false
	}
	if _, has := body["externalId"]; has {
		invalid(w, "externalId cannot be changed: it is set once, when the lead is created.")
		return nil, false
	}
	return body, true
}

// syncProject copies the customer's details and the lead's notes (the
// project's notes.customer) of lead l to its project p: one customer record
// in the app.
func (ps *pipeState) syncProject(p *projectRec, l *leadRec, t time.Time) {
	changed := false
	for _, key := range []string{"customer", "coBorrower", "address"} {
		if !reflect.DeepEqual(p.doc[key], l.doc[key]) {
			v, _ := normalize(l.doc[key])
			p.doc[key] = v
			changed = true
		}
	}
	if notes := obj(p.doc["notes"]); notes != nil && !reflect.DeepEqual(notes["customer"], l.doc["notes"]) {
		notes["customer"] = l.doc["notes"]
		changed = true
	}
	if changed {
		p.updated = t
	}
}

func (s *Server) handleLeadActivities(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s.pipe.mu.RLock()
	l := s.pipe.findLead(id, &k)
	var rows []map[string]any
	if l != nil {
		for i := len(l.activities) - 1; i >= 0; i-- {
			row := copyMap(l.activities[i])
			row["_seq"] = i + 1
			rows = append(rows, row)
		}
	}
	s.pipe.mu.RUnlock()
	if l == nil {
		notFound(w, id)
		return
	}
	lq, ok := parseList(w, r, "limit", "cursor")
	if !ok {
		return
	}
	page, next := pageOf(rows, lq, func(a map[string]any) (time.Time, string) {
		seq, _ := a["_seq"].(int)
		return time.UnixMilli(int64(seq)), str(a["id"])
	})
	data := make([]any, len(page))
	for i, a := range page {
		delete(a, "_seq")
		data[i] = a
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": data, "next": next})
}

func (s *Server) handleListLeads(w http.ResponseWriter, r *http.Request) {
	k, ok := s.v1Key(w, r)
	if !ok {
		return
	}
	lq, ok := parseList(w, r, "limit", "cursor", "updatedSince", "productLine")
	if !ok {
		return
	}
	s.pipe.mu.RLock()
	body := listPage(s.pipe.sortedLeads(&k), lq, func(l *leadRec) any { return s.pipe.leadView(l) })
	s.pipe.mu.RUnlock()
	writeJSON(w, http.StatusOK, body)
}
