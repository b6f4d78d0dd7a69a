package pipesolar

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// TestOnlyDefiniteNotFoundIsNotFound walks status × body × endpoint: an
// error is transport.IsNotFound (which makes Read remove the resource from
// state and plan a create — a duplicate project that can never be deleted,
// if it was wrong) only on definite evidence that the requested project is
// gone on an endpoint about that project: a 404, fetch_project's 200 with
// null or empty data, or a 400 / success:false whose message says this id
// was not found. Every other refusal is an error that carries the API's own
// words and the endpoint.
func TestOnlyDefiniteNotFoundIsNotFound(t *testing.T) {
	t.Parallel()
	const id = "1700000000000x123"
	type answer struct {
		name   string
		status int
		body   string
		// gone: definite evidence that project id is gone.
		gone bool
		// fetchOnly: evidence only on fetch_project (its data is the project).
		fetchOnly bool
		// words must appear in the error (the API's own message).
		words string
	}
	answers := []answer{
		{name: "404 flat", status: 404, body: `{"success":false,"message":"Project not found: no project with id '` + id + `'"}`, gone: true, words: "no project with id"},
		{name: "404 empty body", status: 404, body: ``, gone: true},
		{name: "404 bubble", status: 404, body: `{"statusCode":404,"body":{"status":"NOT_FOUND","message":"Project not found"}}`, gone: true, words: "Project not found"},
		{name: "400 id not found", status: 400, body: `{"success":false,"message":"Project with id '` + id + `' not found"}`, gone: true, words: "not found"},
		{name: "400 bubble project not found", status: 400, body: `{"statusCode":400,"body":{"status":"NOT_FOUND","message":"Project not found"}}`, gone: true, words: "Project not found"},
		{name: "400 no project with id", status: 400, body: `{"message":"No project with id ` + id + `"}`, gone: true, words: "No project with id"},
		{name: "200 success false id not found", status: 200, body: `{"success":false,"message":"project ` + id + ` does not exist"}`, gone: true, words: "does not exist"},
		{name: "200 data null", status: 200, body: `{"data":null,"id":"` + id + `"}`, gone: true, fetchOnly: true},
		{name: "200 data empty", status: 200, body: `{"data":{}}`, gone: true, fetchOnly: true},

		{name: "400 no project access", status: 400, body: `{"success":false,"message":"No project access for this API key"}`, words: "No project access for this API key"},
		{name: "200 no project access", status: 200, body: `{"success":false,"message":"No project access for this API key"}`, words: "No project access for this API key"},
		{name: "400 other id not found", status: 400, body: `{"success":false,"message":"Installer with id 'inst-9' not found"}`, words: "Installer with id 'inst-9' not found"},
		{name: "400 api key not found", status: 400, body: `{"message":"API key not found"}`, words: "API key not found"},
		{name: "400 bubble missing data", status: 400, body: `{"statusCode":400,"body":{"status":"MISSING_DATA","message":"Missing parameter for workflow fetch_project: parameter id"}}`, words: "Missing parameter for workflow fetch_project: parameter id"},
		{name: "400 other", status: 400, body: `{"success":false,"message":"Invalid stage name"}`, words: "Invalid stage name"},
		{name: "401 bubble unauthorized", status: 401, body: `{"error_class":"Unauthorized","args":{"code":"1700000000000x9"},"message":null,"translation":"Invalid or expired token: please check your API token"}`, words: "Invalid or expired token: please check your API token"},
		{name: "401 saying not found", status: 401, body: `{"message":"Project not found"}`, words: "Project not found"},
		{name: "403", status: 403, body: `{"success":false,"message":"Project ` + id + ` not found for this key"}`, words: "not found for this key"},
		{name: "200 success false other", status: 200, body: `{"success":false,"message":"Installer not allowed"}`, words: "Installer not allowed"},
		{name: "409", status: 409, body: `{"message":"conflict"}`, words: "conflict"},
		{name: "500 not found", status: 500, body: `{"message":"upstream project not found"}`, words: "upstream project not found"},
		{name: "502 html", status: 502, body: `<html><title>Bad Gateway</title></html>`, words: "Bad Gateway"},
		{name: "503", status: 503, body: `{"statusCode":503,"body":{"status":"ERROR","message":"Service down"}}`, words: "Service down"},
	}
	type endpoint struct {
		name, path string
		// about: the endpoint is about project id (not-found evidence counts).
		about bool
		call  func(ctx context.Context, c *Client) error
	}
	endpoints := []endpoint{
		{name: "fetch_project", path: EndpointFetchProject, about: true, call: func(ctx context.Context, c *Client) error {
			_, err := c.GetProject(ctx, id)
			return err
		}},
		{name: "update_stage", path: EndpointUpdateStage, about: true, call: func(ctx context.Context, c *Client) error {
			_, err := c.UpdateStage(ctx, id, "Proposal")
			return err
		}},
		{name: "create_activity", path: EndpointCreateActivity, about: true, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateActivity(ctx, ActivityInput{ProjectID: id, InstallerID: "inst-9", Notes: "n"})
			return err
		}},
		{name: "project_upload_file", path: EndpointUploadFile, about: true, call: func(ctx context.Context, c *Client) error {
			return c.UploadFiles(ctx, UploadFilesInput{ProjectID: id, FolderID: "permits", FileURLs: []string{"https://example.com/a.pdf"}})
		}},
		{name: "fetch_all_project", path: EndpointListByOrg, call: func(ctx context.Context, c *Client) error {
			_, err := c.ListProjects(ctx, ListFilter{OrgID: "org-1"})
			return err
		}},
	}
	for _, ep := range endpoints {
		for _, a := range answers {
			if a.fetchOnly && ep.path != EndpointFetchProject {
				continue // a 200 with data is a success elsewhere
			}
			t.Run(ep.name+"/"+a.name, func(t *testing.T) {
				t.Parallel()
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if a.status == 503 {
						// Not "the server did not process it" forever: the
						// second answer is the same refusal as a 400, so the
						// retried call still ends in an error to classify.
						w.Header().Set("Retry-After", "1")
					}
					writeJSON(w, a.status, a.body)
				}))
				t.Cleanup(srv.Close)
				err := ep.call(t.Context(), newTestClient(t, srv.URL))
				if err == nil {
					t.Fatal("want an error")
				}
				wantGone := a.gone && ep.about
				if got := transport.IsNotFound(err); got != wantGone {
					t.Errorf("IsNotFound = %v, want %v; error: %v", got, wantGone, err)
				}
				msg := err.Error()
				if a.words != "" && !strings.Contains(msg, a.words) {
					t.Errorf("error %q lacks the API's own words %q", msg, a.words)
				}
				if !strings.Contains(msg, ep.path) {
					t.Errorf("error %q does not name the endpoint %s", msg, ep.path)
				}
			})
		}
	}
}
