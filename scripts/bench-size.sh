#!/usr/bin/env bash
# Size benchmark of the release build (a report, not a test: always exits 0
# unless the build itself fails).
#
#   scripts/bench-size.sh [--build]
#
# Builds dist/ with `trunk build --release` if it is missing (or with --build),
# then prints each file's raw and brotli (-q 11) size, the total brotli size
# against the budget (BUDGET_BYTES, default 170 KB = 170000 bytes), and the top
# 25 contributors to the .wasm by `twiggy top`. Trunk's .wasm carries no names,
# so twiggy looks at a copy made from the same cargo output with the same
# wasm-bindgen and `wasm-opt -Oz` steps but `-g` (names kept): its sizes are
# within a few percent of the shipped file's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

BUDGET_BYTES="${BUDGET_BYTES:-170000}"
build=0
[ "${1:-}" = --build ] && build=1

scripts/setup.sh >/dev/null
if ! command -v twiggy >/dev/null; then
  echo "bench-size: installing twiggy (cargo install, a few minutes)"
  cargo install --locked twiggy
fi

if [ $build = 1 ] || [ ! -f dist/index.html ]; then
  trunk build --release
fi

echo
echo "== dist/ (raw and brotli -q 11)"
printf '%-52s %10s %10s\n' file raw brotli
total_raw=0
total_br=0
while IFS= read -r -d '' f; do
  raw=$(stat -c %s "$f")
  br=$(brotli -q 11 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_br=$((total_br + br))
  printf '%-52s %10d %10d\n' "${f#dist/}" "$raw" "$br"
done < <(find dist -type f ! -path 'dist/.stage/*' -print0 | sort -z)
printf '%-52s %10d %10d\n' TOTAL "$total_raw" "$total_br"
if [ "$total_br" -le "$BUDGET_BYTES" ]; then verdict=PASS; else verdict=OVER; fi
awk -v t="$total_br" -v b="$BUDGET_BYTES" -v v="$verdict" \
  'BEGIN { printf "\nbrotli total %d bytes (%.1f KB) vs budget %d bytes (%.1f KB): %s\n", t, t / 1000, b, b / 1000, v }'

# --- names for twiggy -----------------------------------------------------------
raw_wasm=target/wasm32-unknown-unknown/release/agentcore-console.wasm
if [ ! -f "$raw_wasm" ]; then
  echo "bench-size: $raw_wasm missing (run with --build)"
  exit 0
fi
out=target/bench-size
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name named "$raw_wasm"
wasm-opt -Oz -g "$out/named_bg.wasm" -o "$out/named-opt.wasm"
shipped=$(find dist -maxdepth 1 -name '*_bg.wasm' | head -1)
echo
echo "== twiggy top -n 25 (copy with names: $out/named-opt.wasm, $(stat -c %s "$out/named-opt.wasm") bytes incl. names;" \
  "shipped ${shipped#dist/}: $(stat -c %s "$shipped") bytes)"
twiggy top -n 25 "$out/named-opt.wasm"
exit 0
