package pipesolar

import (
	"bytes"
	"encoding/json"
)

// Project is a project as fetch_project and the list endpoints return it:
// every member of the API's object, under the API's own name
// (customerFirstName, contractPrice, allFilesURL, ...). The client does not
// name the fields: which members mean what is the provider's field table.
// Scalars keep the API's own text ("18,450.01", "8.50"; ParseNumber reads
// the numeric ones).
type Project struct {
	ID     string
	Fields map[string]Value
}

// Value is one member of a project: a scalar as text, an array of scalars,
// or an object of scalars. Empty scalars and null are "".
type Value struct {
	Text string
	List []string
	Map  map[string]string
}

// Text returns the scalar member name, or "" when it is absent, null, or not
// a scalar.
func (p *Project) Text(name string) string { return p.Fields[name].Text }

// List returns the array member name; a single scalar is a list of one.
func (p *Project) List(name string) []string {
	v := p.Fields[name]
	if v.List == nil && v.Text != "" {
		return []string{v.Text}
	}
	return v.List
}

// Map returns the object member name, or nil.
func (p *Project) Map(name string) map[string]string { return p.Fields[name].Map }

// idKeys are the members a project's id may be under, in order of
// preference.
var idKeys = []string{"id", "_id", "project_id", "projectId"}

// UnmarshalJSON decodes any JSON value tolerantly: a scalar as text, an
// array as a list of scalars, an object as a map of scalars.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*v = Value{}
	if len(b) == 0 {
		return nil
	}
	switch b[0] {
	case '[':
		var l flexList
		if err := l.UnmarshalJSON(b); err != nil {
			return err
		}
		v.List = []string(l)
	case '{':
		var m flexMap
		if err := m.UnmarshalJSON(b); err != nil {
			return err
		}
		v.Map = map[string]string(m)
	default:
		var s flexString
		if err := s.UnmarshalJSON(b); err != nil {
			return err
		}
		v.Text = string(s)
	}
	return nil
}

// projectWire is a project's JSON object, every member decoded tolerantly;
// it becomes the Project's Fields as it is.
type projectWire map[string]Value

func (w projectWire) id() string {
	for _, k := range idKeys {
		if v := w[k].Text; v != "" {
			return v
		}
	}
	return ""
}

func (w projectWire) project() Project { return Project{ID: w.id(), Fields: map[string]Value(w)} }

// nestsData reports whether a list item nests its project under "data"
// ({"id": "X", "data": {...}}): its data member is a non-empty object.
func (w projectWire) nestsData() bool { return len(w["data"].Map) > 0 }

// nestedProject decodes the project an item nests under "data", with the
// item's id when the nested object has none; ok is false when the item does
// not nest one.
func nestedProject(item []byte, outer projectWire) (inner projectWire, ok bool, err error) {
	var members map[string]json.RawMessage // the exact key "data", as nestsData sees it
	if err := json.Unmarshal(item, &members); err != nil {
		return nil, false, err
	}
	d := bytes.TrimSpace(members["data"])
	if len(d) == 0 || d[0] != '{' || isEmptyJSON(d) {
		return nil, false, nil
	}
	if err := json.Unmarshal(d, &inner); err != nil {
		return nil, false, err
	}
	if inner.id() == "" {
		if inner == nil {
			inner = projectWire{}
		}
		inner["id"] = Value{Text: outer.id()}
	}
	return inner, true, nil
}

var _ json.Unmarshaler = (*Value)(nil) // the wire types decode themselves
