package pipesolar

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// Endpoints of leads, as errors report them.
const (
	EndpointLeads          = "/leads"
	EndpointLead           = "/leads/{id}"
	EndpointLeadActivities = "/leads/{id}/activities"
)

// CreateLead is POST /leads with v1's fields of in. Both answers are
// success: 201 (Created true, a new lead) and 200 (Created false: a lead
// with in.ExternalID already exists, and v1 ignored the rest of the body;
// read it and PATCH what differs). Unassigned lists the rep and setter
// e-mails v1 left empty.
//
// With an ExternalID the call is safe to repeat and is retried like every
// other call. Without one it is not repeated once it may have reached the
// API (500, 502, 504, a dropped connection or a timeout): a second POST
// could make a second lead, so the error says so.
//
// Missing required fields are refused before any call.
func (c *Client) CreateLead(ctx context.Context, in LeadCreate) (*LeadCreated, error) {
	t := collection(EndpointLeads)
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"firstName", in.FirstName}, {"lastName", in.LastName}, {"address.line1", in.Address.Line1},
		{"address.city", in.Address.City}, {"address.state", in.Address.State}, {"address.postalCode", in.Address.PostalCode},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s POST %s: %s empty; a lead needs a first and last name and an address with line1, city, state and postalCode",
			API, EndpointLeads, strings.Join(missing, ", "))
	}
	var out LeadCreated
	if in.ExternalID != "" {
		if err := c.call(ctx, http.MethodPost, t, nil, in, &out); err != nil {
			return nil, err
		}
	} else if err := c.send(ctx, http.MethodPost, t, nil, in, &out); err != nil {
		if transport.MayHaveReachedServer(err) {
			return nil, fmt.Errorf("%w. The call was not repeated: it had no externalId, so a second one could make a second lead. "+
				"It may have made the lead: look for it (GET %s, or the app) before trying again, and send an externalId to make creating a lead safe to repeat",
				err, EndpointLeads)
		}
		return nil, err
	}
	if out.LeadID == "" {
		return nil, lacks(http.MethodPost, t, "leadId")
	}
	return &out, nil
}

// GetLead is GET /leads/{id}: the full lead. id is Pipe's id or an old
// 10-character reference. A 404 is transport.KindNotFound.
func (c *Client) GetLead(ctx context.Context, id string) (*Lead, error) {
	t, err := record(EndpointLead, id)
	if err != nil {
		return nil, err
	}
	var out Lead
	if err := c.call(ctx, http.MethodGet, t, nil, nil, &out); err != nil {
		return nil, err
	}
	if out.ID == "" {
		return nil, lacks(http.MethodGet, t, "lead id")
	}
	return &out, nil
}

// UpdateLead is PATCH /leads/{id}; it returns the lead as it now reads.
//
// The body holds only the fields u sets (see LeadUpdate): a *string that
// points at "" is sent as null, which clears it. u.Address is sent whole:
// line1, city, state and postalCode, and line2 and country as null when
// empty (no second line; the country read from the state). u.CoBorrower is
// sent whole, its four fields as they are ("" clears one).
//
// An update that sets nothing makes no call and returns (nil, nil): check
// u.IsEmpty() first when a lead is needed. A first or last name set to ""
// and an address without one of its four required parts are refused
// before any call. A 404 is transport.KindNotFound; an e-mail that is not
// an active member is v1's 400, which names it (nothing was changed).
func (c *Client) UpdateLead(ctx context.Context, id string, u LeadUpdate) (*Lead, error) {
	t, err := record(EndpointLead, id)
	if err != nil {
		return nil, err
	}
	if u.IsEmpty() {
		return nil, nil
	}
	refuse := func(why string) error {
		return fmt.Errorf("%s PATCH %s (id %q): %s", API, EndpointLead, id, why)
	}
	body := map[string]any{}
	for _, f := range []struct {
		key      string
		value    *string
		required bool
	}{
		{"firstName", u.FirstName, true}, {"lastName", u.LastName, true}, {"email", u.Email, false},
		{"phone", u.Phone, false}, {"notes", u.Notes, false}, {"salesRepEmail", u.SalesRepEmail, false},
		{"setterEmail", u.SetterEmail, false},
	} {
		switch {
		case f.value == nil:
		case f.required && strings.TrimSpace(*f.value) == "":
			return nil, refuse(f.key + " cannot be cleared: a lead keeps a first and last name")
		case *f.value == "":
			body[f.key] = nil
		default:
			body[f.key] = *f.value
		}
	}
	if a := u.Address; a != nil {
		var missing []string
		for _, f := range []struct{ name, value string }{{"line1", a.Line1}, {"city", a.City}, {"state", a.State}, {"postalCode", a.PostalCode}} {
			if strings.TrimSpace(f.value) == "" {
				missing = append(missing, "address."+f.name)
			}
		}
		if len(missing) > 0 {
			return nil, refuse(strings.Join(missing, ", ") + " empty: v1 takes line1, city, state and postalCode together, and an address cannot be cleared")
		}
		body["address"] = map[string]any{
			"line1": a.Line1, "line2": nullIfEmpty(a.Line2), "city": a.City,
			"state": a.State, "postalCode": a.PostalCode, "country": nullIfEmpty(a.Country),
		}
	}
	if u.CoBorrower != nil {
		body["coBorrower"] = *u.CoBorrower
	}
	var out Lead
	if err := c.call(ctx, http.MethodPatch, t, nil, body, &out); err != nil {
		return nil, err
	}
	if out.ID == "" {
		return nil, lacks(http.MethodPatch, t, "lead id")
	}
	return &out, nil
}

// nullIfEmpty is s, or nil (JSON null) when s is "".
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// EachLeadPage is GET /leads, page by page, as EachProjectPage: rows are
// full leads, newest change first; f selects them.
func (c *Client) EachLeadPage(ctx context.Context, f ListFilter, fn func([]Lead) error) error {
	return eachPage(ctx, c, collection(EndpointLeads), "lead list", f.query(), f.Limit, fn)
}

// ListLeads is GET /leads, every page (or f.Limit rows).
func (c *Client) ListLeads(ctx context.Context, f ListFilter) ([]Lead, error) {
	return collect(func(fn func([]Lead) error) error { return c.EachLeadPage(ctx, f, fn) })
}

// EachLeadActivityPage is GET /leads/{id}/activities, page by page (100
// rows a page), as EachProjectPage. Pages come in the order Pipe recorded
// the rows: sort by CreatedAt when the order matters. A 404 (no such lead)
// is transport.KindNotFound.
func (c *Client) EachLeadActivityPage(ctx context.Context, leadID string, fn func([]LeadActivity) error) error {
	t, err := record(EndpointLeadActivities, leadID)
	if err != nil {
		return err
	}
	return eachPage(ctx, c, t, "lead's activity", url.Values{}, 0, fn)
}

// ListLeadActivities is GET /leads/{id}/activities, every page, in the
// order of the pages (the caller sorts).
func (c *Client) ListLeadActivities(ctx context.Context, leadID string) ([]LeadActivity, error) {
	return collect(func(fn func([]LeadActivity) error) error { return c.EachLeadActivityPage(ctx, leadID, fn) })
}
