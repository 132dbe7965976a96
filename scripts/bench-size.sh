#!/usr/bin/env bash
# Size benchmark of the release build (a report: exits 0 unless a build itself
# fails, or --budget is given and the total is over it).
#
#   scripts/bench-size.sh [--build] [--floor] [--budget KB]
#
# Builds dist/ with `trunk build --release` if it is missing (or with --build),
# then prints each file's raw and brotli (-q 11) size, the total brotli size
# against the budget (--budget KB, e.g. `--budget 250` = 250000 bytes; else
# BUDGET_BYTES, default 250000; only --budget makes an overrun fail), the .wasm's
# code/data split and its biggest contributors by crate and by function
# (`twiggy`). Trunk's .wasm carries no names, so twiggy looks at a copy made
# from the same cargo output with the same wasm-bindgen and `wasm-opt -Oz`
# steps (plus index.html's data-wasm-opt-params) but `-g` (names kept): its
# sizes are within a few percent of the shipped file's.
#
# --floor also builds scripts/size-floor (the smallest page on the same stack)
# three ways and prints their brotli sizes: what the stack costs before any of
# the console's own code (about 2 minutes per variant on 2 cores).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

BUDGET_BYTES="${BUDGET_BYTES:-250000}"
build=0
floor=0
enforce=0
usage="usage: scripts/bench-size.sh [--build] [--floor] [--budget KB]"
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --floor) floor=1 ;;
    --budget)
      [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "$usage" >&2; exit 2; }
      BUDGET_BYTES=$(($2 * 1000))
      enforce=1
      shift
      ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done

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
# the exit status: 1 only with --budget and an overrun
finish() {
  if [ $enforce = 1 ] && [ "$verdict" = OVER ]; then
    echo "bench-size: brotli total $total_br bytes is over the --budget of $BUDGET_BYTES bytes" >&2
    exit 1
  fi
  exit 0
}

# --- names for twiggy -----------------------------------------------------------
# the build directory: cargo's (CARGO_TARGET_DIR when set)
build_dir="${CARGO_TARGET_DIR:-target}"
raw_wasm=$build_dir/wasm32-unknown-unknown/release/agentcore-console.wasm
if [ ! -f "$raw_wasm" ]; then
  echo "bench-size: $raw_wasm missing (run with --build)"
  finish
fi
out=$build_dir/bench-size
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name named "$raw_wasm"
# the same extra passes as Trunk's (index.html's data-wasm-opt-params)
read -ra opt_params <<<"$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
wasm-opt -Oz -g "$out/named_bg.wasm" -o "$out/named-opt.wasm" "${opt_params[@]}"
shipped=$(find dist -maxdepth 1 -name '*_bg.wasm' | head -1)
echo
echo "== contributors (copy with names: $out/named-opt.wasm; shipped ${shipped#dist/}: $(stat -c %s "$shipped") bytes)"
twiggy top -n 100000 -f csv "$out/named-opt.wasm" >"$out/top.csv"
python3 scripts/wasm-contributors.py "$out/named-opt.wasm" "$out/top.csv" 30
echo
echo "== twiggy top -n 20 (biggest single items)"
twiggy top -n 20 "$out/named-opt.wasm"

# --- the stack's floor -----------------------------------------------------------
if [ $floor = 1 ]; then
  echo
  echo "== size floor: scripts/size-floor built with the console's profile, wasm-bindgen and wasm-opt -Oz"
  printf '%-58s %10s %10s %10s\n' variant wasm-raw wasm-br js-br
  cp Cargo.lock scripts/size-floor/Cargo.lock
  # "cargo features|label" per variant
  for variant in "|leptos" "sign|leptos + aws-sigv4 + gloo-net" \
    "sign json|leptos + aws-sigv4 + gloo-net + serde_json"; do
    features="${variant%%|*}"
    label="${variant#*|}"
    (cd scripts/size-floor &&
      CARGO_TARGET_DIR="$ROOT/target/size-floor" cargo build --offline --quiet --release \
        --target wasm32-unknown-unknown --features "$features")
    fout="$out/floor"
    rm -rf "$fout" && mkdir -p "$fout"
    wasm-bindgen --target web --no-typescript --out-dir "$fout" --out-name floor \
      target/size-floor/wasm32-unknown-unknown/release/size-floor.wasm
    wasm-opt -Oz "$fout/floor_bg.wasm" -o "$fout/floor-opt.wasm"
    printf '%-58s %10d %10d %10d\n' "$label" "$(stat -c %s "$fout/floor-opt.wasm")" \
      "$(brotli -q 11 -c "$fout/floor-opt.wasm" | wc -c)" "$(brotli -q 11 -c "$fout/floor.js" | wc -c)"
  done
fi
finish
