package provider

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/pipesolar/terraform-provider-pipesolar/internal/upowr"
	"github.com/pipesolar/terraform-provider-pipesolar/internal/validate"
)

var (
	_ resource.ResourceWithConfigure  = &upowrFileResource{}
	_ resource.ResourceWithModifyPlan = &upowrFileResource{}
)

// upowrMaxFileSize is the largest file pipesolar_upowr_file uploads. UPowr's
// API reference states no limit; 10 MiB is what the provider's mock server
// accepts and keeps a whole upload (held in memory, sent in one request)
// reasonable. Larger files are refused at plan time.
const upowrMaxFileSize = 10 << 20

// upowrFileCodes are the file codes UPowr accepts for temporary uploads.
var upowrFileCodes = []string{"switchboard_photo", "preferred_installation_location_photo", "site_access_photo"}

// NewUPowrFileResource returns the pipesolar_upowr_file resource.
func NewUPowrFileResource() resource.Resource {
	return &upowrFileResource{resourceBase{name: "upowr_file"}, upowrFileDestroy, stateKept{}, replaceOnly{}}
}

// upowrFileResource uploads a local file to UPowr's temporary area under a
// file association id, for a UPowr project created later with that id.
type upowrFileResource struct {
	resourceBase
	stateOnlyDestroy // Delete: UPowr cannot delete a temporary file
	stateKept        // Read: UPowr cannot read a temporary file; ModifyPlan finds changes of the local file
	replaceOnly      // Update: every argument and a content change replace
}

// upowrFileModel is the resource's state.
type upowrFileModel struct {
	ID                types.String `tfsdk:"id"`
	FileAssociationID types.String `tfsdk:"file_association_id"`
	FileCode          types.String `tfsdk:"file_code"`
	Source            types.String `tfsdk:"source"`
	ContentSHA256     types.String `tfsdk:"content_sha256"`
	Size              types.Int64  `tfsdk:"size"`
}

func (r *upowrFileResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a local file to UPowr's temporary file area (`POST /files/temp`) under a file " +
			"association id. A `pipesolar_upowr_project` created afterwards with the same `file_association_id` gets the " +
			"file attached; refer to this resource's `file_association_id` (or use `depends_on`) so one apply uploads " +
			"first and then creates the project.\n\n" +
			"* **Plan** reads the file at `source` and plans its SHA-256 (`content_sha256`) and `size`. The file must " +
			"exist and be readable whenever Terraform plans this resource (except for destroy), and may be at most " +
			"10 MiB (UPowr documents no limit; the provider sets this one). A changed content plans a replacement, " +
			"which uploads the new content.\n" +
			"* **Create** uploads with `replace=true`: the upload overwrites whatever file is in this association id and " +
			"file code slot. So a replacement re-uploads into the same slot, and applying again after a failed upload " +
			"that may have reached UPowr is safe. Two resources with the same `file_association_id` and `file_code` " +
			"overwrite each other. The file is read again at apply; if it changed since the plan, the apply fails and " +
			"asks for a new plan (when the change happens before Terraform re-checks the plan during apply, Terraform " +
			"reports it itself as \"Provider produced inconsistent final plan\").\n" +
			"* **Refresh** keeps the state as Terraform last wrote it and makes no API call: UPowr has no endpoint to " +
			"read a temporary file, so a file removed or expired in UPowr is not detected. Refresh does not look at " +
			"the local file either; the plan does.\n" +
			"* **Destroy** only removes the resource from Terraform state, with a warning: UPowr has no call to delete a " +
			"temporary file. It stays in UPowr, attached to any project created with its association id, or until " +
			"UPowr expires it. Changing `file_association_id` or `file_code` likewise leaves the earlier upload in its " +
			"old slot. A project already created keeps the files it got at creation: replacing an upload later does " +
			"not change them.\n\n" +
			"There is no import.",
		Attributes: map[string]schema.Attribute{
			"id": idAttribute("`<file_association_id>/<file_code>`: the upload slot this file fills."),
			"file_association_id": schema.StringAttribute{
				MarkdownDescription: "Groups uploads for one project (`fileAssociationId`): use a new, unique value for " +
					"each project and pass the same value to `pipesolar_upowr_project.file_association_id`. Not empty or " +
					"blank. Changing it uploads again under the new id.",
				Required:      true,
				Validators:    []validator.String{validate.NotBlank()},
				PlanModifiers: replaceString,
			},
			"file_code": schema.StringAttribute{
				MarkdownDescription: "What the file shows: `switchboard_photo`, `preferred_installation_location_photo` " +
					"or `site_access_photo`. Changing it uploads again under the new code.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.OneOf(upowrFileCodes...)},
				PlanModifiers: replaceString,
			},
			"source": schema.StringAttribute{
				MarkdownDescription: "Path of the local file to upload, at most 10 MiB; relative paths are relative to the " +
					"directory Terraform runs in (use `path.module`). UPowr receives the file's base name as its file name. " +
					"Changing the path uploads again; changing the file's content is detected at plan time and uploads again.",
				Required:      true,
				Validators:    []validator.String{validate.NotBlank()},
				PlanModifiers: replaceString,
			},
			"content_sha256": schema.StringAttribute{
				MarkdownDescription: "Hex SHA-256 of the uploaded content, computed from `source` at plan time.",
				Computed:            true,
			},
			"size": schema.Int64Attribute{
				MarkdownDescription: "Size of the uploaded content in bytes.",
				Computed:            true,
			},
		},
	}
}

// ModifyPlan hashes the file at source, plans content_sha256 and size, and
// replaces the upload when the content differs from the one uploaded.
func (r *upowrFileResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: the file is not needed
	}
	var source types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("source"), &source)...)
	if resp.Diagnostics.HasError() || source.IsUnknown() || source.IsNull() {
		return // known only at apply: content_sha256 and size stay unknown
	}
	_, sum, size, err := upowrReadFile(source.ValueString(), false)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Cannot read the file to upload", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("content_sha256"), sum)...)
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("size"), size)...)
	if req.State.Raw.IsNull() {
		return
	}
	var uploaded types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("content_sha256"), &uploaded)...)
	if !uploaded.IsNull() && uploaded.ValueString() != sum {
		tflog.Debug(ctx, "file content changed since upload", map[string]any{"source": source.ValueString(), "was": uploaded.ValueString(), "now": sum})
		resp.RequiresReplace.Append(path.Root("content_sha256"))
	}
}

// upowrReadFile hashes the file at name and, with keep, returns its content.
// It refuses directories and files over upowrMaxFileSize; its errors name
// the path.
func upowrReadFile(name string, keep bool) (content []byte, sum string, size int64, err error) {
	f, err := os.Open(name) //nolint:gosec // reading the file the user names is the point
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, "", 0, fmt.Errorf("source: file %q does not exist. Check the path (relative paths are relative "+
				"to the directory Terraform runs in; use path.module)", name)
		}
		return nil, "", 0, fmt.Errorf("source: cannot open %q: %w", name, err)
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return nil, "", 0, fmt.Errorf("source: cannot read %q: %w", name, err)
	}
	if info.IsDir() {
		return nil, "", 0, fmt.Errorf("source: %q is a directory, not a file", name)
	}
	tooLarge := func(n int64) error {
		return fmt.Errorf("source: %q is %d bytes; the provider uploads files of at most %d bytes (10 MiB)", name, n, upowrMaxFileSize)
	}
	if info.Size() > upowrMaxFileSize {
		return nil, "", 0, tooLarge(info.Size())
	}
	h := sha256.New()
	var w io.Writer = h
	var buf bytes.Buffer
	if keep {
		w = io.MultiWriter(h, &buf)
	}
	// Read one byte past the limit: the file may have grown since Stat.
	n, err := io.Copy(w, io.LimitReader(f, upowrMaxFileSize+1))
	if err != nil {
		return nil, "", 0, fmt.Errorf("source: cannot read %q: %w", name, err)
	}
	if n > upowrMaxFileSize {
		return nil, "", 0, tooLarge(n)
	}
	if keep {
		content = buf.Bytes()
	}
	return content, hex.EncodeToString(h.Sum(nil)), n, nil
}

func (r *upowrFileResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan upowrFileModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	source := plan.Source.ValueString()
	content, sum, size, err := upowrReadFile(source, true)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "Cannot read the file to upload", err.Error())
		return
	}
	if !plan.ContentSHA256.IsUnknown() && plan.ContentSHA256.ValueString() != sum {
		resp.Diagnostics.AddAttributeError(path.Root("source"), "File changed since the plan",
			fmt.Sprintf("source: %q changed between plan and apply (SHA-256 planned %s, now %s), so this apply would "+
				"upload something other than what the plan showed. Nothing was uploaded. Run terraform plan (or apply) "+
				"again to upload the current content.", source, plan.ContentSHA256.ValueString(), sum))
		return
	}
	client, diags := r.data.UPowr()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := upowr.TempFileInput{
		FileAssociationID: plan.FileAssociationID.ValueString(),
		FileCode:          plan.FileCode.ValueString(),
		Filename:          filepath.Base(source),
		Content:           content,
		// Overwrite the slot: a replacement re-uploads into it, and repeating
		// an upload whose outcome is unknown is safe.
		Replace: true,
	}
	if err := client.UploadTempFile(ctx, in); err != nil {
		var amb *upowr.AmbiguousWriteError
		if errors.As(err, &amb) {
			resp.Diagnostics.AddError("UPowr file upload may have been stored",
				fmt.Sprintf("Upload of %q as %s under file association id %q: %v\n\nApplying again is safe: the provider "+
					"uploads with replace=true, so a new upload overwrites whatever reached UPowr.",
					source, in.FileCode, in.FileAssociationID, err))
			return
		}
		resp.Diagnostics.AddError("Could not upload file to UPowr",
			fmt.Sprintf("Upload of %q as %s under file association id %q: %s",
				source, in.FileCode, in.FileAssociationID, upowrErrorDetail(err)))
		return
	}
	plan.ID = types.StringValue(in.FileAssociationID + "/" + in.FileCode)
	plan.ContentSHA256 = types.StringValue(sum)
	plan.Size = types.Int64Value(size)
	tflog.Debug(ctx, "uploaded UPowr temporary file", map[string]any{"id": plan.ID.ValueString(), "sha256": sum, "size": size})
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// upowrFileDestroy says that destroy leaves the file in UPowr.
var upowrFileDestroy = stateOnlyDestroy{
	summary: "The file stays in UPowr",
	detail: "pipesolar_upowr_file %s was removed from Terraform state only: UPowr has no call to delete a " +
		"temporary file. It stays under file association id %q and file code %s, is attached to any UPowr project " +
		"created with that association id, or expires as UPowr decides. A new upload to the same slot replaces it.",
	attrs: []string{"id", "file_association_id", "file_code"},
}
