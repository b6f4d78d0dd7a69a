package pipesolar_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// rowsJSON is n minimal project rows with ids prefix-1 ... prefix-n.
func rowsJSON(prefix string, n int) string {
	rows := make([]string, n)
	for i := range n {
		rows[i] = fmt.Sprintf(`{"id":"%s-%d","reference":null,"leadId":"l","productLine":"solar",
			"stage":{"id":null,"name":null,"enteredAt":null},"soldAt":null,"updatedAt":null,"ntpGranted":false,
			"customer":{"firstName":null,"lastName":null,"email":null,"phone":null},
			"address":{"line1":null,"line2":null,"city":null,"state":null,"postalCode":null,"country":null}}`, prefix, i+1)
	}
	return "[" + strings.Join(rows, ",") + "]"
}

func page(data, next string) string {
	if next == "" {
		return `{"data":` + data + `,"next":null}`
	}
	return `{"data":` + data + `,"next":"` + next + `"}`
}

// threePages answers cursor "" → c2 → c3 → end, each page as many rows as
// limit asks (up to size).
func threePages(t *testing.T, size int) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		n := size
		if l, err := strconv.Atoi(r.URL.Query().Get("limit")); err == nil && l < n {
			n = l
		}
		switch r.URL.Query().Get("cursor") {
		case "":
			writeJSON(w, 200, page(rowsJSON("a", n), "c2/+="))
		case "c2/+=":
			writeJSON(w, 200, page(rowsJSON("b", n), "c3"))
		case "c3":
			writeJSON(w, 200, page(rowsJSON("c", n), ""))
		default:
			writeJSON(w, 400, v1Error("invalid", "bad cursor"))
		}
	})
}

func TestList_threePages(t *testing.T) {
	t.Parallel()
	s := threePages(t, 100)
	c, _ := newClient(t, s, nil)
	var pages [][]pipesolar.ProjectRow
	err := c.EachProjectPage(t.Context(), pipesolar.ListFilter{ProductLine: "solar", UpdatedSince: "2026-10-01T00:00:00Z"},
		func(rows []pipesolar.ProjectRow) error {
			// Each page arrives before the next is asked for.
			if got, want := s.count(), len(pages)+1; got != want {
				t.Errorf("page %d handed over after %d requests, want %d", want, got, want)
			}
			pages = append(pages, rows)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 || len(pages[0]) != 100 || pages[1][0].ID != "b-1" || pages[2][99].ID != "c-100" {
		t.Fatalf("pages: %d", len(pages))
	}
	for i, r := range s.requests() {
		q := r.Query
		if r.Path != "/v1/projects" || q.Get("limit") != "100" || q.Get("productLine") != "solar" || q.Get("updatedSince") != "2026-10-01T00:00:00Z" {
			t.Errorf("request %d = %s", i+1, describe(r))
		}
		wantCursor := []string{"", "c2/+=", "c3"}[i]
		if q.Get("cursor") != wantCursor || (wantCursor == "") == q.Has("cursor") {
			t.Errorf("request %d cursor = %q, want %q", i+1, q.Get("cursor"), wantCursor)
		}
	}

	all, err := c.ListProjects(t.Context(), pipesolar.ListFilter{})
	if err != nil || len(all) != 300 {
		t.Fatalf("ListProjects = %d rows, %v", len(all), err)
	}
	if r := s.requests()[3]; r.Query.Has("productLine") || r.Query.Has("updatedSince") {
		t.Errorf("unfiltered listing sent %s", describe(r))
	}
}

func TestList_limit(t *testing.T) {
	t.Parallel()
	t.Run("smaller than a page", func(t *testing.T) {
		t.Parallel()
		s := threePages(t, 100)
		c, _ := newClient(t, s, nil)
		rows, err := c.ListProjects(t.Context(), pipesolar.ListFilter{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 || s.count() != 1 || s.requests()[0].Query.Get("limit") != "5" {
			t.Errorf("%d rows in %d calls (%s), want 5 in 1 asking limit=5", len(rows), s.count(), describe(s.requests()[0]))
		}
	})
	t.Run("cut in the middle of a page", func(t *testing.T) {
		t.Parallel()
		s := threePages(t, 100)
		c, _ := newClient(t, s, nil)
		var sizes []int
		err := c.EachProjectPage(t.Context(), pipesolar.ListFilter{Limit: 150}, func(rows []pipesolar.ProjectRow) error {
			sizes = append(sizes, len(rows))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(sizes) != "[100 50]" || s.count() != 2 {
			t.Errorf("pages %v in %d calls, want [100 50] in 2", sizes, s.count())
		}
		// The cursor's page asks with the same fields as the first.
		if r := s.requests()[1]; r.Query.Get("limit") != "100" {
			t.Errorf("second page: %s", describe(r))
		}
	})
	t.Run("server sends more than asked", func(t *testing.T) {
		t.Parallel()
		s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			writeJSON(w, 200, page(rowsJSON("x", 10), "more"))
		})
		c, _ := newClient(t, s, nil)
		rows, err := c.ListProjects(t.Context(), pipesolar.ListFilter{Limit: 3})
		if err != nil || len(rows) != 3 || s.count() != 1 {
			t.Errorf("%d rows, %d calls, %v; want 3 rows in 1 call", len(rows), s.count(), err)
		}
	})
}

func TestList_earlyStop(t *testing.T) {
	t.Parallel()
	s := threePages(t, 100)
	c, _ := newClient(t, s, nil)
	stop := errors.New("enough")
	pages := 0
	err := c.EachProjectPage(t.Context(), pipesolar.ListFilter{}, func([]pipesolar.ProjectRow) error {
		pages++
		if pages == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Errorf("error = %v, want fn's own", err)
	}
	if s.count() != 2 {
		t.Errorf("server saw %d requests, want 2", s.count())
	}
}

func TestList_cursorLoop(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		// a → b → a → ...
		writeJSON(w, 200, page(rowsJSON("r", 1), []string{"a", "b"}[(n-1)%2]))
	})
	c, _ := newClient(t, s, nil)
	_, err := c.ListProjects(t.Context(), pipesolar.ListFilter{})
	if err == nil || !strings.Contains(err.Error(), `"a"`) || !strings.Contains(err.Error(), "second time") {
		t.Errorf("error = %v, want the cursor loop named", err)
	}
	if s.count() != 3 {
		t.Errorf("server saw %d requests, want 3 (stopped at the first repeated cursor)", s.count())
	}
}

// An empty first page with next null is an empty company, not an error.
func TestList_empty(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) { writeJSON(w, 200, `{"data":[],"next":null}`) })
	c, _ := newClient(t, s, nil)
	rows, err := c.ListProjects(t.Context(), pipesolar.ListFilter{})
	if err != nil || rows == nil || len(rows) != 0 {
		t.Errorf("ListProjects = %#v, %v; want an empty list", rows, err)
	}
}

// A listing whose cursors never repeat but never end stops after 10,000
// pages. (In memory: 10,000 local HTTP calls take seconds under -race.)
func TestList_pageBound(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	c, _ := newClient(t, &server{URL: "https://api.test"}, func(cfg *pipesolar.Config) {
		cfg.HTTP.Base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n := calls.Add(1)
			return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r,
				Body: io.NopCloser(strings.NewReader(page("[]", "cursor-"+strconv.FormatInt(n, 10))))}, nil
		})
	})
	_, err := c.ListProjects(t.Context(), pipesolar.ListFilter{})
	if err == nil || !strings.Contains(err.Error(), "10000 pages") {
		t.Errorf("error = %v, want the page bound named", err)
	}
	if n := calls.Load(); n != 10000 {
		t.Errorf("%d calls, want 10000", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
