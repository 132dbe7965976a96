#!/usr/bin/env bash
# Uploads the release build (dist/, from `make build`) to s3://BUCKET/PREFIX
# in an order that never serves a broken page:
#   1. the content-hashed files (everything but index.html), cached for a
#      year, the .wasm as application/wasm; nothing is deleted yet, so the
#      index.html being served keeps finding the files it names;
#   2. index.html (Cache-Control: no-cache), which names the new files;
#   3. the files no longer in dist/ (the previous build's) are deleted.
# console-config.json (docs/deploy.md) is never uploaded, replaced or
# deleted here.
#
#   deploy/publish-s3.sh BUCKET [PREFIX]     e.g. deploy/publish-s3.sh my-bucket
#                                            or   deploy/publish-s3.sh my-bucket tools/console
# DIST=path overrides dist/. Needs the AWS CLI (`aws`) with credentials.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ] || [ -z "$1" ]; then
  echo "usage: $0 BUCKET [PREFIX]" >&2
  exit 2
fi
bucket="$1"
prefix="${2:-}"
prefix="${prefix#/}"
prefix="${prefix%/}"
dist="${DIST:-dist}"
if [ ! -f "$dist/index.html" ]; then
  echo "$dist/index.html missing: run \`make build\` first" >&2
  exit 1
fi
dest="s3://$bucket/${prefix:+$prefix/}"
keep=(--exclude index.html --exclude console-config.json)
immutable="public,max-age=31536000,immutable"

aws s3 sync "$dist/" "$dest" "${keep[@]}" --exclude '*.wasm' --cache-control "$immutable"
aws s3 sync "$dist/" "$dest" --exclude '*' --include '*.wasm' --cache-control "$immutable" \
  --content-type application/wasm
aws s3 cp "$dist/index.html" "${dest}index.html" --cache-control no-cache \
  --content-type "text/html; charset=utf-8"
aws s3 sync "$dist/" "$dest" "${keep[@]}" --delete --cache-control "$immutable" --size-only
