package mockapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"testing"
)

func TestFormatDecimal(t *testing.T) {
	x, y := 0.1, 0.2
	tests := []struct {
		in        any
		places    int
		thousands bool
		want      string
	}{
		{18450.01, 2, true, "18,450.01"},
		{json.Number("18450.01"), 2, true, "18,450.01"},
		{1028.58, 2, true, "1,028.58"},
		{8.5, 2, false, "8.50"},
		{x + y, 2, false, "0.30"},
		{json.Number("0.30000000000000004"), 2, false, "0.30"},
		{0, 2, true, "0.00"},
		{0.005, 2, false, "0.01"},
		{0.004999, 2, false, "0.00"},
		{2.675, 2, false, "2.68"}, // decimal, not binary, rounding
		{999.995, 2, true, "1,000.00"},
		{-1234.5, 2, true, "-1,234.50"},
		{-0.001, 2, false, "0.00"},
		{json.Number("1e3"), 2, true, "1,000.00"},
		{json.Number("1234567.891"), 2, true, "1,234,567.89"},
		{123, 2, true, "123.00"},
		{1000, 2, true, "1,000.00"},
		{100000, 2, true, "100,000.00"},
		{15584.44, 2, true, "15,584.44"},
		{3.99, 2, false, "3.99"},
		{int64(12), 0, false, "12"},
		{float32(8.5), 2, false, "8.50"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.in), func(t *testing.T) {
			r, _, ok := numberValue(tc.in)
			if !ok {
				t.Fatal("not a number")
			}
			if got := formatDecimal(r, tc.places, tc.thousands); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	for _, bad := range []any{"1", true, nil, json.Number("1e999"), json.Number("0x10"), []int{1}} {
		if _, _, ok := numberValue(bad); ok {
			t.Errorf("%v accepted as a number", bad)
		}
	}
}

func TestFormatCountText(t *testing.T) {
	for in, want := range map[string]string{"20": "20", " 20.0 ": "20", "1,000": "1000", "20.5": "20.5", "example": "example", "": ""} {
		if got := formatCountText(in); got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
	}
}

func TestSplitAddress(t *testing.T) {
	tests := []struct{ in, street, city, state, zip string }{
		{"123 Solar St, Sunville, CA 90210", "123 Solar St", "Sunville", "CA", "90210"},
		{"123 Solar St, Suite 100, Sunville, CA 90210-1234", "123 Solar St", "Sunville", "CA", "90210-1234"},
		{"123 Solar St, Sunville CA 90210", "123 Solar St", "Sunville", "CA", "90210"},
		{"123 Solar St, Suite 100", "123 Solar St", "", "", ""},
		{"123 Solar St, Sunville, ca", "123 Solar St", "Sunville", "CA", ""},
		{"123 Solar St, Sunville", "123 Solar St", "Sunville", "", ""},
		{"123 Solar St", "123 Solar St", "", "", ""},
		{"", "", "", "", ""},
	}
	for _, tc := range tests {
		st, c, s, z := splitAddress(tc.in)
		if st != tc.street || c != tc.city || s != tc.state || z != tc.zip {
			t.Errorf("%q: %q %q %q %q", tc.in, st, c, s, z)
		}
	}
}

func TestPerson(t *testing.T) {
	n, e, p := person("Michael.Scott@PipeSolar.com")
	if n != "Michael Scott" || e != "michael.scott@pipesolar.com" || len(p) != 12 {
		t.Fatalf("%q %q %q", n, e, p)
	}
	n2, _, p2 := person("michael.scott@pipesolar.com")
	if n2 != n || p2 != p {
		t.Fatal("not deterministic / case-insensitive")
	}
	n, e, _ = person("Dwight K. Schrute")
	if n != "Dwight K. Schrute" || e != "dwight.k.schrute@pipesolar.com" {
		t.Fatalf("%q %q", n, e)
	}
	if n, e, p := person("  "); n != "" || e != "" || p != "" {
		t.Fatal("empty")
	}
}

func TestUUID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		u := newUUID()
		if !isUUID(u) || u[14] != '4' || seen[u] {
			t.Fatalf("bad uuid %q", u)
		}
		seen[u] = true
	}
	for _, bad := range []string{"", "3fa85f64-5717-4562-b3fc-2c963f66afa", "3fa85f64x5717-4562-b3fc-2c963f66afa6", "gfa85f64-5717-4562-b3fc-2c963f66afa6"} {
		if isUUID(bad) {
			t.Fatalf("%q accepted", bad)
		}
	}
}

// BenchmarkFetchProject measures one fetch_project through the handler.
func BenchmarkFetchProject(b *testing.B) {
	s := New(Config{})
	id, err := s.SeedProject("o", "", validBody())
	if err != nil {
		b.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/api/1.1/wf/fetch_project?id="+id, nil)
	req.Header.Set("Authorization", "Bearer "+pipeToken)
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}

// BenchmarkListPage measures one 50-item page out of 10,000 projects, at the
// start and at the end of the list.
func BenchmarkListPage(b *testing.B) {
	s := New(Config{})
	if _, err := s.SeedRandomProjects("big", "", 10000); err != nil {
		b.Fatal(err)
	}
	for _, page := range []int{1, 200} {
		b.Run("page="+strconv.Itoa(page), func(b *testing.B) {
			req := httptest.NewRequest("GET", "/api/1.1/wf/fetch_all_project?org_id=big&page="+strconv.Itoa(page), nil)
			req.Header.Set("Authorization", "Bearer "+pipeToken)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatal(rec.Code)
				}
			}
		})
	}
}

// BenchmarkCreateProject measures create_project through the handler.
func BenchmarkCreateProject(b *testing.B) {
	s := New(Config{})
	body, _ := json.Marshal(validBody())
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/api/1.1/wf/create_project", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+pipeToken)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code)
		}
	}
}
