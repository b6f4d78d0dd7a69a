package pipesolar_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

func TestListAdders(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, fixture(t, "adders.json")) })
	c, _ := newClient(t, s, nil)
	adders, err := c.ListAdders(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if r := s.requests()[0]; r.Method != http.MethodGet || r.Path != "/v1/adders" || len(r.Query) != 0 {
		t.Errorf("request = %s, want GET /v1/adders", describe(r))
	}
	// In the installer's own order.
	if len(adders) != 3 || adders[0].ID != "add_1" || adders[1].ID != "add_2" || adders[2].ID != "add_3" {
		t.Fatalf("adders = %+v", adders)
	}
	a := adders[0]
	if a.Name != "Main panel upgrade" || a.ProductLine != "solar" || a.Unit != "each" || a.Tiered || !a.RepSponsored || !a.ShowOnProposal {
		t.Errorf("adders[0] = %+v", a)
	}
	wantString(t, "adders[0].description", a.Description, "200 A service")
	wantNull(t, "adders[0].productKind", a.ProductKind)
	wantDecimal(t, "adders[0].unitPrice", &a.UnitPrice, "1850")
	if a.UnitPrice.String() != "1850.00" {
		t.Errorf("adders[0].unitPrice text = %q, want 1850.00 kept", a.UnitPrice.String())
	}
	wantNull(t, "adders[0].brand", a.Brand)
	wantNull(t, "adders[0].warrantyYears", a.WarrantyYears)
	b := adders[1]
	if b.Unit != "perWatt" || !b.Tiered || b.RepSponsored || b.ShowOnProposal {
		t.Errorf("adders[1] = %+v", b)
	}
	wantNull(t, "adders[1].description", b.Description)
	wantDecimal(t, "adders[1].unitPrice", &b.UnitPrice, "0.125")
	wantString(t, "adders[1].brand", b.Brand, "IronRidge")
	wantString(t, "adders[1].model", b.Model, "XR100")
	wantDecimal(t, "adders[1].warrantyYears", b.WarrantyYears, "25")
	h := adders[2]
	if h.ProductLine != "hi" {
		t.Errorf("adders[2].productLine = %q", h.ProductLine)
	}
	wantString(t, "adders[2].description", h.Description, "") // "" is not null
	wantString(t, "adders[2].productKind", h.ProductKind, "insulation")
	wantString(t, "adders[2].brand", h.Brand, "")
	wantDecimal(t, "adders[2].warrantyYears", h.WarrantyYears, "10.5")
}

func TestListEquipment(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, fixture(t, "equipment.json")) })
	c, _ := newClient(t, s, nil)
	eq, err := c.ListEquipment(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	if r := s.requests()[0]; r.Method != http.MethodGet || r.Path != "/v1/equipment" || len(r.Query) != 0 {
		t.Errorf("request = %s, want GET /v1/equipment without kind", describe(r))
	}
	if len(eq) != 3 {
		t.Fatalf("equipment = %+v", eq)
	}
	p, i, b := eq[0], eq[1], eq[2]
	if p.ID != "eq_p1" || p.Kind != "panel" || p.Manufacturer != "Qcells" || i.Kind != "inverter" || b.Kind != "battery" {
		t.Errorf("kinds = %q %q %q", p.Kind, i.Kind, b.Kind)
	}
	wantString(t, "panel.model", p.Model, "Q.PEAK DUO 400")
	wantDecimal(t, "panel.watts", p.Watts, "400")
	if p.Default == nil || !*p.Default {
		t.Errorf("panel.default = %v, want true", p.Default)
	}
	wantDecimal(t, "panel.efficiencyPercent", p.EfficiencyPercent, "21.4")
	if p.EfficiencyPercent.String() != "21.40" {
		t.Errorf("panel.efficiencyPercent text = %q, want 21.40 kept", p.EfficiencyPercent.String())
	}
	// Left out (another kind's field) stays apart from false and 0.
	if p.Microinverter != nil || p.RatedOutputWatts != nil || p.CapacityKwh != nil {
		t.Errorf("panel microinverter %v ratedOutputWatts %v capacityKwh %v, want left out", p.Microinverter, p.RatedOutputWatts, p.CapacityKwh)
	}
	wantDecimal(t, "inverter.ratedOutputWatts", i.RatedOutputWatts, "330")
	wantNull(t, "inverter.efficiencyPercent", i.EfficiencyPercent)
	if i.Microinverter == nil || !*i.Microinverter || i.Watts != nil || i.Default != nil {
		t.Errorf("inverter microinverter %v watts %v default %v", i.Microinverter, i.Watts, i.Default)
	}
	wantNull(t, "inverter.warrantyYears", i.WarrantyYears)
	wantNull(t, "battery.model", b.Model)
	wantDecimal(t, "battery.capacityKwh", b.CapacityKwh, "13.5")
	wantDecimal(t, "battery.continuousOutputWatts", b.ContinuousOutputWatts, "11500")
	wantDecimal(t, "battery.warrantyYears", b.WarrantyYears, "10")

	for _, kind := range pipesolar.EquipmentKinds {
		if _, err := c.ListEquipment(t.Context(), kind); err != nil {
			t.Fatal(err)
		}
		reqs := s.requests()
		if r := reqs[len(reqs)-1]; r.Path != "/v1/equipment" || r.Query.Get("kind") != kind || len(r.Query) != 1 {
			t.Errorf("ListEquipment(%q) sent %s", kind, describe(r))
		}
	}
	if _, err := c.ListEquipment(t.Context(), "Panel"); err == nil || !strings.Contains(err.Error(), "panel, inverter, battery") {
		t.Errorf("ListEquipment(Panel) = %v, want the kinds listed", err)
	}
	if n := s.count(); n != 4 {
		t.Errorf("server saw %d requests, want 4 (an unknown kind makes no call)", n)
	}
}

func TestCatalogue_errors(t *testing.T) {
	t.Parallel()
	adders := func(c *pipesolar.Client) error { _, err := c.ListAdders(t.Context()); return err }
	equipment := func(c *pipesolar.Client) error { _, err := c.ListEquipment(t.Context(), "battery"); return err }
	for _, tc := range []struct {
		name     string
		call     func(*pipesolar.Client) error
		status   int
		body     string
		endpoint string
		kind     transport.Kind
		text     []string
	}{
		{name: "403 dealer's key, adders", call: adders, status: 403, body: v1Error("forbidden", "Only the installer's key reads its catalogue."),
			endpoint: pipesolar.EndpointAdders, kind: transport.KindForbidden,
			text: []string{"Only the installer's key reads its catalogue.", "dealer's key", "catalogue (adders and equipment)", "need the installer's key"}},
		{name: "403 dealer's key, equipment", call: equipment, status: 403, body: v1Error("forbidden", "Only the installer's key reads its catalogue."),
			endpoint: pipesolar.EndpointEquipment, kind: transport.KindForbidden, text: []string{"catalogue (adders and equipment)", "need the installer's key"}},
		{name: "404 is a wrong base_url", call: equipment, status: 404, body: v1Error("not_found", "No such route."),
			endpoint: pipesolar.EndpointEquipment, kind: transport.KindUnknown, text: []string{"base_url", pipesolar.DefaultBaseURL}},
		{name: "400", call: equipment, status: 400, body: v1Error("invalid", "kind: want panel, inverter or battery"),
			endpoint: pipesolar.EndpointEquipment, kind: transport.KindValidation, text: []string{"kind: want panel"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, tc.status, tc.body) })
			c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 3 })
			err := tc.call(c)
			var api *transport.APIError
			if !errors.As(err, &api) || api.StatusCode != tc.status || api.Kind() != tc.kind || api.Endpoint != tc.endpoint || transport.IsNotFound(err) {
				t.Fatalf("error = %v, want HTTP %d (%v) at %s", err, tc.status, tc.kind, tc.endpoint)
			}
			for _, part := range tc.text {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error lacks %q:\n%v", part, err)
				}
			}
			if n := s.count(); n != 1 {
				t.Errorf("server saw %d requests, want 1 (never retried)", n)
			}
		})
	}
}

func TestCatalogue_retriedAndChecked(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case n == 1:
			writeJSON(w, 500, v1Error("internal", "try again"))
		case r.URL.Path == "/v1/adders":
			writeJSON(w, 200, `{"data":[]}`)
		default:
			writeJSON(w, 200, `{"rows":[]}`)
		}
	})
	c, _ := newClient(t, s, func(cfg *pipesolar.Config) { cfg.HTTP.MaxRetries = 1 })
	adders, err := c.ListAdders(t.Context())
	if err != nil || adders == nil || len(adders) != 0 || s.count() != 2 {
		t.Errorf("ListAdders = %#v, %v after %d requests; want an empty list after one retry", adders, err, s.count())
	}
	if _, err := c.ListEquipment(t.Context(), ""); err == nil || !strings.Contains(err.Error(), "no data") || !strings.Contains(err.Error(), pipesolar.EndpointEquipment) {
		t.Errorf("ListEquipment without data = %v, want the missing data explained", err)
	}
}
