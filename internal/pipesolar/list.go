package pipesolar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// MaxListPages stops a listing that never ends (a server that keeps inventing
// new ids); the provider reports it as an error rather than looping.
const MaxListPages = 10000

// ListFilter selects which projects ListProjects returns: exactly one of
// OrgID or InstallerID.
type ListFilter struct {
	OrgID       string
	InstallerID string
	// Limit, when above 0, is how many projects the caller needs at most:
	// EachProjectPage requests no page ahead beyond it.
	Limit int64
}

// String names the filter as a user wrote it: org_id "acme".
func (f ListFilter) String() string {
	if f.InstallerID != "" && f.OrgID == "" {
		return fmt.Sprintf("installer_id %q", f.InstallerID)
	}
	return fmt.Sprintf("org_id %q", f.OrgID)
}

// endpoint is the list call for f. The id is sent trimmed: pipe.solar
// matches it exactly, and " org-1 " in a configuration means org-1.
func (f ListFilter) endpoint() (string, url.Values, error) {
	f.OrgID, f.InstallerID = strings.TrimSpace(f.OrgID), strings.TrimSpace(f.InstallerID)
	switch {
	case f.OrgID != "" && f.InstallerID != "":
		return "", nil, errors.New("list projects: set either OrgID or InstallerID, not both")
	case f.OrgID != "":
		return EndpointListByOrg, url.Values{"org_id": {f.OrgID}}, nil
	case f.InstallerID != "":
		return EndpointListByInstaller, url.Values{"installer_id": {f.InstallerID}}, nil
	}
	return "", nil, errors.New("list projects: OrgID or InstallerID is required")
}

// ListProjects returns every project of an org or installer, reading pages
// 1, 2, ... until a page is empty, a page brings no new project (a server
// that ignores `page` repeats page 1), or the API says nothing remains.
// Projects repeated across pages are returned once.
func (c *Client) ListProjects(ctx context.Context, filter ListFilter) ([]Project, error) {
	var all []Project
	err := c.EachProjectPage(ctx, filter, func(projects []Project) error {
		all = append(all, projects...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

// listReadAhead is how many pages of a listing are requested at once when
// the API says how many remain: a listing of 5,000 projects is 100 pages,
// and a refresh with batch_refresh waits for the page its project is on.
const listReadAhead = 4

// pageAnswer is the answer to one page request.
type pageAnswer struct {
	resp *transport.Response
	err  error
}

// EachProjectPage is ListProjects one page at a time: fn receives each
// page's projects not seen on an earlier page, in the API's order, and may
// keep the slice. An error from fn stops the listing and is returned.
// Holding only one page at a time keeps a listing of tens of thousands of
// projects from holding them all as decoded structs.
//
// From page 3 on, when a page says how many projects remain (remaining, or
// total), the pages known to exist are requested up to listReadAhead at a
// time; they
// are still decoded and handed to fn one by one, in order, and the
// requests still in flight when the listing stops are cancelled.
func (c *Client) EachProjectPage(ctx context.Context, filter ListFilter, fn func([]Project) error) error {
	endpoint, q, err := filter.endpoint()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(transport.WithIdempotent(ctx))
	defer cancel()
	request := func(page int) <-chan pageAnswer {
		pq := maps.Clone(q) // Set replaces page's slice; the others are shared, never changed
		pq.Set("page", strconv.Itoa(page))
		ch := make(chan pageAnswer, 1)
		go func() {
			resp, err := c.call(ctx, http.MethodGet, endpoint, pq, nil)
			ch <- pageAnswer{resp, err}
		}()
		return ch
	}
	seen := make(map[string]struct{})
	listed, pageSize, lastPage := 0, 0, 0 // lastPage: the last page the API said exists; 0 when unknown
	var ahead []<-chan pageAnswer         // requests of the pages after the previous one, in order
	var previous []byte                   // the previous page's body, to spot a server that ignores page
	for page := 1; page <= MaxListPages; page++ {
		// Reading ahead starts at page 3: page 2 differing from page 1
		// shows that the server honours page (one that ignores it would be
		// asked for copies of page 1).
		for len(ahead) == 0 || (page >= 3 && page+len(ahead) <= min(lastPage, MaxListPages) && len(ahead) < listReadAhead &&
			(filter.Limit <= 0 || int64(listed+len(ahead)*pageSize) < filter.Limit)) {
			ahead = append(ahead, request(page+len(ahead)))
		}
		answer := <-ahead[0]
		ahead = ahead[1:]
		if answer.err != nil {
			return answer.err
		}
		if previous != nil && bytes.Equal(previous, answer.resp.Body) {
			return nil
		}
		previous = answer.resp.Body
		pg, err := decodeListPage(answer.resp.Body)
		if err != nil {
			return fmt.Errorf("%s GET %s page %d: %w", API, endpoint, page, err)
		}
		if page == 1 {
			pageSize = len(pg.Projects)
		}
		fresh := pg.Projects[:0]
		for _, p := range pg.Projects {
			if p.ID != "" {
				if _, dup := seen[p.ID]; dup {
					continue
				}
				seen[p.ID] = struct{}{}
			}
			fresh = append(fresh, p)
		}
		if len(fresh) > 0 {
			if err := fn(fresh); err != nil {
				return err
			}
		}
		listed += len(fresh)
		switch {
		case len(fresh) == 0:
			return nil
		case pg.Remaining != nil && *pg.Remaining <= 0:
			return nil
		case pg.Total != nil && listed >= *pg.Total:
			return nil
		case pageSize == 0:
		case pg.Remaining != nil:
			lastPage = page + (*pg.Remaining+pageSize-1)/pageSize
		case pg.Total != nil:
			lastPage = (*pg.Total + pageSize - 1) / pageSize
		}
	}
	return fmt.Errorf("%s GET %s: still receiving new projects after %d pages; stopped", API, endpoint, MaxListPages)
}

// listPage is one decoded page of a list endpoint.
type listPage struct {
	Projects  []Project
	Remaining *int // items after this page, when the API says
	Total     *int // items in all pages, when the API says
}

// listKeys are the members a list's array may be under, in order of
// preference.
var listKeys = []string{"data", "projects", "results", "items", "records"}

// decodeListPage understands a bare array, or an object with the array under
// data/projects/results (possibly inside a "response" envelope or a "data"
// object), items with their id as id/_id/project_id, and optional
// remaining/count/total paging fields next to the array.
func decodeListPage(body []byte) (listPage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return listPage{}, nil
	}
	var items json.RawMessage
	var meta map[string]json.RawMessage
	switch body[0] {
	case '[':
		items = body
	case '{':
		obj, err := decodeObject(body)
		if err != nil {
			return listPage{}, err
		}
		obj = unwrapEnvelope(obj)
		items, meta = findList(obj, 0)
		if items == nil {
			return listPage{}, fmt.Errorf("no project list in the response (looked for a top-level array or one under %v): %s",
				listKeys, transport.Message(body))
		}
	default:
		return listPage{}, fmt.Errorf("unexpected response: want JSON, got %s", transport.Message(body))
	}
	if isEmptyJSON(items) {
		return listPage{Remaining: intMember(meta, "remaining"), Total: intMember(meta, "total")}, nil
	}
	page := listPage{Remaining: intMember(meta, "remaining"), Total: intMember(meta, "total")}
	if projects, ok := decodeListItemsFast(items); ok {
		page.Projects = projects
		return page, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(items, &raw); err != nil {
		return listPage{}, fmt.Errorf("project list is not an array: %w", err)
	}
	page.Projects = make([]Project, 0, len(raw))
	for i, item := range raw {
		p, err := decodeListItem(item)
		if err != nil {
			return listPage{}, fmt.Errorf("project %d of the page: %w", i+1, err)
		}
		page.Projects = append(page.Projects, p)
	}
	return page, nil
}

// decodeListItemsFast decodes a page's items in one pass, as decodeListItem
// would one by one (a page of 50 projects is about 100 KB, and decoding each
// item separately scanned it twice more). ok is false when an item is not
// an object or does not decode; the caller then goes item by item for a
// precise error.
func decodeListItemsFast(items json.RawMessage) (projects []Project, ok bool) {
	var wires []projectWire
	if json.Unmarshal(items, &wires) != nil {
		return nil, false
	}
	projects = make([]Project, 0, len(wires))
	for _, w := range wires {
		if w == nil || w.nestsData() {
			// Not an object, or a nested project (a rare shape): the
			// caller decodes item by item.
			return nil, false
		}
		projects = append(projects, w.project())
	}
	return projects, true
}

// findList returns the array of projects in obj and the object that holds
// it (where paging fields live).
func findList(obj map[string]json.RawMessage, depth int) (json.RawMessage, map[string]json.RawMessage) {
	// A non-empty array wins over a null or empty member under another key.
	var empty json.RawMessage
	for _, k := range listKeys {
		if t := bytes.TrimSpace(obj[k]); len(t) > 0 && t[0] == '[' && !isEmptyJSON(t) {
			return t, obj
		}
	}
	for _, k := range listKeys {
		v, ok := obj[k]
		if !ok {
			continue
		}
		t := bytes.TrimSpace(v)
		if isEmptyJSON(t) {
			if empty == nil {
				empty = t
			}
			continue
		}
		if len(t) > 0 && t[0] == '{' && depth < 2 {
			var inner map[string]json.RawMessage
			if json.Unmarshal(t, &inner) == nil {
				if items, meta := findList(inner, depth+1); items != nil {
					return items, meta
				}
			}
		}
	}
	if empty != nil {
		return empty, obj
	}
	return nil, nil
}

func decodeListItem(item json.RawMessage) (Project, error) {
	t := bytes.TrimSpace(item)
	if len(t) == 0 || t[0] != '{' {
		return Project{}, fmt.Errorf("want an object, got %s", transport.Message(t))
	}
	var w projectWire
	if err := json.Unmarshal(t, &w); err != nil {
		return Project{}, err
	}
	// An item may nest its fields as {"id": ..., "data": {...}}.
	inner, nested, err := nestedProject(t, w)
	if err != nil {
		return Project{}, err
	}
	if nested {
		w = inner
	}
	return w.project(), nil
}

func intMember(obj map[string]json.RawMessage, key string) *int {
	raw, ok := obj[key]
	if !ok {
		return nil
	}
	var s flexString
	if json.Unmarshal(raw, &s) != nil || s == "" {
		return nil
	}
	n, err := strconv.Atoi(string(s))
	if err != nil {
		f, ferr := strconv.ParseFloat(string(s), 64)
		if ferr != nil {
			return nil
		}
		n = int(f)
	}
	return &n
}
