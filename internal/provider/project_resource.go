package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
)

var (
	_ resource.ResourceWithConfigure    = &projectResource{}
	_ resource.ResourceWithImportState  = &projectResource{}
	_ resource.ResourceWithModifyPlan   = &projectResource{}
	_ resource.ResourceWithIdentity     = &projectResource{}
	_ resource.ResourceWithUpgradeState = &projectResource{}
)

const (
	defaultProjectTimeout = 5 * time.Minute
	defaultReadTimeout    = 2 * time.Minute
)

// NewProjectResource returns the pipesolar_project resource.
func NewProjectResource() resource.Resource {
	return &projectResource{resourceBase: resourceBase{name: "project"}}
}

// projectResource is pipesolar_project: an existing project put under
// management. Its schema is in project_schema.go, its plan rules in
// project_plan.go; both, and the mapping here, derive from projectFields.
type projectResource struct {
	resourceBase
}

// Metadata declares the identity mutable: 1.x identities hold the old
// reference, which the first read replaces by Pipe's id.
func (r *projectResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.resourceBase.Metadata(ctx, req, resp)
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = projectResourceSchema(ctx)
}

func (r *projectResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = projectIdentitySchema()
}

func (r *projectResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	return projectStateUpgraders(ctx)
}

// projectKind is pipesolar_project's recordKind; projectState its values
// by attribute name: every field of projectFields, project_id and timeouts.
type projectKind struct{}

func (projectKind) objectType() types.ObjectType { return projectStateType() }

type projectState = recordValues[projectKind]

// projectStateType is the resource's whole type.
var projectStateType = sync.OnceValue(func() types.ObjectType {
	t, ok := projectResourceSchema(context.Background()).Type().(types.ObjectType)
	if !ok {
		panic("pipesolar_project's schema is not an object type") // a programming error, caught by every test
	}
	return t
})

// getProjectState reads a plan, a state or a configuration.
var getProjectState = getRecordValues[projectKind]

// projectReadID is the id a read asks v1 for: Pipe's id once known, else
// the project_id (a state upgraded from 1.x, or an import).
func projectReadID(s projectState) string {
	if id := s.text("id"); id != "" {
		return id
	}
	return s.text("project_id")
}

// projectStateFromAPI is what a read stores for project p, given the prior
// state (a plan at create, nil for a list result): every field from p, and
//   - id: Pipe's id; project_id: the prior one (as configured), else Pipe's id;
//   - stage or stage_id, never both: stage_id when the prior state manages the
//     stage by id, else the stage's name, written as the prior one when it
//     differs only in case;
//   - install_date: "" when the prior one is "" (configured: no install
//     date) and p has none, so the plan stays empty; else p's, or null;
//   - timeouts as they were.
func projectStateFromAPI(p *pipesolar.Project, prior projectState) (projectState, error) {
	vals, err := projectValues(p, nil)
	if err != nil {
		return nil, err
	}
	next := projectState(vals)
	next["project_id"] = types.StringValue(p.ID)
	if prior.known("project_id") {
		next["project_id"] = prior["project_id"]
	}
	if prior.known("stage_id") {
		next["stage"] = types.StringNull()
	} else {
		next["stage_id"] = types.StringNull()
		if prior.known("stage") && strings.EqualFold(prior.text("stage"), next.text("stage")) {
			next["stage"] = prior["stage"]
		}
	}
	if prior.known("install_date") && prior.text("install_date") == "" && next["install_date"].IsNull() {
		next["install_date"] = prior["install_date"]
	}
	next["timeouts"] = nullTimeouts()
	if t, ok := prior["timeouts"]; ok && !t.IsUnknown() {
		next["timeouts"] = t
	}
	return next, nil
}

// nullTimeouts is an unset timeouts block.
func nullTimeouts() timeouts.Value {
	t, ok := projectStateType().AttrTypes["timeouts"].(timeouts.Type)
	if !ok {
		panic("pipesolar_project's timeouts block has an unexpected type") // a programming error, caught by every test
	}
	return timeouts.Value{Object: types.ObjectNull(t.AttrTypes)}
}

// Create adopts the project: it reads it, then changes only the configured
// settings that differ, and reads it back only when something changed.
func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, ctx, cancel, ok := beginWrite[projectKind](ctx, r.data, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	ref := plan.text("project_id")
	p, err := client.GetProject(ctx, ref)
	if err != nil {
		if transport.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("project_id"), "Project not found",
				fmt.Sprintf("pipe.solar has no project %q that this API key can see (GET /projects/{id} answered 404).\n\n"+
					"pipesolar_project puts an existing project under management; it cannot make one. Pipe API v1 has no "+
					"call that creates a project: a project is made in the pipe.solar app when a lead is sold. Create the "+
					"lead with the pipesolar_lead resource, sell it in the app, then set project_id to the project's id "+
					"(or its lead's id). Check also that the id is right and that the key belongs to the project's company.", ref))
			return
		}
		resp.Diagnostics.Append(pipeAttrErrorDiag(path.Root("project_id"), "Could not read the pipe.solar project to adopt", err))
		return
	}
	// From here on the project exists; the identity is Pipe's id.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", p.ID)...)
	changed := r.apply(ctx, client, p.ID, plan, currentSettings(p), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if changed {
		if p, err = client.GetProject(ctx, p.ID); err != nil {
			resp.Diagnostics.Append(pipeErrorDiag("Could not read the pipe.solar project back after changing it", err))
			return
		}
	}
	resp.Diagnostics.Append(rememberStage(ctx, resp.Private, p)...)
	r.store(ctx, p, plan, &resp.State, &resp.Diagnostics)
}

// projectSettings are the values the resource's arguments manage, as a
// project or a state has them.
type projectSettings struct {
	stage, stageID, installDate string
	ntpGranted                  attr.Value // a types.Bool; null or unknown when not known
}

func currentSettings(p *pipesolar.Project) projectSettings {
	return projectSettings{stage: deref(p.Stage.Name), stageID: deref(p.Stage.ID), installDate: p.InstallDate(),
		ntpGranted: types.BoolValue(p.NTPGranted)}
}

// stateSettings are the settings of state s; the stage form s does not hold
// (it holds only the managed one) comes from seen, the stage last read.
func stateSettings(s projectState, seen stageSeen) projectSettings {
	out := projectSettings{stage: s.text("stage"), stageID: s.text("stage_id"), installDate: s.text("install_date"),
		ntpGranted: s["ntp_granted"]}
	if out.stage == "" {
		out.stage = seen.Name
	}
	if out.stageID == "" {
		out.stageID = seen.ID
	}
	return out
}

// projectStageKey is the private state key under which pipesolar_project
// keeps the stage it last read, by id and name: the state holds only the
// managed form, and naming the same stage in the other form must plan no
// move.
const projectStageKey = "stage"

// stageSeen is the stage a read last saw; zero when none was kept.
type stageSeen struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// rememberStage keeps p's stage in private state.
func rememberStage(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, p *pipesolar.Project) diag.Diagnostics {
	return private.SetKey(ctx, projectStageKey, stageMemory(p))
}

// stageMemory is p's stage as rememberStage keeps it.
func stageMemory(p *pipesolar.Project) []byte {
	b, _ := json.Marshal(stageSeen{ID: deref(p.Stage.ID), Name: deref(p.Stage.Name)}) // two strings: cannot fail
	return b
}

// seenStage is the stage rememberStage kept; zero when there is none (a
// state written before it was kept: the next read keeps it).
func seenStage(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) stageSeen {
	var seen stageSeen
	if b, diags := private.GetKey(ctx, projectStageKey); !diags.HasError() && len(b) > 0 {
		_ = json.Unmarshal(b, &seen) // unreadable: as if none was kept
	}
	return seen
}

// apply makes the project's settings what plan says, where plan sets them
// and they differ from current: one stage move, one PATCH. It reports
// whether it called the API.
func (r *projectResource) apply(ctx context.Context, client *pipesolar.Client, id string, plan projectState,
	current projectSettings, diags *diag.Diagnostics) bool {
	called := false
	var move pipesolar.StageMove
	switch {
	case plan.known("stage_id") && plan.text("stage_id") != current.stageID:
		move.StageID = plan.text("stage_id")
	case plan.known("stage") && !strings.EqualFold(plan.text("stage"), current.stage):
		move.Stage = plan.text("stage")
	}
	if move != (pipesolar.StageMove{}) {
		called = true
		moved, err := client.MoveStage(ctx, id, move)
		attr := "stage"
		if move.StageID != "" {
			attr = "stage_id"
		}
		if err != nil {
			diags.Append(pipeAttrErrorDiag(path.Root(attr), "Could not move the pipe.solar project to its stage", err))
			return called
		}
		tflog.Info(ctx, "moved pipe.solar project", map[string]any{"id": id, "stage": moved.Stage, "changed": moved.Changed})
	}

	var update pipesolar.ProjectUpdate
	// install_date "" asks for no install date: the client sends null.
	if plan.known("install_date") && plan.text("install_date") != current.installDate {
		day := plan.text("install_date")
		update.InstallDate = &day
	}
	if ntp, ok := plan["ntp_granted"].(types.Bool); ok && !ntp.IsNull() && !ntp.IsUnknown() && !ntp.Equal(current.ntpGranted) {
		v := ntp.ValueBool()
		update.NTPGranted = &v
	}
	if update.InstallDate != nil || update.NTPGranted != nil {
		called = true
		if _, err := client.UpdateProject(ctx, id, update); err != nil {
			attr := "install_date"
			if update.InstallDate == nil {
				attr = "ntp_granted"
			}
			diags.Append(pipeAttrErrorDiag(path.Root(attr), "Could not change the pipe.solar project", err))
		}
	}
	return called
}

// store writes the state after Create or Update: the plan, with every value
// it left unknown taken from p.
func (r *projectResource) store(ctx context.Context, p *pipesolar.Project, plan projectState, to *tfsdk.State, diags *diag.Diagnostics) {
	read, err := projectStateFromAPI(p, plan)
	if err != nil {
		diags.AddError("Could not decode the pipe.solar project", err.Error())
		return
	}
	next := make(projectState, len(plan))
	for name, v := range plan {
		next[name] = v
		if v.IsUnknown() {
			next[name] = read[name]
		}
	}
	diags.Append(next.set(ctx, to)...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	prior, diags := getProjectState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	got := r.readProject(ctx, prior, &resp.Diagnostics)
	if got.id != "" {
		// The identity is set on every exit past the call: the framework
		// refuses a Read without one, even when the project is gone.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", got.id)...)
	}
	if got.gone {
		resp.State.RemoveResource(ctx)
		return
	}
	if got.stage != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, projectStageKey, got.stage)...)
	}
	switch {
	case got.next != nil:
		resp.Diagnostics.Append(got.next.set(ctx, &resp.State)...)
	case got.unchanged:
		raw, err := compactNumbers(resp.State.Raw)
		if err != nil {
			resp.Diagnostics.AddError("Could not keep the pipe.solar project's state", err.Error())
			return
		}
		resp.State.Raw = raw
	}
}

// projectRead is what a refresh of a pipesolar_project found. Read applies
// it to the framework's response, projectServer's ReadResource to the
// protocol's (the same refresh, without the framework's walks around it).
type projectRead struct {
	// id is the identity's id; "" when no read was made (an error before
	// the call).
	id string
	// gone: pipe.solar answered 404 for the project; the state is removed.
	gone bool
	// next is the new state; nil keeps the prior one (batch_refresh found
	// the project unchanged, or the read failed).
	next projectState
	// unchanged: batch_refresh found the project as the prior state holds
	// it; the prior state is kept, its numbers compacted (compactNumbers).
	unchanged bool
	// stage is the private state to keep under projectStageKey; nil keeps
	// what is there.
	stage []byte
}

// readProject refreshes the project of state prior: one GET
// /projects/{id}, or none when batch_refresh finds it unchanged.
func (r *projectResource) readProject(ctx context.Context, prior projectState, diags *diag.Diagnostics) projectRead {
	client, d := r.data.PipeSolar()
	diags.Append(d...)
	if diags.HasError() {
		return projectRead{}
	}
	id := projectReadID(prior)
	ctx, cancel, ok := withTimeout(ctx, prior.timeouts(), timeouts.Value.Read, defaultReadTimeout, diags)
	if !ok {
		return projectRead{}
	}
	defer cancel()

	p, err := r.read(ctx, client, prior)
	switch {
	case transport.IsNotFound(err):
		tflog.Warn(ctx, "pipe.solar project no longer exists; removing it from state", map[string]any{"id": id})
		return projectRead{id: id, gone: true}
	case err != nil:
		diags.Append(pipeErrorDiag(fmt.Sprintf("Could not read pipe.solar project %s", id), err))
		return projectRead{id: id}
	case p == nil:
		// batch_refresh: unchanged since the state was written.
		return projectRead{id: id, unchanged: true}
	}
	got := projectRead{id: p.ID, stage: stageMemory(p)}
	if got.next, err = projectStateFromAPI(p, prior); err != nil {
		diags.AddError("Could not decode the pipe.solar project", err.Error())
	}
	return got
}

// read reads the project of state prior: GET /projects/{id}, or with
// batch_refresh nil when the company's listing says it has not changed.
func (r *projectResource) read(ctx context.Context, client *pipesolar.Client, prior projectState) (*pipesolar.Project, error) {
	if r.data.BatchRefresh() && prior.known("id") && prior.known("updated_at") &&
		projectUnchanged(ctx, client, prior.text("id"), prior.text("updated_at")) {
		return nil, nil
	}
	return client.GetProject(ctx, projectReadID(prior))
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	state, diags := getProjectState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	client, plan, ctx, cancel, ok := beginWrite[projectKind](ctx, r.data, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := projectReadID(state)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)

	r.apply(ctx, client, id, plan, stateSettings(state, seenStage(ctx, req.Private)), &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// ModifyPlan leaves values unknown only when a setting changes.
	needsRead := false
	for _, v := range plan {
		needsRead = needsRead || v.IsUnknown()
	}
	if !needsRead {
		resp.Diagnostics.Append(plan.set(ctx, &resp.State)...)
		return
	}
	p, err := client.GetProject(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(pipeErrorDiag("Could not read the pipe.solar project back after changing it", err))
		return
	}
	resp.Diagnostics.Append(rememberStage(ctx, resp.Private, p)...)
	r.store(ctx, p, plan, &resp.State, &resp.Diagnostics)
}

// Delete stops managing the project: v1 cannot delete one, and nothing is
// changed.
func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var id types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.AddWarning("pipe.solar project left as it is",
		fmt.Sprintf("Project %s was removed from Terraform state only: it is untouched in pipe.solar (its stage, install "+
			"date and NTP stay as they are). Pipe API v1 cannot delete a project; archive it in the pipe.solar app if it "+
			"should go.", id.ValueString()))
}

// ImportState takes a project id (any form v1 accepts) from the import id
// or the identity; the read that follows fills everything, and writes
// nothing.
func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, "id")
	if id == "" {
		resp.Diagnostics.AddError("Invalid import id", "Import a pipe.solar project by its id (or its old reference, or "+
			"its lead's id), for example `terraform import pipesolar_project.example D4YR1VSK7K`, or an `import` block "+
			"with `id = \"D4YR1VSK7K\"` or (Terraform 1.12 and later) `identity = { id = \"D4YR1VSK7K\" }`.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("project_id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)
}
