#!/usr/bin/env bash
# The run command (`make run`): build the console with development defaults and
# serve it next to the local AWS emulator. Ctrl-C stops everything.
#
#   scripts/run.sh [--release] [--no-build]
#
#   --release   optimised build (slower to build; closer to what ships)
#   --no-build  serve the last build in target/dev-dist as it is
#
# Ports: PORT (emulator, default 4566), STATIC_PORT (page, default 8080).
# The build goes to target/dev-dist (never dist/, which is the release output):
# built with the cargo feature `dev-defaults`, the page reads ./dev-defaults.json
# (emulator endpoint + temporary credentials, written by the emulator to
# .run/dev-defaults.json, mode 0600) and starts ready to call the emulator.
# emulator/console-config.json is copied next to index.html as the site
# configuration (docs/site-config.md).
# The emulator's control API (/__emulator/*) needs the random token the
# emulator writes to .run/control-token (mode 0600), sent as X-Emulator-Token.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

PORT="${PORT:-4566}"
STATIC_PORT="${STATIC_PORT:-8080}"
DEV_DIST=target/dev-dist
release=()
build=1
for arg in "$@"; do
  case "$arg" in
    --release) release=(--release) ;;
    --no-build) build=0 ;;
    -h | --help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "run: unknown option $arg" >&2; exit 2 ;;
  esac
done

scripts/setup.sh

if [ $build = 1 ]; then
  echo "run: building with dev-defaults into $DEV_DIST"
  trunk build "${release[@]}" --features dev-defaults --dist "$DEV_DIST"
fi
[ -f "$DEV_DIST/index.html" ] || { echo "run: $DEV_DIST/index.html missing (build first)" >&2; exit 1; }
# The site configuration the page reads at start-up (docs/site-config.md),
# so a development build exercises it; credentials stay in dev-defaults.json.
cp emulator/console-config.json "$DEV_DIST/console-config.json"

for p in "$PORT" "$STATIC_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
    echo "run: port $p is in use (set PORT / STATIC_PORT, or stop what uses it)" >&2
    exit 1
  fi
done

mkdir -p .run
chmod 700 .run
rm -f .run/dev-defaults.json .run/control-token .run/emulator.out
emu_pid=
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$emu_pid" ] && kill -0 "$emu_pid" 2>/dev/null; then
    echo
    echo "run: stopping the emulator (pid $emu_pid)"
    kill -TERM "$emu_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$emu_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$emu_pid" 2>/dev/null || true
  fi
  rm -f .run/dev-defaults.json .run/control-token
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# stdout (the ready line) to a file; stderr (request log) to the terminal
"$PYTHON_VENV/bin/python" emulator/server.py --port "$PORT" --seed \
  --dev-defaults .run/dev-defaults.json --control-token-file .run/control-token \
  --static-dir "$DEV_DIST" --static-port "$STATIC_PORT" --static-prefix / --csp \
  >.run/emulator.out &
emu_pid=$!

for _ in $(seq 600); do
  grep -q '^emulator ready:' .run/emulator.out 2>/dev/null && break
  kill -0 "$emu_pid" 2>/dev/null || { echo "run: the emulator exited before it was ready" >&2; exit 1; }
  sleep 0.1
done
grep -q '^emulator ready:' .run/emulator.out || { echo "run: the emulator was not ready after 60 s" >&2; exit 1; }

cat <<EOF

  AgentCore console (development build, local emulator)
  open:      http://127.0.0.1:$STATIC_PORT/
  emulator:  http://127.0.0.1:$PORT  (moto behind a SigV4-checking proxy;
             NOT AWS: nothing leaves this machine; a sample runtime is seeded)
  The page loads temporary emulator credentials from ./dev-defaults.json.
  Control API (/__emulator/*, see emulator/README.md):
    curl -H "X-Emulator-Token: \$(cat .run/control-token)" http://127.0.0.1:$PORT/__emulator/config
  Ctrl-C stops it. Emulator request log follows.

EOF
wait "$emu_pid"
