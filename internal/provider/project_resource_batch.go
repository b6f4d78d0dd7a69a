package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// batch_refresh: the reads of pipesolar_project in one provider process
// share one listing of the company (GET /projects, 100 rows a call, newest
// change first). A project whose row carries the updatedAt its state holds
// has not changed and keeps its state with no call; any other is read by
// id, so "gone" is decided as without batch_refresh (a 404 on its own
// read). A read waits only for the page that holds its record; one whose
// record is in no page waits for the listing's end, then reads by id; when
// the listing fails, the reads it has not answered read by id.
//
// What it costs: ceil(company / 100) listing calls plus one read per
// changed or missing project, against one read per managed project without
// it (see the provider's guide for the rule).

// projectListings holds one listing per client: a configured provider has
// one client for the whole process.
var projectListings sync.Map // *pipesolar.Client → *listing[string]

func projectListingOf(client *pipesolar.Client) *listing[string] {
	l, _ := projectListings.LoadOrStore(client, newListing(func(ctx context.Context, page func(map[string]string) error) error {
		return client.EachProjectPage(ctx, pipesolar.ListFilter{}, func(rows []pipesolar.ProjectRow) error {
			byID := make(map[string]string, len(rows))
			for i := range rows {
				byID[rows[i].ID] = deref(rows[i].UpdatedAt)
			}
			return page(byID)
		})
	}))
	return l.(*listing[string]) //nolint:forcetypeassert // only listing[string] values are stored
}

// projectUnchanged reports whether the company's listing holds project id
// with updatedAt, the state's: then the state stands with no call. False
// means the project must be read by id (changed, not in the listing, or the
// listing failed).
func projectUnchanged(ctx context.Context, client *pipesolar.Client, id, updatedAt string) bool {
	at, found, err := projectListingOf(client).lookup(ctx, id)
	if err != nil {
		tflog.Warn(ctx, "batch_refresh: the company's project listing did not answer for this project; reading it by id",
			map[string]any{"id": id, "error": err.Error()})
		return false
	}
	return found && at != "" && at == updatedAt
}

// listing is one listing of a company's records by id, read page by page
// in the background from the first lookup on, and shared by every lookup
// of the provider process.
type listing[T any] struct {
	each func(ctx context.Context, page func(map[string]T) error) error

	mu      sync.Mutex
	started bool
	rows    map[string]T
	pages   int           // pages received
	done    bool          // every page received, or err
	err     error         // the listing failed
	arrived chan struct{} // closed (and replaced) when a page arrives or the listing ends
}

// newListing returns a listing that each fills: each calls page once per
// page of the listing with that page's records by id.
func newListing[T any](each func(ctx context.Context, page func(map[string]T) error) error) *listing[T] {
	return &listing[T]{each: each, rows: map[string]T{}, arrived: make(chan struct{})}
}

// lookup returns id's record. It waits until a page holding id has arrived
// (found), or the listing has ended without it (not found), or the listing
// has failed before such a page (the error), or ctx ends (its cause). The
// first lookup starts the listing; it runs to its end whoever waits, on
// ctx's values without its deadline (each of its calls has the client's
// own timeouts).
func (l *listing[T]) lookup(ctx context.Context, id string) (T, bool, error) {
	l.mu.Lock()
	if !l.started {
		l.started = true
		go l.run(context.WithoutCancel(ctx))
	}
	for {
		if row, ok := l.rows[id]; ok {
			l.mu.Unlock()
			return row, true, nil
		}
		if l.done {
			err := l.err
			l.mu.Unlock()
			var zero T
			return zero, false, err
		}
		arrived := l.arrived
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			var zero T
			return zero, false, context.Cause(ctx)
		case <-arrived:
		}
		l.mu.Lock()
	}
}

func (l *listing[T]) run(ctx context.Context) {
	err := l.each(ctx, func(page map[string]T) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		for id, row := range page {
			l.rows[id] = row
		}
		l.pages++
		l.signal()
		return nil
	})
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done, l.err = true, err
	l.signal()
}

// signal wakes every waiting lookup; l.mu is held.
func (l *listing[T]) signal() {
	close(l.arrived)
	l.arrived = make(chan struct{})
}

// stats reports the pages received and whether the listing has ended.
func (l *listing[T]) stats() (pages int, done bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pages, l.done
}
