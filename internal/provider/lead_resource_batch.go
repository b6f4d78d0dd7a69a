package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// batch_refresh for pipesolar_lead: the rows of GET /leads are full leads,
// so the reads of one provider process share one listing of the company's
// leads (100 a call) and a lead found there is read from its row, changed
// or not, with no call of its own. A lead that is in no page is read with
// GET /leads/{id}, so "gone" is decided as without batch_refresh (a 404 on
// its own read); so is every lead the listing has not answered when it
// fails. A read waits only for the page that holds its lead (listing).

// leadListings holds one listing per client: a configured provider has one
// client for the whole process.
var leadListings sync.Map // *pipesolar.Client → *listing[*pipesolar.Lead]

func leadListingOf(client *pipesolar.Client) *listing[*pipesolar.Lead] {
	l, _ := leadListings.LoadOrStore(client, newListing(func(ctx context.Context, page func(map[string]*pipesolar.Lead) error) error {
		return client.EachLeadPage(ctx, pipesolar.ListFilter{}, func(rows []pipesolar.Lead) error {
			byID := make(map[string]*pipesolar.Lead, len(rows))
			for i := range rows {
				byID[rows[i].ID] = &rows[i]
			}
			return page(byID)
		})
	}))
	return l.(*listing[*pipesolar.Lead]) //nolint:forcetypeassert // only listing[*pipesolar.Lead] values are stored
}

// readLead reads lead id: with batch_refresh from the company's lead
// listing when it holds the lead, else (and without batch_refresh) with
// GET /leads/{id}.
func (r *leadResource) readLead(ctx context.Context, client *pipesolar.Client, id string) (*pipesolar.Lead, error) {
	if r.data.BatchRefresh() {
		l, found, err := leadListingOf(client).lookup(ctx, id)
		if err != nil {
			tflog.Warn(ctx, "batch_refresh: the company's lead listing did not answer for this lead; reading it by id",
				map[string]any{"id": id, "error": err.Error()})
		}
		if found {
			return l, nil
		}
	}
	return client.GetLead(ctx, id)
}
