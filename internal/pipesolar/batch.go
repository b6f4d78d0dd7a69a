package pipesolar

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// orgBatch serves reads of projects from one listing of their org
// (fetch_all_project) per client, instead of one fetch_project per project:
// a refresh of N projects of an org costs about N/50 calls of the app's
// budget instead of N.
//
// The first read of an org starts its listing; reads of that org arriving
// meanwhile wait for their project's page, not for the whole listing, and
// no read waits on another org's listing. Each page is decoded once; a
// listed project is kept until a read takes it (a second read of the same
// project, or a read after the provider changed it, asks fetch_project).
type orgBatch struct {
	c *Client

	mu      sync.Mutex
	orgs    map[string]*orgListing
	written map[string]struct{} // projects this client changed: their listing may be older
}

// orgListing is one org's listing, running or done.
type orgListing struct {
	org string

	mu      sync.Mutex
	listed  map[string]*Project          // listed and not taken yet, by id
	waiting map[string][]chan listResult // reads waiting for their project's page
	done    bool
	err     error // why the listing stopped early, once done
}

// listResult answers a read waiting on a listing: the project, or nil when
// the listing ended without it (err says why when it failed).
type listResult struct {
	p   *Project
	err error
}

func newOrgBatch(c *Client) *orgBatch {
	return &orgBatch{c: c, orgs: make(map[string]*orgListing), written: make(map[string]struct{})}
}

// GetProjectInOrg reads project id of org orgID. With BatchRefresh on and
// orgID known, the project comes from the org's listing, read once per
// client; a project the listing does not hold is read with fetch_project,
// so "gone" is decided exactly as GetProject decides it. Otherwise it is
// GetProject.
func (c *Client) GetProjectInOrg(ctx context.Context, orgID, id string) (*Project, error) {
	orgID, key := strings.TrimSpace(orgID), strings.TrimSpace(id)
	if c.batch == nil || orgID == "" || key == "" || c.batch.wasWritten(key) {
		return c.GetProject(ctx, id)
	}
	p, err := c.batch.listing(ctx, orgID).take(ctx, key)
	if err != nil {
		return nil, err
	}
	if p == nil {
		// Not in the listing: deleted, moved to another org, or a listing
		// that ignores paging. fetch_project decides.
		return c.GetProject(ctx, id)
	}
	return p, nil
}

// BatchRefresh reports whether reads with a known org come from listings.
func (c *Client) BatchRefresh() bool { return c.batch != nil }

func (b *orgBatch) wasWritten(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.written[id]
	return ok
}

// markWritten makes later reads of id ask fetch_project: a listing started
// before the change may hold the old values.
func (c *Client) markWritten(id string) {
	if c.batch == nil {
		return
	}
	c.batch.mu.Lock()
	c.batch.written[strings.TrimSpace(id)] = struct{}{}
	c.batch.mu.Unlock()
}

// listing returns org's listing, starting it on first use. The listing
// outlives the read that started it (other reads wait on it), so it runs
// without that read's cancellation; each of its calls keeps the request
// timeout and retry limits.
func (b *orgBatch) listing(ctx context.Context, org string) *orgListing {
	b.mu.Lock()
	l, ok := b.orgs[org]
	if !ok {
		l = &orgListing{org: org, listed: make(map[string]*Project), waiting: make(map[string][]chan listResult)}
		b.orgs[org] = l
	}
	b.mu.Unlock()
	if !ok {
		go l.run(context.WithoutCancel(ctx), b.c)
	}
	return l
}

func (l *orgListing) run(ctx context.Context, c *Client) {
	err := c.EachProjectPage(ctx, ListFilter{OrgID: l.org}, func(page []Project) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		for i := range page {
			p := &page[i]
			id := strings.TrimSpace(p.ID)
			if id == "" {
				continue
			}
			if chans, ok := l.waiting[id]; ok {
				for _, ch := range chans {
					ch <- listResult{p: p}
				}
				delete(l.waiting, id)
				continue
			}
			l.listed[id] = p
		}
		return nil
	})
	if err != nil {
		err = &ListingError{Org: l.org, Err: err}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done, l.err = true, err
	for id, chans := range l.waiting {
		for _, ch := range chans {
			ch <- listResult{err: err}
		}
		delete(l.waiting, id)
	}
}

// take returns project id from the listing (nil when the listing ended
// without it), waiting for its page if the listing is still running.
func (l *orgListing) take(ctx context.Context, id string) (*Project, error) {
	l.mu.Lock()
	if p, ok := l.listed[id]; ok {
		delete(l.listed, id)
		l.mu.Unlock()
		return p, nil
	}
	if l.done {
		err := l.err
		l.mu.Unlock()
		return nil, err
	}
	ch := make(chan listResult, 1) // the listing never blocks on a reader that left
	l.waiting[id] = append(l.waiting[id], ch)
	l.mu.Unlock()
	select {
	case r := <-ch:
		return r.p, r.err
	case <-ctx.Done():
		return nil, &transport.RequestError{API: API, Method: http.MethodGet, Endpoint: EndpointListByOrg,
			Err: fmt.Errorf("waiting for project %s in the listing of org %q: %w", id, l.org, context.Cause(ctx))}
	}
}

// ListingError is a failed listing of an org that reads with batch_refresh
// depended on.
type ListingError struct {
	Org string
	Err error
}

func (e *ListingError) Error() string {
	return fmt.Sprintf("listing the projects of org %q (batch_refresh) failed: %v", e.Org, e.Err)
}

func (e *ListingError) Unwrap() error { return e.Err }
