package provider

import (
	"context"
	"sync"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// batch_refresh: the reads of pipesolar_project in one provider process
// share one listing of the company (GET /projects, 100 rows a call). A
// project whose row carries the updatedAt its state holds has not changed
// and keeps its state with no call; any other is read by id, so "gone" is
// decided as without batch_refresh (a 404 on its own read).

// projectListings holds one listing per client: a configured provider has
// one client for the whole process.
var projectListings sync.Map // *pipesolar.Client → *projectListing

func projectListingOf(client *pipesolar.Client) *projectListing {
	l, _ := projectListings.LoadOrStore(client, &projectListing{})
	return l.(*projectListing) //nolint:forcetypeassert // only projectListing values are stored
}

// projectListing is the company's projects' updatedAt by Pipe id, listed
// once, when the first read asks.
type projectListing struct {
	once      sync.Once
	updatedAt map[string]string
	err       error
}

// unchanged reports whether the listing has project id with updatedAt; an
// error when the listing failed (the caller then reads by id).
func (l *projectListing) unchanged(ctx context.Context, client *pipesolar.Client, id, updatedAt string) (bool, error) {
	l.once.Do(func() {
		rows, err := client.ListProjects(context.WithoutCancel(ctx), pipesolar.ListFilter{})
		if err != nil {
			l.err = err
			return
		}
		l.updatedAt = make(map[string]string, len(rows))
		for i := range rows {
			l.updatedAt[rows[i].ID] = deref(rows[i].UpdatedAt)
		}
	})
	if l.err != nil {
		return false, l.err
	}
	at, ok := l.updatedAt[id]
	return ok && at != "" && at == updatedAt, nil
}
