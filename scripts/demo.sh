#!/usr/bin/env bash
# make demo: build the provider and the mock API, start the mock (Pipe API v1
# and UPowr) on a free loopback port seeded with a company whose project was
# sold in the app, apply examples/quickstart through Terraform with a
# dev_overrides CLI config (no `terraform init`), show the result, prove a
# second plan is empty, and clean up. Everything temporary lives in one
# directory that is removed on exit, and the mock is stopped however the
# script ends.
set -euo pipefail

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
setup_work demo

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

need_terraform 1.5
seed="$root/examples/quickstart/tests/mock-org.json"
# The project the seed holds, by the old 10-character reference it had
# before Pipe API v1: v1 still resolves it.
project_id=D4YR1VSK7K

step "1/7 Building the provider and the mock API"
build_binaries "$root" "$work/bin"

step "2/7 Starting the mock API (Pipe API v1 + UPowr) on a free loopback port"
start_mock "$work/bin/pipesolar-mockapi" "$work/mock.env" -listen 127.0.0.1:0 -quiet -seed "$seed" -env-file "$work/mock.env"
set -a
# shellcheck disable=SC1091
. "$work/mock.env"
set +a
echo "mock API at $PIPESOLAR_MOCK_URL, seeded from ${seed#"$root"/}"
echo "project $project_id as v1 answers it (GET /v1/projects/$project_id):"
curl -fsS -H "Authorization: Bearer $PIPESOLAR_API_TOKEN" "$PIPESOLAR_BASE_URL/projects/$project_id" |
  grep -o '"\(id\|reference\)": *"[^"]*"\|"stage": *{[^}]*}' | head -3 | sed 's/^/  /'

step "3/7 Pointing Terraform at the local build (dev_overrides)"
use_dev_overrides "$work/bin"
cp -R "$root/examples/quickstart" "$work/quickstart"
export TF_VAR_project_id="$project_id"
cd "$work/quickstart"
echo "TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE; no terraform init"
curl -fsS -X POST "$PIPESOLAR_MOCK_URL/_mock/reset-counts" >/dev/null

step "4/7 terraform apply examples/quickstart"
terraform apply -auto-approve

step "5/7 Outputs"
terraform output

step "6/7 A second plan must be empty"
set +e
terraform plan -detailed-exitcode -no-color >"$work/plan.txt" 2>&1
code=$?
set -e
if [[ $code -ne 0 ]]; then
  cat "$work/plan.txt"
  echo "the second plan is not empty (terraform plan -detailed-exitcode exited $code)" >&2
  exit 1
fi
grep -E '^No changes' "$work/plan.txt"
echo "terraform plan -detailed-exitcode exited 0."

step "7/7 Calls the mock API received (Pipe API v1 allows 100 a minute per key)"
curl -fsS "$PIPESOLAR_MOCK_URL/_mock/counts" | sed 's/^{//; s/}$//; s/,"/\n"/g' | sed 's/^"\(.*\)":\([0-9]*\)$/  \2  \1/'
echo
echo "Demo done; the mock API is stopped and $work is removed."
