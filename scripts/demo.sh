#!/usr/bin/env bash
# make demo: build the provider, start the bundled mock API on a free loopback
# port, apply examples/quickstart through Terraform with a dev_overrides CLI
# config, show the result, prove a second plan is empty, and clean up.
# Everything temporary lives in one directory that is removed on exit, and
# the mock is stopped however the script ends.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
setup_work demo

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

need_terraform 1.5

step "1/6 Building the provider and the mock API"
build_binaries

step "2/6 Starting the mock API on a free loopback port"
token="demo-token-$RANDOM$RANDOM"
secret="demo-secret-$RANDOM$RANDOM"
start_mock "$work/url" -listen 127.0.0.1:0 -quiet -url-file "$work/url" \
  -token "$token" -client-id demo-client -client-secret "$secret"
url=$(tr -d '[:space:]' <"$work/url")
echo "mock API at $url"

# Seed one existing project to read (the resource examples create their own).
seed=$(curl -fsS -X POST "$url/_mock/seed" -H 'Content-Type: application/json' \
  -d '{"org_id":"demo-org","installer_id":"demo-installer","count":1}')
project_id=$(printf '%s' "$seed" | sed -n 's/.*"ids":\["\([^"]*\)".*/\1/p')
[[ -n "$project_id" ]] || { echo "could not seed a project: $seed" >&2; exit 1; }

step "3/6 Pointing Terraform at the local build (dev_overrides)"
use_dev_overrides
cp -R "$root/examples/quickstart" "$work/quickstart"
export PIPESOLAR_BASE_URL="$url/api/1.1/wf" PIPESOLAR_API_TOKEN="$token"
export UPOWR_BASE_URL="$url/upowr" UPOWR_TOKEN_URL="$url/oauth/token"
export UPOWR_CLIENT_ID=demo-client UPOWR_CLIENT_SECRET="$secret"
export TF_VAR_existing_project_id="$project_id"
cd "$work/quickstart"

step "4/6 terraform apply examples/quickstart"
terraform apply -auto-approve

step "5/6 Outputs"
terraform output

step "6/6 A second plan must be empty"
set +e
terraform plan -detailed-exitcode -no-color >"$work/plan.txt" 2>&1
code=$?
set -e
if [[ $code -eq 0 ]]; then
  echo "No changes: the second plan is empty."
else
  cat "$work/plan.txt"
  echo "the second plan is not empty (exit code $code)" >&2
  exit 1
fi
echo
echo "Demo done; the mock API is stopped and $work is removed."
