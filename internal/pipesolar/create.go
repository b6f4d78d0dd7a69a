package pipesolar

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// CreateProjectInput is a create_project request. The body's members and
// their encoding are the provider's field table's business (numbers as
// json.Number, so decimals travel exactly as written); the client needs only
// the org and the natural key by which it recognises, in the org's listing,
// a project an uncertain create may have made.
type CreateProjectInput struct {
	Body  map[string]any
	OrgID string
	Key   []KeyField
}

// KeyField is one part of a project's natural key: the value sent, and the
// member of a listed project that shows it.
type KeyField struct {
	Member string // e.g. customerEmail
	Want   string // the value sent
	// Number compares as decimals, and a listing that does not show the
	// value does not rule a project out.
	Number bool
}

// MarshalJSON sends the body.
func (in CreateProjectInput) MarshalJSON() ([]byte, error) { return json.Marshal(in.Body) }

// Matches reports whether p is plausibly the project in's create produced:
// every part of the key the same, compared the way the API normalises text
// (trimmed, white space folded, case-insensitive) or numbers.
func (in CreateProjectInput) Matches(p Project) bool {
	for _, k := range in.Key {
		got := p.Text(k.Member)
		if k.Number {
			if !sameNumber(json.Number(k.Want), got) {
				return false
			}
		} else if !sameText(k.Want, got) {
			return false
		}
	}
	return true
}

func sameText(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// sameNumber compares a sent number with the API's text; a value the API
// does not show (in a list item, say) does not rule a project out.
func sameNumber(want json.Number, got string) bool {
	if want == "" || strings.TrimSpace(got) == "" {
		return true
	}
	w, ok1 := ParseNumber(string(want))
	g, ok2 := ParseNumber(got)
	return ok1 && ok2 && w.Cmp(g) == 0
}

// AmbiguousCreateError reports that a created project could not be told
// apart from others with the same customer and address.
type AmbiguousCreateError struct {
	OrgID      string
	Candidates []string
	Cause      string
}

func (e *AmbiguousCreateError) Error() string {
	return fmt.Sprintf("%s, and org %q has %d projects with this customer's name, email and address (%s), "+
		"so the provider cannot tell which one is the new project. Find the right id in the pipe.solar app, "+
		"then import it (`terraform import <address> <id>` or an `import` block) instead of applying again, "+
		"which could create yet another project.",
		e.Cause, e.OrgID, len(e.Candidates), strings.Join(e.Candidates, ", "))
}

// CreateProject creates a project and returns its id, however the API
// reports it. It never creates a second project by accident:
//   - when the answer carries no id, it lists the org's projects and picks the
//     single one matching the input (see Matches);
//   - when the request may have reached the server but failed (500/502/504, a
//     dropped connection, a timeout), it looks the project up the same way
//     first, adopts it when found, and sends the create again only when it
//     is not there.
//
// 429, 503 and failures before sending are retried by the transport.
func (c *Client) CreateProject(ctx context.Context, in CreateProjectInput) (string, error) {
	var lastErr error
	for attempt := 1; attempt <= c.createAttempts; attempt++ {
		resp, err := c.call(ctx, http.MethodPost, EndpointCreateProject, nil, in)
		if err == nil {
			if id := createdID(resp.Body, projectIDKeys...); id != "" {
				return id, nil
			}
			id, found, ferr := c.findCreated(ctx, in, "the create_project answer carried no project id")
			switch {
			case ferr != nil:
				return "", ferr
			case !found:
				return "", fmt.Errorf("%s POST %s succeeded but returned no project id, and no project of org %q matches "+
					"the new one's customer name, email and address. Check the org's projects in the pipe.solar app; "+
					"import the project if it exists", API, EndpointCreateProject, in.OrgID)
			}
			return id, nil
		}
		if !transport.MayHaveReachedServer(err) {
			return "", err
		}
		lastErr = err
		id, found, ferr := c.findCreated(ctx, in, fmt.Sprintf("create_project failed in a way that may have created the project (%v)", err))
		if ferr != nil {
			var amb *AmbiguousCreateError
			if errors.As(ferr, &amb) {
				return "", ferr
			}
			return "", fmt.Errorf("%w\n\nThe project may have been created. Looking it up to avoid a duplicate also failed: %v. "+
				"Check org %q in the pipe.solar app and import the project if it exists before applying again", err, ferr, in.OrgID)
		}
		if found {
			return id, nil
		}
	}
	return "", fmt.Errorf("%w\n\ncreate_project failed %d times; each time the org's project list showed no new project, "+
		"so nothing was created", lastErr, c.createAttempts)
}

// findCreated lists the org's projects and returns the one matching in.
func (c *Client) findCreated(ctx context.Context, in CreateProjectInput, cause string) (string, bool, error) {
	projects, err := c.ListProjects(ctx, ListFilter{OrgID: in.OrgID})
	if err != nil {
		return "", false, err
	}
	var ids []string
	for _, p := range projects {
		if in.Matches(p) && p.ID != "" {
			ids = append(ids, p.ID)
		}
	}
	switch len(ids) {
	case 0:
		return "", false, nil
	case 1:
		return ids[0], true, nil
	}
	return "", false, &AmbiguousCreateError{OrgID: in.OrgID, Candidates: ids, Cause: cause}
}

// createdID finds a new object's id in a create answer: top-level id /
// project_id / _id, inside data, or inside a {"response": ...} envelope.
func createdID(body []byte, keys ...string) string {
	obj, err := decodeObject(body)
	if err != nil {
		return ""
	}
	return idIn(obj, keys, 0)
}

// projectIDKeys are where create_project may put the new id.
var projectIDKeys = []string{"id", "project_id", "projectId", "_id"}

func idIn(obj map[string]json.RawMessage, keys []string, depth int) string {
	for _, k := range keys {
		if raw, ok := obj[k]; ok {
			var s flexString
			if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(string(s)) != "" {
				return strings.TrimSpace(string(s))
			}
		}
	}
	if depth >= 2 {
		return ""
	}
	for _, k := range []string{"data", "response", "project", "result"} {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil {
			if id := idIn(inner, keys, depth+1); id != "" {
				return id
			}
		}
	}
	return ""
}
