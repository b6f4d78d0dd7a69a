package provider

import (
	"context"
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
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
	_ resource.ResourceWithModifyPlan  = &projectResource{}
	_ resource.ResourceWithIdentity    = &projectResource{}
)

const (
	defaultProjectTimeout = 5 * time.Minute
	defaultReadTimeout    = 2 * time.Minute
)

// timeoutOf picks one operation's timeout from a timeouts block:
// timeouts.Value.Create, Read, Update or Delete.
type timeoutOf func(t timeouts.Value, ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// withTimeout limits ctx by the timeout which picks from t (def when t does
// not set it). ok is false, and nothing is to cancel, when diags holds an
// error, from before or from reading the timeout.
func withTimeout(ctx context.Context, t timeouts.Value, which timeoutOf, def time.Duration, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, ok bool) {
	if diags.HasError() {
		return ctx, nil, false
	}
	timeout, d := which(t, ctx, def)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, nil, false
	}
	ctx, cancel = context.WithTimeout(ctx, timeout)
	return ctx, cancel, true
}

// NewProjectResource returns the pipesolar_project resource.
func NewProjectResource() resource.Resource {
	return &projectResource{resourceBase{name: "project"}, projectDestroy}
}

// projectResource is pipesolar_project. Its schema is in project_schema.go,
// its plan rules in project_plan.go; both, and the mapping here, derive from
// projectFields.
type projectResource struct {
	resourceBase
	stateOnlyDestroy // Delete removes the project from state only; ModifyPlan is the plan rules' own
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = projectResourceSchema(ctx)
}

func (r *projectResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = projectIdentitySchema()
}

// projectState is a pipesolar_project's values by attribute name: "id",
// every field of projectFields, and "timeouts". Working on the values by
// name lets every rule loop over projectFields.
type projectState map[string]attr.Value

// projectStateType is the resource's whole type.
var projectStateType = sync.OnceValue(func() types.ObjectType {
	t, ok := projectResourceSchema(context.Background()).Type().(types.ObjectType)
	if !ok {
		panic("pipesolar_project's schema is not an object type") // a programming error, caught by every test
	}
	return t
})

// getProjectState reads a plan, a state or a configuration.
func getProjectState(ctx context.Context, from valueSource) (projectState, diag.Diagnostics) {
	var obj types.Object
	diags := from.Get(ctx, &obj)
	if diags.HasError() {
		return nil, diags
	}
	return projectState(obj.Attributes()), diags
}

// set writes s to a state or a plan.
func (s projectState) set(ctx context.Context, to interface {
	Set(context.Context, any) diag.Diagnostics
}) diag.Diagnostics {
	obj, diags := types.ObjectValue(projectStateType().AttrTypes, s)
	if diags.HasError() {
		return diags
	}
	return to.Set(ctx, obj)
}

func (s projectState) id() string {
	id, _ := s["id"].(types.String)
	return id.ValueString()
}

func (s projectState) timeouts() timeouts.Value {
	t, _ := s["timeouts"].(timeouts.Value)
	return t
}

// projectStateFromAPI is what refresh stores for project p: every field
// fetch_project returns, from p, except that a value the same to pipe.solar
// as the prior one keeps the prior's formatting ("8.50" stays 8.5, an
// email's case, padded list elements); the arguments pipe.solar does not
// return keep their prior value (null when there is none, as after an
// import). Read, import and the list resource all store this.
func projectStateFromAPI(p *pipesolar.Project, prior projectState) projectState {
	next := make(projectState, len(projectFields)+2)
	for i := range projectFields {
		f := &projectFields[i]
		before, hasBefore := prior[f.name]
		switch {
		case !f.returned() && hasBefore:
			next[f.name] = before
		case !f.returned():
			next[f.name] = f.null()
		default:
			v := f.fromAPI(p)
			if hasBefore && !before.IsNull() && f.sameValue(v, before) {
				v = before
			}
			next[f.name] = v
		}
	}
	next["id"] = types.StringValue(strings.TrimSpace(p.ID))
	if id := prior.id(); id != "" {
		next["id"] = types.StringValue(id) // the id as stored, whatever form the API echoes
	}
	next["timeouts"] = nullTimeouts()
	if t, ok := prior["timeouts"]; ok {
		next["timeouts"] = t
	}
	return next
}

// nullTimeouts is an unset timeouts block.
func nullTimeouts() timeouts.Value {
	t, ok := projectStateType().AttrTypes["timeouts"].(timeouts.Type)
	if !ok {
		panic("pipesolar_project's timeouts block has an unexpected type") // a programming error, caught by every test
	}
	return timeouts.Value{Object: types.ObjectNull(t.AttrTypes)}
}

// fillUnknowns gives every value still unknown after an apply a known one:
// from p where fetch_project returns it (nil p: the project could not be
// read back), null otherwise.
func (s projectState) fillUnknowns(p *pipesolar.Project) {
	for i := range projectFields {
		f := &projectFields[i]
		if !s[f.name].IsUnknown() {
			continue
		}
		if p != nil && f.returned() {
			s[f.name] = f.fromAPI(p)
		} else {
			s[f.name] = f.null()
		}
	}
}

// setIdentity records the identity { id }; resp is nil on a Terraform
// without identity support.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, name, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.SetAttribute(ctx, path.Root(name), id)
}

// begin starts Create and Update: it returns the pipe.solar client, the
// planned values, and ctx limited by the timeout which picks from the plan's
// timeouts block. ok is false, and nothing is to cancel, when diags holds an
// error.
func (r *projectResource) begin(ctx context.Context, from tfsdk.Plan, which timeoutOf,
	diags *diag.Diagnostics) (*pipesolar.Client, projectState, context.Context, context.CancelFunc, bool) {
	client, d := r.data.PipeSolar()
	diags.Append(d...)
	plan, d := getProjectState(ctx, from)
	diags.Append(d...)
	ctx, cancel, ok := withTimeout(ctx, plan.timeouts(), which, defaultProjectTimeout, diags)
	return client, plan, ctx, cancel, ok
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	client, plan, ctx, cancel, ok := r.begin(ctx, req.Plan, timeouts.Value.Create, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in := createProjectInput(plan)
	id, err := client.CreateProject(ctx, in)
	if err != nil {
		resp.Diagnostics.AddError("Could not create pipe.solar project",
			fmt.Sprintf("POST %s for %s %s <%s> in org %q failed: %v", pipesolar.EndpointCreateProject,
				in.Body["first_name"], in.Body["last_name"], in.Body["email"], in.OrgID, err))
		return
	}
	tflog.Info(ctx, "created pipe.solar project", map[string]any{"id": id})
	plan["id"] = types.StringValue(id)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)

	p, err := client.GetProject(ctx, id)
	if err != nil {
		// The project exists: keep it in state (an error here would taint
		// it, and replacing would create a second one).
		resp.Diagnostics.AddWarning("Created project could not be read back",
			fmt.Sprintf("Project %s was created, but reading it back failed: %v\n\nIts read-only attributes are empty "+
				"until the next refresh (terraform apply -refresh-only).", id, err))
		p = nil
	}
	plan.fillUnknowns(p)
	resp.Diagnostics.Append(plan.set(ctx, &resp.State)...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client, diags := r.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	prior, diags := getProjectState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := prior.id()
	// The identity is set on every exit: the framework refuses a Read
	// without one, even when the project is gone.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)
	ctx, cancel, ok := withTimeout(ctx, prior.timeouts(), timeouts.Value.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	// With batch_refresh, from the listing of the project's org.
	p, err := client.GetProjectInOrg(ctx, textOf(prior["org_id"]), id)
	if err != nil {
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar project no longer exists; removing it from state", map[string]any{"id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.AddError("Could not read pipe.solar project", apiErrorDetail(err, id))
		return
	}
	resp.Diagnostics.Append(projectStateFromAPI(p, prior).set(ctx, &resp.State)...)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	state, diags := getProjectState(ctx, req.State)
	resp.Diagnostics.Append(diags...)
	client, plan, ctx, cancel, ok := r.begin(ctx, req.Plan, timeouts.Value.Update, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	id := state.id()
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)

	// ModifyPlan allowed only two kinds of change: project_stage, and
	// arguments adopted from the configuration (state only).
	var p *pipesolar.Project
	if stage := plan["project_stage"]; !stage.IsNull() && !projectFieldByName()["project_stage"].sameValue(stage, state["project_stage"]) {
		name := strings.TrimSpace(textOf(stage))
		if _, err := client.UpdateStage(ctx, id, name); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("project_stage"), "Could not change the project stage",
				fmt.Sprintf("POST %s for project %s, stage %q: %v", pipesolar.EndpointUpdateStage, id, name, err))
			return
		}
		var err error
		if p, err = client.GetProject(ctx, id); err != nil {
			resp.Diagnostics.AddWarning("Project could not be read back after the stage change",
				fmt.Sprintf("The stage of project %s was changed to %q, but reading it back failed: %v", id, name, err))
		}
	}
	plan.fillUnknowns(p)
	resp.Diagnostics.Append(plan.set(ctx, &resp.State)...)
}

// projectDestroy says that destroy leaves the project in pipe.solar.
var projectDestroy = stateOnlyDestroy{
	summary: "pipe.solar project was not deleted",
	detail: "pipe.solar has no API to delete a project: project %s was removed from Terraform state only and " +
		"still exists in pipe.solar. Archive or delete it in the pipe.solar app if it should go.",
	attrs: []string{"id"},
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := importedID(ctx, req, "id")
	if id == "" {
		resp.Diagnostics.AddError("Invalid import id", "Import a pipe.solar project by its id, for example "+
			"`terraform import pipesolar_project.example D4YR1VSK7K`, or an `import` block with `id = \"D4YR1VSK7K\"` "+
			"or (Terraform 1.12 and later) `identity = { id = \"D4YR1VSK7K\" }`.")
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, "id", id)...)
}

// importedID is the project id an import names, trimmed: the import id
// (terraform import, an import block's id), else the identity's attribute
// name (an import block's identity). "" when it names none: the framework
// passes an identity even to an import by id, with that attribute null.
func importedID(ctx context.Context, req resource.ImportStateRequest, name string) string {
	if id := strings.TrimSpace(req.ID); id != "" || req.Identity == nil {
		return id
	}
	var id types.String
	if diags := req.Identity.GetAttribute(ctx, path.Root(name), &id); diags.HasError() {
		return ""
	}
	return strings.TrimSpace(id.ValueString())
}

// textOf is a string value's text; "" when it is null, unknown or not a
// string.
func textOf(v attr.Value) string {
	if s, ok := v.(interface{ ValueString() string }); ok {
		return s.ValueString()
	}
	return ""
}
