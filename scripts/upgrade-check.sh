#!/usr/bin/env bash
# make upgrade-check: prove that a 1.x user who follows the upgrade guide
# sees no change and causes no write.
#
#  1. Builds the last 1.x provider and mock API from this repository's
#     history (git archive of UPGRADE_FROM, default 157d297; the working tree
#     is not touched) and this tree's 2.x provider and mock API.
#  2. Applies a 1.x configuration (pipesolar_project with a stage,
#     pipesolar_project_stage, pipesolar_project_file, pipesolar_activity)
#     with 1.x against the 1.x mock, and reads the records' old UIDs from the
#     state.
#  3. Starts the 2.x mock (Pipe API v1) holding the same records: projects
#     whose reference is each old UID, in the same stage, with the files in
#     the mapped folders.
#  4. Rewrites the configuration as the upgrade guide says, three ways: the
#     stage and file resources naming their project by its old UID (the
#     guide's examples), by pipesolar_project.x.project_id (what the guide
#     tells configurations that referred to the projects they made), and by
#     pipesolar_project.x.id kept from 1.x (now Pipe's id). For each, with a
#     copy of the 1.x state, 2.x `terraform plan`'s JSON must hold no create,
#     delete or replace and no update but, for the third way, the ones the
#     guide announces (project_id from the old UID to the same project's
#     Pipe id), besides the forget of the activity (the `removed` block);
#     after applying that plan, a second `terraform plan -detailed-exitcode`
#     must exit 0 ("No changes.").
#  5. Each way, the v1 mock must have received no write (POST, PATCH) and
#     no call to the retired API.
#
# Needs go, git, terraform, curl and python3. Not part of `make test`.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
setup_work upgrade-check
need_terraform 1.7

from=${UPGRADE_FROM:-157d297}
for tool in git curl python3; do
  command -v "$tool" >/dev/null || { echo "make upgrade-check needs $tool on PATH" >&2; exit 1; }
done

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
failures=()
fail() { failures+=("$*"); echo "FAIL: $*" >&2; }

# ---------------------------------------------------------------------------
step "1/6 Building provider and mock API 1.x ($from, from git history) and 2.x (this tree)"
mkdir -p "$work/src-1x"
git -C "$root" archive "$from" | tar -x -C "$work/src-1x"
build_binaries "$work/src-1x" "$work/bin-1x"
build_binaries "$root" "$work/bin-2x"

# ---------------------------------------------------------------------------
step "2/6 Applying a 1.x configuration with provider 1.x against the 1.x mock"
token1="upgrade-1x-$RANDOM$RANDOM"
start_mock "$work/bin-1x/pipesolar-mockapi" "$work/mock-1x.url" \
  -listen 127.0.0.1:0 -quiet -url-file "$work/mock-1x.url" -token "$token1"
mock_1x=$mock_pid
url1=$(tr -d '[:space:]' <"$work/mock-1x.url")

mkdir -p "$work/config"
cat >"$work/config/main.tf" <<'HCL'
terraform {
  required_providers {
    pipesolar = {
      source = "pipesolar/pipesolar"
    }
  }
}

provider "pipesolar" {}

resource "pipesolar_project" "lovelace" {
  address       = "100 Solar St, Sunville, CA 90210"
  first_name    = "Ada"
  last_name     = "Lovelace"
  email         = "ada.lovelace@example.com"
  phone_number  = "555-010-0001"
  org_id        = "org-sunville"
  sales_rep     = "rep@example.com"
  setter        = "setter@example.com"
  system_size   = 8.5
  system_cost   = 18450.01
  project_stage = "Proposal"
}

resource "pipesolar_project" "turing" {
  address      = "102 Solar St, Sunville, CA 90210"
  first_name   = "Alan"
  last_name    = "Turing"
  email        = "alan.turing@example.com"
  phone_number = "555-010-0002"
  org_id       = "org-sunville"
  sales_rep    = "rep@example.com"
  setter       = "setter@example.com"
  system_size  = 10.4
}

resource "pipesolar_project_stage" "turing" {
  project_id = pipesolar_project.turing.id
  stage      = "Site Survey"
}

resource "pipesolar_project_file" "utility_bill" {
  project_id = pipesolar_project.lovelace.id
  folder_id  = "utility_bill"
  file_urls  = ["https://files.example.com/lovelace/utility-bill-2026-09.pdf"]
}

resource "pipesolar_project_file" "photos" {
  project_id = pipesolar_project.turing.id
  folder_id  = "installation_photos"
  file_urls = [
    "https://files.example.com/turing/roof.jpg",
    "https://files.example.com/turing/panels.jpg",
  ]
}

resource "pipesolar_activity" "kickoff" {
  project_id   = pipesolar_project.lovelace.id
  installer_id = "installer-sunville"
  notes        = "Kick-off call booked for Monday 9am."
}
HCL

use_dev_overrides "$work/bin-1x"
(
  cd "$work/config"
  PIPESOLAR_BASE_URL="$url1/api/1.1/wf" PIPESOLAR_API_TOKEN="$token1" \
    terraform apply -auto-approve -no-color >"$work/apply-1x.txt" 2>&1 || { cat "$work/apply-1x.txt" >&2; exit 1; }
  grep -E '^Apply complete' "$work/apply-1x.txt"
  terraform show -json >"$work/state-1x.json"
)
stop_mock "$mock_1x"
mv "$work/config/terraform.tfstate" "$work/state-1x.tfstate"

# The records 1.x made, from its state: projects (old UID, stage, customer),
# files (project, folder, urls), the activity.
python3 - "$work/state-1x.json" "$work/records.json" <<'PY'
import json, sys
state = json.load(open(sys.argv[1]))
# The upgrade guide's map: each 1.x folder_id and the v1 folder it became.
folders = {"utility_bill": "utilityBill", "drivers_license": "identification", "materials": "material",
           "survey_photos": "siteSurvey", "engineering_plansets": "planset", "plansets": "planset",
           "permits": "permit", "interconnection": "interconnection", "interconnections": "interconnection",
           "insurance": "homeInsurance", "installation_photos": "installationPhoto",
           "internal_documents": "internal", "other_documents": "other", "contract": "contract"}
res = {r["address"]: r["values"] for r in state["values"]["root_module"]["resources"]}
projects, files = {}, []
for addr, v in res.items():
    if addr.startswith("pipesolar_project."):
        projects[addr.split(".")[1]] = {"uid": v["id"], "stage": v.get("project_stage"),
            "first_name": v["first_name"], "last_name": v["last_name"], "email": v["email"]}
for addr, v in res.items():
    if addr.startswith("pipesolar_project_stage."):
        for p in projects.values():
            if p["uid"] == v["project_id"]:
                p["stage"] = v["stage"]  # the stage resource moved it last
    if addr.startswith("pipesolar_project_file."):
        files.append({"name": addr.split(".")[1], "project_id": v["project_id"], "folder_id": v["folder_id"],
                      "folder": folders[v["folder_id"]], "file_urls": v["file_urls"]})
for name, p in projects.items():
    if not p["uid"] or not p["stage"]:
        sys.exit(f"1.x state: pipesolar_project.{name} has no id or stage: {p}")
json.dump({"projects": projects, "files": files,
           "activities": [a for a in res if a.startswith("pipesolar_activity.")]},
          open(sys.argv[2], "w"), indent=2)
for name, p in sorted(projects.items()):
    print(f"  pipesolar_project.{name}: old UID {p['uid']}, stage {p['stage']}")
for f in files:
    print(f"  pipesolar_project_file.{f['name']}: {len(f['file_urls'])} file(s) in {f['folder_id']} (v1: {f['folder']}) of {f['project_id']}")
PY

# ---------------------------------------------------------------------------
step "3/6 Starting the 2.x mock (Pipe API v1) holding the same records"
python3 - "$work/records.json" "$work/seed-v1.json" <<'PY'
import json, sys
rec = json.load(open(sys.argv[1]))
projects = []
for name, p in sorted(rec["projects"].items()):
    files = {}
    for f in rec["files"]:
        if f["project_id"] == p["uid"]:
            files.setdefault(f["folder"], []).extend(f["file_urls"])
    projects.append({"reference": p["uid"], "stage": p["stage"], "firstName": p["first_name"],
                     "lastName": p["last_name"], "email": p["email"], "files": files})
json.dump({"projects": projects}, open(sys.argv[2], "w"), indent=2)
PY
start_mock "$work/bin-2x/pipesolar-mockapi" "$work/mock-2x.env" \
  -quiet -seed "$work/seed-v1.json" -env-file "$work/mock-2x.env"
set -a
# shellcheck disable=SC1091
. "$work/mock-2x.env"
set +a
echo "v1 mock at $PIPESOLAR_BASE_URL, seeded with $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["projects"]))' "$work/seed-v1.json") projects"

# ---------------------------------------------------------------------------
# upgrade_config STYLE FILE: the 1.x configuration rewritten as the upgrade
# guide says, with the stage and file resources naming their project by
#   literal   its old UID, as the guide's examples do;
#   project   pipesolar_project.x.project_id, as the guide tells 1.x
#             configurations that referred to the projects they made;
#   id        pipesolar_project.x.id, kept from 1.x, which 2.x evaluates to
#             Pipe's new id (the guide: a plan of in-place updates of
#             project_id that write nothing).
upgrade_config() {
  python3 - "$1" "$work/records.json" "$2" <<'PY'
import json, sys
style, rec = sys.argv[1], json.load(open(sys.argv[2]))
uid = {name: p["uid"] for name, p in rec["projects"].items()}
def ref(project_uid):
    name = next(n for n, u in uid.items() if u == project_uid)
    return {"literal": '"%s"' % project_uid, "project": "pipesolar_project.%s.project_id" % name,
            "id": "pipesolar_project.%s.id" % name}[style]
out = ["""terraform {
  required_providers {
    pipesolar = {
      source = "pipesolar/pipesolar"
    }
  }
}

provider "pipesolar" {}

# 1.x created these projects; 2.x adopts them by their old UID.
resource "pipesolar_project" "lovelace" {
  project_id = "%s"
  stage      = "Proposal"
}

resource "pipesolar_project" "turing" {
  project_id = "%s"
}

resource "pipesolar_project_stage" "turing" {
  project_id = %s
  stage      = "Site Survey"
}
""" % (uid["lovelace"], uid["turing"], ref(uid["turing"]))]
for f in rec["files"]:
    urls = "\n".join('    { url = "%s" },' % u for u in f["file_urls"])
    out.append("""
resource "pipesolar_project_file" "%s" {
  project_id = %s
  folder     = "%s"
  files = [
%s
  ]
}
""" % (f["name"], ref(f["project_id"]), f["folder"], urls))
for a in rec["activities"]:
    out.append("""
# pipesolar_activity is deprecated: this block retires it, with no call.
removed {
  from = %s

  lifecycle {
    destroy = false
  }
}
""" % a)
open(sys.argv[3], "w").write("".join(out))
PY
  terraform fmt "$2" >/dev/null
}

# check_plan STYLE PLAN_JSON: the plan forgets each activity and changes
# nothing else; with STYLE "id", the stage and file resources may also be
# updated in place, in project_id (and the stage resource's id) only, from
# the old UID to the same project's Pipe id.
check_plan() {
  python3 - "$1" "$2" "$work/records.json" <<'PY'
import json, sys
style, plan, rec = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
pipe_id = {}  # old UID -> Pipe's id, as 2.x refreshed the projects
for r in plan["prior_state"]["values"]["root_module"]["resources"]:
    if r["type"] == "pipesolar_project":
        pipe_id[r["values"]["project_id"]] = r["values"]["id"]
expected_forget = set(rec["activities"])
problems, forgotten, kept, moved = [], set(), 0, []
for rc in plan.get("resource_changes", []):
    addr, ch = rc["address"], rc["change"]
    actions = ch["actions"]
    if actions == ["forget"] and addr in expected_forget:
        forgotten.add(addr)
    elif actions == ["no-op"] or (actions == ["read"] and rc.get("mode") == "data"):
        kept += 1
    elif style == "id" and actions == ["update"] and rc["type"] in ("pipesolar_project_stage", "pipesolar_project_file"):
        before, after, unknown = ch["before"], ch["after"], ch.get("after_unknown") or {}
        changed = sorted(k for k in set(before) | set(after) if unknown.get(k) or before.get(k) != after.get(k))
        allowed = ["id", "project_id"] if rc["type"] == "pipesolar_project_stage" else ["project_id"]
        old, new = before.get("project_id"), after.get("project_id")
        if set(changed) <= set(allowed) and pipe_id.get(old) == new and (
                "id" not in changed or (before["id"], after["id"]) == (old, new)):
            moved.append(addr)
        else:
            problems.append("%s: update of %s (project_id %s -> %s)" % (addr, ", ".join(changed), old, new))
    else:
        problems.append("%s: %s" % (addr, "/".join(actions)))
if expected_forget - forgotten:
    problems.append("not forgotten: " + ", ".join(sorted(expected_forget - forgotten)))
for p in problems:
    print("  unexpected:", p)
print("  plan JSON: %d unchanged; project_id old UID -> Pipe's id: %s; forgotten: %s" %
      (kept, ", ".join(moved) or "none", ", ".join(sorted(forgotten)) or "none"))
sys.exit(1 if problems else 0)
PY
}

# check_writes STYLE: the v1 mock received no write and no call to the
# retired API since its counts were reset.
check_writes() {
  curl -fsS "$PIPESOLAR_MOCK_URL/_mock/counts" >"$work/counts.json"
  if ! python3 - "$work/counts.json" <<'PY'; then
import json, sys
counts = json.load(open(sys.argv[1]))
print("  calls: " + (", ".join("%s (%d)" % (k, counts[k]) for k in sorted(counts)) or "none"))
writes = {k: n for k, n in counts.items() if n and (k.split(" ")[0] in ("POST", "PATCH", "PUT", "DELETE") or "/api/1.1/" in k)}
if writes:
    print("  writes or retired-API calls: " + ", ".join("%s (%d)" % kv for kv in sorted(writes.items())))
    sys.exit(1)
print("  no write (POST, PATCH) and no call to the retired API")
PY
    fail "$1: the upgrade wrote to the v1 API or called the retired API"
  fi
}

# check_upgrade STYLE: with a copy of the 1.x state, plan the configuration
# of STYLE with 2.x (check_plan), apply that plan, require an empty second
# plan and no write (check_writes).
check_upgrade() {
  local style=$1 dir="$work/$1" code
  mkdir -p "$dir"
  cp "$work/state-1x.tfstate" "$dir/terraform.tfstate"
  upgrade_config "$style" "$dir/main.tf"
  curl -fsS -X POST "$PIPESOLAR_MOCK_URL/_mock/reset-counts" >/dev/null
  echo "--- $style: the stage and file resources"
  sed -n '/^resource "pipesolar_project_stage"/,/^}/p; /^resource "pipesolar_project_file"/,/^}/p' "$dir/main.tf" | grep -E '^resource|project_id'
  echo "--- $style: terraform plan -detailed-exitcode"
  set +e
  (cd "$dir" && terraform plan -detailed-exitcode -no-color -out="$dir/upgrade.tfplan") >"$dir/plan-1.txt" 2>&1
  code=$?
  set -e
  grep -E '^Plan:|^No changes|no longer be managed|will be|must be|Error:' "$dir/plan-1.txt" || true
  if [[ $code -eq 1 ]]; then
    cat "$dir/plan-1.txt" >&2
    fail "$style: 2.x plan with the 1.x state failed (exit code 1)"
    return
  fi
  (cd "$dir" && terraform show -json "$dir/upgrade.tfplan") >"$dir/plan-1.json"
  if check_plan "$style" "$dir/plan-1.json"; then
    echo "  exit code $code: as expected"
  else
    sed -n '/^Terraform will perform/,$p' "$dir/plan-1.txt"
    fail "$style: 2.x plan with the 1.x state proposes changes the upgrade guide does not announce"
    return
  fi
  if [[ $style != id ]]; then
    grep -q '^Plan: 0 to add, 0 to change, 0 to destroy' "$dir/plan-1.txt" ||
      fail "$style: 2.x plan does not say \"Plan: 0 to add, 0 to change, 0 to destroy\""
  fi

  echo "--- $style: terraform apply of that plan, then terraform plan -detailed-exitcode"
  if ! (cd "$dir" && terraform apply -no-color "$dir/upgrade.tfplan") >"$dir/apply.txt" 2>&1; then
    cat "$dir/apply.txt" >&2
    fail "$style: applying the upgrade plan failed"
    return
  fi
  grep -E '^Apply complete' "$dir/apply.txt" || true
  set +e
  (cd "$dir" && terraform plan -detailed-exitcode -no-color) >"$dir/plan-2.txt" 2>&1
  code=$?
  set -e
  if [[ $code -eq 0 ]]; then
    grep -E '^No changes' "$dir/plan-2.txt"
    echo "  exit code 0"
  else
    sed -n '/^Terraform will perform/,$p' "$dir/plan-2.txt"
    fail "$style: the plan after the upgrade is not empty (terraform plan -detailed-exitcode exited $code)"
  fi
  check_writes "$style"
}

use_dev_overrides "$work/bin-2x"
step "4/6 2.x plan with the 1.x state: every project_id the old UID (the upgrade guide's examples)"
check_upgrade literal
step "5/6 The same with project_id = pipesolar_project.x.project_id (the guide, \"References between blocks\")"
check_upgrade project
step "6/6 The same with project_id = pipesolar_project.x.id kept from 1.x: in-place updates of project_id only, no write"
check_upgrade id

echo
if [[ ${#failures[@]} -eq 0 ]]; then
  echo "upgrade-check PASSED: 1.x ($from) state planned by 2.x three ways: no change but those the guide announces, the activity forgotten, no write."
else
  echo "upgrade-check FAILED:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
