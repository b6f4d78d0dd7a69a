package pipesolar

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Seeds for every decoder of API answers: documented shapes, the variants
// SPEC §1.1 names, and garbage (HTML, truncated JSON, wrong types, huge
// numbers). `go test` runs the seeds; `go test -fuzz=FuzzX` explores.
var fuzzSeeds = []string{
	`{"data":{"customerFirstName":"John","contractPrice":"18,450.01","adders":["a"],"allFilesURL":{"plansets":"https://x"}},"id":"D4YR1VSK7K"}`,
	`{"status":"success","response":{"data":{"customerFirstName":"A"},"id":"X"}}`,
	`{"data":null,"id":"X"}`, `{"data":{}}`, `{}`, `[]`, `null`, `""`, `0`, `true`,
	`{"data":[{"_id":"A","customerFirstName":"x"}],"remaining":"0","total":1e400}`,
	`{"status":"success","response":{"projects":[{"project_id":7}],"remaining":0,"count":1}}`,
	`[{"id":"A","data":{"customerFirstName":"B"}},{"id":{"nested":1}}]`,
	`{"data":{"projects":[{"id":"A"}]}}`, `{"results":[1,2,3]}`, `{"projects":"nope"}`,
	`{"success":false,"message":"Invalid data"}`, `{"success":"false"}`,
	`{"statusCode":400,"body":{"status":"INVALID_DATA","message":"bad"}}`,
	`{"data":{"adders":"Roof","numberOfPanel":20,"systemSize":8.5,"allFilesURL":[]}}`,
	`{"data":{"customerFirstName":`, `{"data":{"id":"A"`, `{"data": {"a": [1, 2, {"b": null}]}}`,
	`<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>`,
	"\x00\xff\xfe", `{"id":"` + strings.Repeat("9", 5000) + `"}`, `{"remaining":-1,"data":[]}`,
	`{"data":{"customerFirstName":"\ud800"}}`,
}

func FuzzDecodeFetchProject(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeFetchProject(body, "REQ")
		if err == nil && p == nil {
			t.Fatal("nil project without an error")
		}
		if err == nil && p.ID == "" {
			t.Fatal("project without an id")
		}
	})
}

func FuzzDecodeListPage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		page, err := decodeListPage(body)
		if err != nil && len(page.Projects) > 0 {
			t.Fatal("projects returned with an error")
		}
	})
}

func FuzzCreatedIDAndFailure(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if id := createdID(body, projectIDKeys...); id != strings.TrimSpace(id) {
			t.Fatalf("untrimmed id %q", id)
		}
		_, _ = reportsFailure(body)
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"18,450.01", "8.50", " 20 ", "$1,028.58", "3.99%", "", "abc", "1e3", "-2.5", "Inf", "NaN", "0x1p-2", "1e999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseNumber(s)
		if ok && (v == nil || v.IsInf()) {
			t.Fatalf("ParseNumber(%q) = %v, true", s, v)
		}
	})
}

// FuzzDecodeListItemsFast checks the one-pass decoding of a page's items
// against decoding them one by one: whenever the fast path accepts the
// items, the slow one must too and give the same projects.
func FuzzDecodeListItemsFast(f *testing.F) {
	for _, s := range []string{
		`[]`, `[null]`, `[1]`, `["x"]`, `[{}]`, `[{"id":"a"},{"_id":"b"},{"project_id":"c"},{"projectId":"d"}]`,
		`[{"id":"a","data":{"customerFirstName":"Ann","contractPrice":"18,450.01"}}]`,
		`[{"id":"a","data":{"id":"b"}}]`, `[{"id":"a","data":{}}]`, `[{"id":"a","data":[1]}]`, `[{"id":"a","data":null}]`,
		`[{"id":1,"customerFirstName":"Jos\u00e9","customerLastName":"O\"Brien","systemSize":8.5,"adders":"Roof"}]`,
		`[{"id":"a","allFilesURL":{"permits":"https://x/p","plansets":null},"adders":["Roof",null,2]}]`,
		`[{"id":"a","customerEmail":{"nested":true},"numberOfPanel":[20]}]`,
		"[{\"id\":\"\xff\"}]", `[{"id":"a"} , {"id" : "b" }]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, items []byte) {
		fast, ok := decodeListItemsFast(items)
		if !ok {
			return
		}
		var raw []json.RawMessage
		if err := json.Unmarshal(items, &raw); err != nil {
			t.Fatalf("fast path accepted what is not an array: %v", err)
		}
		if len(raw) != len(fast) {
			t.Fatalf("%d projects, want %d", len(fast), len(raw))
		}
		for i, item := range raw {
			slow, err := decodeListItem(item)
			if err != nil {
				t.Fatalf("item %d: fast path accepted it, decodeListItem says %v", i, err)
			}
			if !reflect.DeepEqual(fast[i], slow) {
				t.Fatalf("item %d: fast %+v, want %+v", i, fast[i], slow)
			}
		}
	})
}
