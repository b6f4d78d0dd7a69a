package pipesolar_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// okServer answers every write as v1 does.
func okServer(t *testing.T) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		switch {
		case r.Method == http.MethodPatch:
			writeJSON(w, 200, `{"changed":true}`)
		case strings.HasSuffix(r.URL.Path, "/stage"):
			writeJSON(w, 200, `{"changed":true,"stage":"Permitting","stageId":"s2"}`)
		case strings.HasSuffix(r.URL.Path, "/files"):
			var in struct {
				Folder string `json:"folder"`
				Files  []struct {
					URL string `json:"url"`
				} `json:"files"`
			}
			_ = json.Unmarshal(mustRead(r), &in)
			out := make([]map[string]any, len(in.Files))
			for i, f := range in.Files {
				out[i] = map[string]any{"id": "id:" + f.URL, "name": f.URL[strings.LastIndex(f.URL, "/")+1:], "folder": in.Folder, "added": true}
			}
			b, _ := json.Marshal(map[string]any{"files": out})
			writeJSON(w, 201, string(b))
		default:
			writeJSON(w, 404, v1Error("not_found", "no route"))
		}
	})
}

func mustRead(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}

func TestRequests_bodies(t *testing.T) {
	t.Parallel()
	const id = "1a2b3c/4d 5e"
	const path = "/v1/projects/1a2b3c%2F4d%205e"
	for _, tc := range []struct {
		name     string
		call     func(c *pipesolar.Client) error
		method   string
		path     string
		wantBody string // exactly; "" = no call at all
	}{
		{name: "install date and NTP", call: func(c *pipesolar.Client) error {
			_, err := c.UpdateProject(t.Context(), id, pipesolar.ProjectUpdate{InstallDate: ptr("2026-10-14"), NTPGranted: ptr(true)})
			return err
		}, method: http.MethodPatch, path: path, wantBody: `{"installDate":"2026-10-14","ntpGranted":true}`},
		{name: "clear the install date", call: func(c *pipesolar.Client) error {
			_, err := c.UpdateProject(t.Context(), id, pipesolar.ProjectUpdate{InstallDate: ptr("")})
			return err
		}, method: http.MethodPatch, path: path, wantBody: `{"installDate":null}`},
		{name: "NTP false alone", call: func(c *pipesolar.Client) error {
			_, err := c.UpdateProject(t.Context(), id, pipesolar.ProjectUpdate{NTPGranted: ptr(false)})
			return err
		}, method: http.MethodPatch, path: path, wantBody: `{"ntpGranted":false}`},
		{name: "nothing to change makes no call", call: func(c *pipesolar.Client) error {
			changed, err := c.UpdateProject(t.Context(), id, pipesolar.ProjectUpdate{})
			if changed {
				return fmt.Errorf("changed = true without a call")
			}
			return err
		}},
		{name: "stage by id", call: func(c *pipesolar.Client) error {
			_, err := c.MoveStage(t.Context(), id, pipesolar.StageMove{StageID: "s2"})
			return err
		}, method: http.MethodPost, path: path + "/stage", wantBody: `{"stageId":"s2"}`},
		{name: "stage by name", call: func(c *pipesolar.Client) error {
			_, err := c.MoveStage(t.Context(), id, pipesolar.StageMove{Stage: "Install / Scheduled"})
			return err
		}, method: http.MethodPost, path: path + "/stage", wantBody: `{"stage":"Install / Scheduled"}`},
		{name: "files", call: func(c *pipesolar.Client) error {
			_, err := c.AddFiles(t.Context(), id, pipesolar.AddFilesInput{Folder: "utilityBill", Files: []pipesolar.FileInput{
				{URL: "https://files.example.com/bill.pdf", Name: "Bill.pdf"}, {URL: "https://files.example.com/b2.pdf"}}})
			return err
		}, method: http.MethodPost, path: path + "/files",
			wantBody: `{"folder":"utilityBill","files":[{"url":"https://files.example.com/bill.pdf","name":"Bill.pdf"},{"url":"https://files.example.com/b2.pdf"}]}`},
		{name: "no files makes no call", call: func(c *pipesolar.Client) error {
			got, err := c.AddFiles(t.Context(), id, pipesolar.AddFilesInput{Folder: "permit"})
			if len(got) != 0 {
				return fmt.Errorf("files = %v without a call", got)
			}
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := okServer(t)
			c, _ := newClient(t, s, nil)
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			reqs := s.requests()
			if tc.wantBody == "" {
				if len(reqs) != 0 {
					t.Errorf("made %d calls, want none", len(reqs))
				}
				return
			}
			if len(reqs) != 1 {
				t.Fatalf("made %d calls, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != tc.method || r.Path != tc.path {
				t.Errorf("request %s %s, want %s %s", r.Method, r.Path, tc.method, tc.path)
			}
			// Exactly these keys: v1 refuses a field it does not know.
			if r.Body != tc.wantBody {
				t.Errorf("body = %s\nwant   %s", r.Body, tc.wantBody)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if auth := r.Header.Get("Authorization"); auth != "Bearer "+testToken {
				t.Errorf("Authorization = %q", auth)
			}
		})
	}
}

// Refused before any call: v1 would answer 400.
func TestRequests_refusedLocally(t *testing.T) {
	t.Parallel()
	s := okServer(t)
	c, _ := newClient(t, s, nil)
	if _, err := c.MoveStage(t.Context(), "p1", pipesolar.StageMove{StageID: "s1", Stage: "Permitting"}); err == nil {
		t.Error("MoveStage with both a stage id and a name: want an error")
	}
	if _, err := c.MoveStage(t.Context(), "p1", pipesolar.StageMove{}); err == nil {
		t.Error("MoveStage with neither: want an error")
	}
	if _, err := c.GetProject(t.Context(), " "); err == nil || !strings.Contains(err.Error(), pipesolar.EndpointProject) {
		t.Errorf("GetProject with an empty id: %v", err)
	}
	if _, err := c.AddFiles(t.Context(), "p1", pipesolar.AddFilesInput{Files: []pipesolar.FileInput{{URL: "https://x.example/a"}}}); err == nil ||
		!strings.Contains(err.Error(), "utilityBill") {
		t.Errorf("AddFiles without a folder: %v", err)
	}
	if n := s.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

func TestAddFiles_inCallsOfTen(t *testing.T) {
	t.Parallel()
	s := okServer(t)
	c, _ := newClient(t, s, nil)
	in := pipesolar.AddFilesInput{Folder: "installationPhoto"}
	for i := range 23 {
		in.Files = append(in.Files, pipesolar.FileInput{URL: fmt.Sprintf("https://files.example.com/photo-%02d.jpg", i)})
	}
	got, err := c.AddFiles(t.Context(), "p1", in)
	if err != nil {
		t.Fatal(err)
	}
	reqs := s.requests()
	if len(reqs) != 3 {
		t.Fatalf("made %d calls, want 3", len(reqs))
	}
	next := 0
	for i, want := range []int{10, 10, 3} {
		var body struct {
			Folder string                `json:"folder"`
			Files  []pipesolar.FileInput `json:"files"`
		}
		if err := json.Unmarshal([]byte(reqs[i].Body), &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Files) != want || body.Folder != "installationPhoto" {
			t.Errorf("call %d: %d files to %q, want %d", i+1, len(body.Files), body.Folder, want)
		}
		for _, f := range body.Files {
			if f != in.Files[next] {
				t.Errorf("call %d sends %v, want %v (in order)", i+1, f, in.Files[next])
			}
			next++
		}
	}
	if len(got) != 23 {
		t.Fatalf("returned %d files, want 23", len(got))
	}
	for i, f := range got {
		if f.ID != "id:"+in.Files[i].URL {
			t.Errorf("files[%d].id = %q, want the answer to file %d", i, f.ID, i)
		}
	}
}

// When a later call fails, the files of the calls before it are returned
// with the error, so the caller knows what was added.
func TestAddFiles_partialFailure(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 2 {
			writeJSON(w, 400, v1Error("invalid", "files[3].url: not a public https address"))
			return
		}
		writeJSON(w, 200, `{"files":[`+strings.TrimSuffix(strings.Repeat(`{"id":"f","name":"n","folder":"permit","added":false},`, 10), ",")+`]}`)
	})
	c, _ := newClient(t, s, nil)
	in := pipesolar.AddFilesInput{Folder: "permit"}
	for i := range 15 {
		in.Files = append(in.Files, pipesolar.FileInput{URL: fmt.Sprintf("https://files.example.com/%d.pdf", i)})
	}
	got, err := c.AddFiles(t.Context(), "p1", in)
	if err == nil || !strings.Contains(err.Error(), "files 11 to 15 of 15") || !strings.Contains(err.Error(), "not a public https address") {
		t.Errorf("error = %v", err)
	}
	if len(got) != 10 {
		t.Errorf("returned %d files with the error, want the first call's 10", len(got))
	}
}
