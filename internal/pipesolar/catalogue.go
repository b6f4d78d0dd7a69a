package pipesolar

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Endpoints of the installer's catalogue, as errors report them. A
// dealer's key gets 403 on both.
const (
	EndpointAdders    = "/adders"
	EndpointEquipment = "/equipment"
)

// ListAdders is GET /adders: the installer's active adders and HI
// products, in its own order.
func (c *Client) ListAdders(ctx context.Context) ([]CatalogueAdder, error) {
	return listData[CatalogueAdder](ctx, c, collection(EndpointAdders), nil)
}

// ListEquipment is GET /equipment: the installer's active panels, inverters
// and batteries; kind "panel", "inverter" or "battery" selects one, ""
// all three. Another kind is refused before any call.
func (c *Client) ListEquipment(ctx context.Context, kind string) ([]Equipment, error) {
	var query url.Values
	if kind != "" {
		if !slices.Contains(EquipmentKinds, kind) {
			return nil, fmt.Errorf("%s GET %s: unknown kind %q; want one of %s, or none for all three",
				API, EndpointEquipment, kind, strings.Join(EquipmentKinds, ", "))
		}
		query = url.Values{"kind": {kind}}
	}
	return listData[Equipment](ctx, c, collection(EndpointEquipment), query)
}
