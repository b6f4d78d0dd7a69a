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

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
setup_work test-examples
need_terraform 1.7
build_binaries "$root" "$work/bin"
start_mock "$work/bin/pipesolar-mockapi" "$work/mock.env" -quiet -seed "$root/examples/quickstart/tests/mock-org.json" -env-file "$work/mock.env"
set -a
# shellcheck disable=SC1091
. "$work/mock.env"
set +a

use_dev_overrides "$work/bin"

# A copy, so that no test state or lock file lands in the tree.
cp -R "$root/examples/quickstart" "$work/quickstart"
cd "$work/quickstart"
echo "terraform test in examples/quickstart against the mock API at $PIPESOLAR_MOCK_URL"
terraform test -no-color
