# Shared by demo.sh and test-examples.sh (sourced, not run): one temporary
# directory removed on exit, the provider and the mock API built into it,
# the mock started in the background and stopped however the script ends,
# and a CLI configuration whose dev_overrides serve the provider from it.
# The sourcing script sets `set -euo pipefail` first.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mock_pid=""

# setup_work NAME: create $work and remove it (and stop the mock) on exit.
setup_work() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/pipesolar-$1.XXXXXX")
  trap cleanup EXIT INT TERM
}

cleanup() {
  if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
    kill "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

# need_terraform VERSION: fail unless terraform is on PATH.
need_terraform() {
  command -v terraform >/dev/null || { echo "terraform is not on PATH; install Terraform >= $1" >&2; exit 1; }
}

# build_binaries: the provider and the mock API into $work/bin.
build_binaries() {
  mkdir -p "$work/bin"
  (cd "$root" && go build -o "$work/bin/terraform-provider-pipesolar" . && go build -o "$work/bin/pipesolar-mockapi" ./cmd/pipesolar-mockapi)
}

# start_mock FILE ARGS...: start the mock API with ARGS and wait until it
# has written FILE (its -url-file or -env-file).
start_mock() {
  local file=$1
  shift
  "$work/bin/pipesolar-mockapi" "$@" >"$work/mock.log" 2>&1 &
  mock_pid=$!
  for _ in $(seq 1 100); do
    [[ -s "$file" ]] && return 0
    kill -0 "$mock_pid" 2>/dev/null || { cat "$work/mock.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the mock API did not start" >&2
  cat "$work/mock.log" >&2
  exit 1
}

# use_dev_overrides: point Terraform at the provider in $work/bin.
use_dev_overrides() {
  cat >"$work/dev.tfrc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/pipesolar/pipesolar" = "$work/bin"
  }
  direct {}
}
TFRC
  export TF_CLI_CONFIG_FILE="$work/dev.tfrc" TF_IN_AUTOMATION=1 TF_INPUT=0
}
