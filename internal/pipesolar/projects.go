package pipesolar

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

// GetProject reads one project. An unknown id, whichever way the service says
// it (404, 200 with null or empty data, a 400 or success:false whose message
// says this id was not found), gives an error for which transport.IsNotFound
// is true; no other answer does (401, 403, any other 400, 5xx, garbage).
func (c *Client) GetProject(ctx context.Context, id string) (*Project, error) {
	resp, err := c.callAbout(transport.WithIdempotent(ctx), id, http.MethodGet, EndpointFetchProject, url.Values{"id": {id}}, nil)
	if err != nil {
		return nil, err
	}
	p, err := decodeFetchProject(resp.Body, id)
	if err != nil {
		var api *transport.APIError
		if errors.As(err, &api) {
			return nil, err
		}
		return nil, fmt.Errorf("%s GET %s: %w", API, EndpointFetchProject, err)
	}
	return p, nil
}

// decodeFetchProject decodes {"data": {...}, "id": "X"} (also inside a
// {"status":"success","response":{...}} envelope). Null, empty or missing
// data means the project does not exist.
func decodeFetchProject(body []byte, requestedID string) (*Project, error) {
	obj, err := decodeObject(body)
	if err != nil {
		return nil, err
	}
	obj = unwrapEnvelope(obj)
	data, hasData := obj["data"]
	if _, flat := obj["customerFirstName"]; !hasData && flat {
		// Some workflows return the fields at the top level.
		data, _ = json.Marshal(obj)
		hasData = true
	}
	if !hasData || isEmptyJSON(data) {
		return nil, transport.NewNotFoundError(API, http.MethodGet, EndpointFetchProject, http.StatusOK,
			fmt.Sprintf("project %q not found (the API returned no data)", requestedID))
	}
	var w projectWire
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("decoding project %q: %w", requestedID, err)
	}
	p := w.project()
	if p.ID == "" {
		var top flexString
		_ = json.Unmarshal(rawID(obj), &top)
		p.ID = string(top)
	}
	if p.ID == "" {
		p.ID = requestedID
	}
	return &p, nil
}

func rawID(obj map[string]json.RawMessage) json.RawMessage {
	for _, k := range []string{"id", "_id", "project_id", "projectId"} {
		if v, ok := obj[k]; ok {
			return v
		}
	}
	return json.RawMessage("null")
}

// UpdateStage sets a project's stage and returns the stage the API reports.
// Setting a value is safe to repeat, so it is retried on server errors.
func (c *Client) UpdateStage(ctx context.Context, id, stage string) (string, error) {
	q := url.Values{"project_stage_name": {stage}, "id": {id}}
	c.markWritten(id)
	resp, err := c.callAbout(transport.WithIdempotent(ctx), id, http.MethodPost, EndpointUpdateStage, q, nil)
	if err != nil {
		return "", err
	}
	var out struct {
		Data struct {
			NewStatus flexString `json:"new_status"`
		} `json:"data"`
	}
	_ = json.Unmarshal(resp.Body, &out) // the shape is informative only
	if out.Data.NewStatus != "" {
		return string(out.Data.NewStatus), nil
	}
	return stage, nil
}

// UploadFilesInput is the body of project_upload_file.
type UploadFilesInput struct {
	FileURLs  []string `json:"fileurl"`
	ProjectID string   `json:"project_id"`
	FolderID  string   `json:"folder_id"`
}

// UploadFiles asks pipe.solar to fetch the files at FileURLs into a project
// folder. It is not retried once the request may have reached the server.
func (c *Client) UploadFiles(ctx context.Context, in UploadFilesInput) error {
	_, err := c.callAbout(ctx, in.ProjectID, http.MethodPost, EndpointUploadFile, nil, in)
	return ambiguousWrite(err, EndpointUploadFile,
		"check the project's files in the pipe.solar app before applying again")
}

// ActivityInput is the body of create_activity.
type ActivityInput struct {
	ProjectID   string `json:"project_id"`
	InstallerID string `json:"installer_id"`
	Notes       string `json:"notes"`
}

// CreateActivity appends a note to a project's activity log and returns the
// activity id when the API reports one (it usually does not). It is not
// retried once the request may have reached the server.
func (c *Client) CreateActivity(ctx context.Context, in ActivityInput) (string, error) {
	resp, err := c.callAbout(ctx, in.ProjectID, http.MethodPost, EndpointCreateActivity, nil, in)
	if err != nil {
		return "", ambiguousWrite(err, EndpointCreateActivity,
			"check the project's activity log in the pipe.solar app before applying again")
	}
	return createdID(resp.Body, "id", "activity_id", "_id"), nil
}

// AmbiguousWriteError reports a write whose outcome is unknown: the request
// may have been carried out although no success answer arrived.
type AmbiguousWriteError struct {
	Endpoint string
	Check    string
	Err      error
}

func (e *AmbiguousWriteError) Error() string {
	return fmt.Sprintf("%v\n\nThe request to %s may have reached pipe.solar and been carried out before the failure. "+
		"It was not repeated automatically, to avoid a duplicate; %s.", e.Err, e.Endpoint, e.Check)
}

func (e *AmbiguousWriteError) Unwrap() error { return e.Err }

func ambiguousWrite(err error, endpoint, check string) error {
	if err == nil || !transport.MayHaveReachedServer(err) {
		return err
	}
	return &AmbiguousWriteError{Endpoint: "POST " + endpoint, Check: check, Err: err}
}

// decodeObject parses a JSON object into raw members.
func decodeObject(body []byte) (map[string]json.RawMessage, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("empty response body")
	}
	if body[0] != '{' {
		return nil, fmt.Errorf("unexpected response: want a JSON object, got %s", transport.Message(body))
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return nil, fmt.Errorf("malformed JSON response (%w): %s", err, transport.Message(body))
	}
	return obj, nil
}

// unwrapEnvelope returns the inner object of Bubble's
// {"status": "success", "response": {...}} workflow envelope, or obj.
func unwrapEnvelope(obj map[string]json.RawMessage) map[string]json.RawMessage {
	inner, ok := obj["response"]
	if !ok {
		return obj
	}
	_, hasData := obj["data"]
	if hasData {
		return obj
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(inner, &m) != nil || m == nil {
		return obj
	}
	return m
}

func isEmptyJSON(raw json.RawMessage) bool {
	switch strings.TrimSpace(string(raw)) {
	case "", "null", "{}", "[]", `""`, "false":
		return true
	}
	return false
}
