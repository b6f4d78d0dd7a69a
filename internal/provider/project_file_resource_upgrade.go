package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/pipesolar"
)

// UpgradeState upgrades 1.x state (schema version 0).
func (r *projectFileResource) UpgradeState(context.Context) map[int64]resource.StateUpgrader {
	prior := projectFileSchemaV0()
	return map[int64]resource.StateUpgrader{0: {PriorSchema: &prior, StateUpgrader: upgradeProjectFileV0}}
}

// folderOfFolderID maps 1.x's folder_id (the retired API's names) to Pipe
// API v1's folder.
var folderOfFolderID = map[string]string{
	"contract":             "contract",
	"utility_bill":         "utilityBill",
	"drivers_license":      "identification",
	"materials":            "material",
	"survey_photos":        "siteSurvey",
	"engineering_plansets": "planset",
	"permits":              "permit",
	"interconnection":      "interconnection",
	"interconnections":     "interconnection",
	"insurance":            "homeInsurance",
	"installation_photos":  "installationPhoto",
	"internal_documents":   "internal",
	"other_documents":      "other",
}

// projectFileModelV0 is 1.x's pipesolar_project_file state.
type projectFileModelV0 struct {
	ID        types.String `tfsdk:"id"`
	ProjectID types.String `tfsdk:"project_id"`
	FolderID  types.String `tfsdk:"folder_id"`
	FileURLs  []string     `tfsdk:"file_urls"`
}

// upgradeProjectFileV0 carries a 1.x upload over without repeating it:
// folder_id becomes folder (by folderOfFolderID), each of file_urls a file
// with no name and no id (the retired API returned none); id and
// project_id (the old UID, which Pipe API v1 still resolves) are kept.
func upgradeProjectFileV0(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
	var old projectFileModelV0
	resp.Diagnostics.Append(req.State.Get(ctx, &old)...)
	if resp.Diagnostics.HasError() {
		return
	}
	folder, ok := folderOfFolderID[old.FolderID.ValueString()]
	if !ok {
		// A folder_id 1.x let through with a warning: kept as it is, so the
		// state still says where the files went; a configuration naming a
		// v1 folder replaces the resource (the files are added again).
		folder = old.FolderID.ValueString()
		resp.Diagnostics.AddAttributeWarning(path.Root("folder"), "Unknown 1.x folder_id",
			fmt.Sprintf("Provider 1.x uploaded these files with folder_id %q, which has no Pipe API v1 folder. The state "+
				"keeps it as folder; set folder to the v1 folder the files are in (one of %s): the files are then "+
				"added again there.", folder, markdownList(pipesolar.Folders)))
	}
	entries := make([]projectFileEntry, len(old.FileURLs))
	for i, u := range old.FileURLs {
		entries[i] = projectFileEntry{URL: types.StringValue(u), Name: types.StringNull(), ID: types.StringNull()}
	}
	files, diags := types.ListValueFrom(ctx, projectFileEntryType, entries)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, projectFileModel{
		ID: old.ID, ProjectID: old.ProjectID, Folder: types.StringValue(folder), Files: files,
	})...)
}

// projectFileSchemaV0 is pipesolar_project_file's schema in provider 1.x
// (schema version 0, commit 157d297), frozen.
func projectFileSchemaV0() schema.Schema {
	return schema.Schema{Attributes: map[string]schema.Attribute{
		"id":         schema.StringAttribute{Computed: true},
		"project_id": schema.StringAttribute{Required: true},
		"folder_id":  schema.StringAttribute{Required: true},
		"file_urls":  schema.ListAttribute{Required: true, ElementType: types.StringType},
	}}
}
