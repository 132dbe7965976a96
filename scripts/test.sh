#!/usr/bin/env bash
# The test command (`make test`, and CI through .ci/run). Runs every step even
# when an earlier one fails, prints a summary, and exits non-zero if any step
# failed. The last line is `N passed, N failed`, counting steps.
#
#   scripts/test.sh              all steps
#   scripts/test.sh STEP...      only these steps (setup always runs), e.g.
#                                `scripts/test.sh wasm-test` or `scripts/test.sh build e2e`
#
# Steps: setup fmt clippy clippy-wasm host-test emulator-test endpoint-cases relay-hosts cfn-lint deploy docs wasm-test build e2e bench
#
# `docs` checks README.md and docs/*.md (tests/docs/): the e2e tests' contract
# names are in docs/contract.md, the commands shown exist, the links resolve.
#
# `bench` prints the size and browser benchmarks (scripts/bench-size.sh,
# scripts/bench-browser.mjs) of the release build for the log. It never fails
# on a figure, only when a benchmark cannot run at all.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
WASM=wasm32-unknown-unknown

only=("$@")
names=()
results=()
times=()
declare -A status

wanted() {
  [ "$1" = setup ] && return 0
  [ ${#only[@]} -eq 0 ] && return 0
  local s
  for s in "${only[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# step NAME COMMAND...: run, time and record one step
step() {
  local name="$1"
  shift
  wanted "$name" || return 0
  printf '\n==> [%s] %s\n' "$name" "$*"
  local start=$SECONDS rc
  "$@"
  rc=$?
  local took=$((SECONDS - start))
  names+=("$name")
  times+=("${took}s")
  if [ $rc -eq 0 ]; then
    results+=(PASS)
    status[$name]=pass
    printf '<== [%s] PASS (%ss)\n' "$name" "$took"
  else
    results+=("FAIL (exit $rc)")
    status[$name]=fail
    printf '<== [%s] FAIL (exit %s, %ss)\n' "$name" "$rc" "$took"
  fi
}

e2e() {
  if [ "${status[build]:-}" = fail ]; then
    echo "e2e: not run, the release build failed (dist/ would be stale)"
    return 1
  fi
  if [ ! -f dist/index.html ]; then
    echo "e2e: dist/index.html missing: run the build step"
    return 1
  fi
  timeout 1200 node --test --test-concurrency=1 tests/e2e/
}

bench() {
  if [ "${status[build]:-}" = fail ] || [ ! -f dist/index.html ]; then
    echo "bench: not run, no release build in dist/"
    return 1
  fi
  scripts/bench-size.sh && timeout 1500 node scripts/bench-browser.mjs
}

step setup scripts/setup.sh
step fmt cargo fmt --all --check -- --color never
step clippy cargo clippy --all-targets -- -D warnings
step clippy-wasm cargo clippy --all-targets --target "$WASM" -- -D warnings
# CI runs the property tests with a fixed seed so a submission's result is
# reproducible; locally every run explores new cases.
[ "${CI:-}" = true ] && export PROPTEST_RNG_SEED="${PROPTEST_RNG_SEED:-20261128}"
step host-test cargo test
step emulator-test "$PYTHON_VENV/bin/python" -m pytest emulator/tests -q
# the endpoint cases (tests/fixtures/endpoint-cases.json) are botocore's for the vendored rules
step endpoint-cases "$PYTHON_VENV/bin/python" scripts/gen-endpoint-cases.py --check
# the relay's allowlist (deploy/relay-hosts.txt, nginx-relay-hosts.map, the
# CloudFront Function and its copy in the template) is botocore's for the vendored rules
step relay-hosts "$PYTHON_VENV/bin/python" scripts/gen-relay-hosts.py --check
step cfn-lint "$LINT_VENV/bin/cfn-lint" deploy/cloudfront.yaml
# the CloudFront Function over every allowed and many hostile hosts; publish-s3.sh's order
step deploy node --test tests/deploy/
step docs node --test tests/docs/
step wasm-test timeout 1800 cargo test --target "$WASM"
step build trunk build --release
step e2e e2e
step bench bench

echo
echo "==> summary"
passed=0
failed=0
for i in "${!names[@]}"; do
  printf '  %-14s %-16s %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}"
  if [ "${results[$i]}" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
