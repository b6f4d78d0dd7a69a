#!/usr/bin/env bash
# make test-examples: run the `terraform test` files of examples/quickstart
# (tests/*.tftest.hcl) with the provider built from this tree, against the
# bundled mock API started from examples/quickstart/tests/mock-org.json —
# the way docs/guides/testing.md tells users to run them against the
# released mock. No `terraform init`: dev_overrides serves the provider and
# `terraform test` needs nothing else. Everything temporary lives in one
# directory that is removed on exit, and the mock is stopped however the
# script ends.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipesolar-test-examples.XXXXXX")
mock_pid=""

cleanup() {
  if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

command -v terraform >/dev/null || { echo "terraform is not on PATH; install Terraform >= 1.7" >&2; exit 1; }

mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/terraform-provider-pipesolar" . && go build -o "$work/bin/pipesolar-mockapi" ./cmd/pipesolar-mockapi)

"$work/bin/pipesolar-mockapi" -quiet -seed-file "$root/examples/quickstart/tests/mock-org.json" \
  -env-file "$work/mock.env" >"$work/mock.log" 2>&1 &
mock_pid=$!
for _ in $(seq 1 100); do
  [[ -s "$work/mock.env" ]] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s "$work/mock.env" ]] || { echo "the mock API did not start" >&2; cat "$work/mock.log" >&2; exit 1; }
set -a
# shellcheck disable=SC1091
. "$work/mock.env"
set +a

cat >"$work/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/pipesolar/pipesolar" = "$work/bin"
  }
  direct {}
}
TFRC
export TF_CLI_CONFIG_FILE="$work/dev.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0

# A copy, so that no test state or lock file lands in the tree.
cp -R "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
echo "terraform test in examples/quickstart against the mock API at $PIPESOLAR_MOCK_URL"
terraform test -no-color
