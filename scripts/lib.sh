# shellcheck shell=bash
# Shared by demo.sh, test-examples.sh and upgrade-check.sh (sourced, not
# run): one temporary directory removed on exit, the provider and the mock
# API built into it, mock APIs started in the background and stopped however
# the script ends, and CLI configurations whose dev_overrides serve the
# provider from a directory of it. The sourcing script sets
# `set -euo pipefail` first.

# shellcheck disable=SC2034 # used by the scripts that source this file
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mock_pid=""
mock_pids=()

# setup_work NAME: create $work and remove it (and stop the mocks) on exit.
setup_work() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/pipesolar-$1.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

cleanup() {
  local pid
  for pid in "${mock_pids[@]}"; do
    stop_mock "$pid"
  done
  rm -rf "$work"
}

# need_terraform VERSION: fail unless terraform is on PATH.
need_terraform() {
  command -v terraform >/dev/null || { echo "terraform is not on PATH; install Terraform >= $1" >&2; exit 1; }
}

# build_binaries SRC DIR: the provider and the mock API of the source tree
# SRC into DIR.
build_binaries() {
  local src=$1 dir=$2
  mkdir -p "$dir"
  (cd "$src" && go build -o "$dir/terraform-provider-pipesolar" . && go build -o "$dir/pipesolar-mockapi" ./cmd/pipesolar-mockapi)
}

# start_mock BIN FILE ARGS...: start the mock API BIN with ARGS, wait until
# it has written FILE (its -url-file or -env-file), and set mock_pid. Its
# log is a mock.*.log file in $work.
start_mock() {
  local bin=$1 file=$2 log
  shift 2
  log=$(mktemp "$work/mock.XXXXXX.log")
  "$bin" "$@" >"$log" 2>&1 &
  mock_pid=$!
  mock_pids+=("$mock_pid")
  for _ in $(seq 1 100); do
    [[ -s "$file" ]] && return 0
    kill -0 "$mock_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the mock API did not start" >&2
  cat "$log" >&2
  exit 1
}

# stop_mock PID: stop a mock this script started and wait for it.
stop_mock() {
  if kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}

# use_dev_overrides DIR: point Terraform at the provider in DIR.
use_dev_overrides() {
  local dir=$1 rc
  rc="$dir/dev.tfrc"
  cat >"$rc" <<TFRC
provider_installation {
  dev_overrides {
    "registry.terraform.io/pipesolar/pipesolar" = "$dir"
  }
  direct {}
}
TFRC
  # CHECKPOINT_DISABLE: no version check against HashiCorp from a demo or a test.
  export TF_CLI_CONFIG_FILE="$rc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
}
