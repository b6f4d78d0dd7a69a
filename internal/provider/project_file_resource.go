package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/transport"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithModifyPlan   = &projectFileResource{}
	_ resource.ResourceWithUpgradeState = &projectFileResource{}
)

// NewProjectFileResource returns the pipesolar_project_file resource.
func NewProjectFileResource() resource.Resource {
	return &projectFileResource{resourceBase: resourceBase{name: "project_file"}, stateOnlyDestroy: projectFileDestroy}
}

// projectFileResource adds files, by their public URLs, to a folder of a
// project. Pipe API v1 can neither remove a file nor list where one came
// from, so every argument replaces, refresh checks that the project still
// exists, and destroy removes the resource from state with a warning.
type projectFileResource struct {
	resourceBase
	stateOnlyDestroy
	replaceOnly
}

// projectFileModel is the resource's state.
type projectFileModel struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	Folder    types.String `tfsdk:"folder"`
	Files     types.List   `tfsdk:"files"`
}

// projectFileEntry is one element of files.
type projectFileEntry struct {
	URL  types.String `tfsdk:"url"`
	Name types.String `tfsdk:"name"`
	ID   types.String `tfsdk:"id"`
}

// projectFileEntryType is the object type of one element of files.
var projectFileEntryType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"url": types.StringType, "name": types.StringType, "id": types.StringType,
}}

func (r *projectFileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 1,
		MarkdownDescription: "Adds files to a folder of a pipe.solar project through Pipe API v1: pipe.solar copies each " +
			"file from its public `https` URL and keeps its own copy (the project's `files` shows pipe.solar's links, " +
			"not the source URLs).\n\n" +
			"* **Create** sends `POST /projects/{id}/files`, at most 10 files a call. A URL already in the folder " +
			"adds nothing, so a retried or repeated create never stores a file twice.\n" +
			"* **Changing any argument** replaces the resource: the files are added again where the new arguments " +
			"say; files already added stay where they are (a warning says so).\n" +
			"* **Refresh** reads the project with one `GET /projects/{id}` to check that it still exists: a project that " +
			"is gone (404) removes the resource from state. Files removed in the pipe.solar app are not detected. Any " +
			"other failure is an error and the state is kept.\n" +
			"* **Destroy** removes the resource from Terraform state only; the files stay in pipe.solar (a warning says so).\n\n" +
			"There is no import: Pipe API v1 cannot list which URL a file came from.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("Random 32-character hexadecimal id made by the provider; it identifies the resource in " +
				"Terraform only (each file's own id is `files[*].id`)."),
			"project_id": schema.StringAttribute{
				MarkdownDescription: "Id of the project: Pipe's id, the old 10-character reference (UID) or the project's " +
					"lead id. Changing it to another project adds the files there; changing it to another id of the " +
					"same project changes nothing in pipe.solar.",
				Required:      true,
				Validators:    []validator.String{validate.NotBlank()},
				PlanModifiers: []planmodifier.String{replaceUnlessSameProject{}},
			},
			"folder": schema.StringAttribute{
				MarkdownDescription: "Folder to add the files to, one of " + markdownList(pipesolar.Folders) +
					". Changing it adds the files again in the new folder.",
				Required:      true,
				Validators:    []validator.String{validate.Folder(pipesolar.Folders, folderOfFolderID)},
				PlanModifiers: replaceString,
			},
			"files": schema.ListNestedAttribute{
				MarkdownDescription: "Files to add (at least one; each url once). Changing the list adds every file again (pipe.solar " +
					"skips a URL already in the folder).",
				Required: true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					validate.UniqueAttribute("url", "each file's url at most once", "Duplicate file URL",
						"pipe.solar adds a URL once per folder, so both entries would get the same file and the second "+
							"name would be lost: list each URL once."),
				},
				PlanModifiers: []planmodifier.List{replaceWhenFilesChange{}},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"url": schema.StringAttribute{
						MarkdownDescription: "Public `https` URL pipe.solar copies the file from: no IP address, no " +
							"private host name, no user name or password in it, a file of 100 MB or less that opens " +
							"without signing in.",
						Required:   true,
						Validators: []validator.String{validate.PublicFileURL()},
					},
					"name": schema.StringAttribute{
						MarkdownDescription: "Name pipe.solar shows for the file; the URL's own when left out.",
						Optional:            true,
						Validators:          []validator.String{validate.NotBlank()},
					},
					"id": schema.StringAttribute{
						MarkdownDescription: "pipe.solar's id of the file (null for files added by provider 1.x).",
						Computed:            true,
					},
				}},
			},
		},
	}
}

// markdownList formats names as `a`, `b` or `c`.
func markdownList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = "`" + n + "`"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// projectFileDestroy says that destroy leaves the files in pipe.solar.
var projectFileDestroy = stateOnlyDestroy{
	summary: "Files not removed",
	detail: "Pipe API v1 cannot remove a file: the files stay in folder %q of project %s. The " +
		"pipesolar_project_file resource is only removed from Terraform state; remove the files in the pipe.solar " +
		"app if they should go.",
	attrs: []string{"folder", "project_id"},
}

// ModifyPlan warns in a destroy plan and in a replacement's plan that the
// files already added stay. (The framework runs it without the attribute
// plan modifiers' replacement paths, so it asks their rules again.)
func (r *projectFileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		r.stateOnlyDestroy.ModifyPlan(ctx, req, resp)
		return
	}
	var plan, state projectFileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Folder.Equal(state.Folder) || filesChanged(ctx, plan.Files, state.Files) ||
		!sameProjectIDs(ctx, req.Private, state.ProjectID, plan.ProjectID) {
		r.warn(ctx, "Replacing pipesolar_project_file adds the files again", req.State, &resp.Diagnostics)
	}
}

func (r *projectFileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectFileModel
	client, ok := start(ctx, r.data.PipeSolar, req.Plan, &plan, &resp.Diagnostics)
	if !ok {
		return
	}
	var entries []projectFileEntry
	resp.Diagnostics.Append(plan.Files.ElementsAs(ctx, &entries, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := pipesolar.AddFilesInput{Folder: plan.Folder.ValueString(), Files: make([]pipesolar.FileInput, len(entries))}
	for i, e := range entries {
		in.Files[i] = pipesolar.FileInput{URL: e.URL.ValueString(), Name: e.Name.ValueString()}
	}
	projectID := plan.ProjectID.ValueString()
	added, err := client.AddFiles(ctx, projectID, in)
	if err != nil {
		summary, at := "Could not add the files", path.Root("files")
		if transport.IsNotFound(err) {
			summary, at = "Project not found", path.Root("project_id")
		}
		resp.Diagnostics.Append(pipeAttrErrorDiag(at, summary, err))
		return
	}
	if len(added) == len(entries) {
		for i := range entries {
			entries[i].ID = types.StringValue(added[i].ID)
		}
	} else {
		// pipe.solar answers one row per file sent; should it not, the
		// ids cannot be told apart.
		tflog.Warn(ctx, "pipe.solar answered a different number of files than were sent; file ids left empty",
			map[string]any{"sent": len(entries), "answered": len(added)})
		for i := range entries {
			entries[i].ID = types.StringNull()
		}
	}
	files, diags := types.ListValueFrom(ctx, projectFileEntryType, entries)
	resp.Diagnostics.Append(diags...)
	id, err := randomResourceID()
	if err != nil {
		resp.Diagnostics.AddError("Could not generate an id",
			fmt.Sprintf("The files were added to project %s, but generating a random resource id failed: %v. "+
				"Applying again adds nothing twice (pipe.solar skips a URL already in the folder).", projectID, err))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	tflog.Info(ctx, "added files to pipe.solar project",
		map[string]any{"project_id": projectID, "folder": in.Folder, "files": len(entries), "id": id})
	plan.ID, plan.Files = types.StringValue(id), files
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read checks the only remote trace the resource can see, its project: a
// project that is gone removes the resource from state; any other failure
// is an error and the state is kept.
func (r *projectFileResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	client, diags := r.data.PipeSolar()
	resp.Diagnostics.Append(diags...)
	var projectID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("project_id"), &projectID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := projectID.ValueString()
	p, err := client.GetProject(ctx, id)
	if err != nil {
		if transport.IsNotFound(err) {
			tflog.Warn(ctx, "pipe.solar project no longer exists; removing pipesolar_project_file from state",
				map[string]any{"project_id": id})
			resp.State.RemoveResource(ctx)
			return
		}
		resp.Diagnostics.Append(pipeErrorDiag("Could not check that the pipe.solar project still exists", err))
		return
	}
	resp.Diagnostics.Append(rememberProjectIDs(ctx, resp.Private, p)...)
}

// randomResourceID returns 16 random bytes in hex, for a resource whose API
// gives it no id.
func randomResourceID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// replaceWhenFilesChange replaces the resource when a file's url or name
// changes, or a file is added or taken away; otherwise it keeps the files
// as they are, with their ids (an in-place update of another argument
// would otherwise plan them unknown, which reads as a change).
type replaceWhenFilesChange struct{}

func (replaceWhenFilesChange) Description(context.Context) string {
	return "Replaces the resource when the files change."
}

func (m replaceWhenFilesChange) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (replaceWhenFilesChange) PlanModifyList(ctx context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	if filesChanged(ctx, req.PlanValue, req.StateValue) {
		resp.RequiresReplace = true
		return
	}
	resp.PlanValue = req.StateValue
}

// filesChanged reports whether planned differs from prior in a file's url
// or name, or in the number of files.
func filesChanged(ctx context.Context, planned, prior types.List) bool {
	var p, q []projectFileEntry
	if planned.IsUnknown() || prior.IsNull() || prior.IsUnknown() ||
		planned.ElementsAs(ctx, &p, false).HasError() || prior.ElementsAs(ctx, &q, false).HasError() || len(p) != len(q) {
		return true
	}
	for i := range p {
		if !p[i].URL.Equal(q[i].URL) || !p[i].Name.Equal(q[i].Name) {
			return true
		}
	}
	return false
}
