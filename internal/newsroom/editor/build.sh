#!/usr/bin/env bash
# Bundles the visual editor (src/editor.js and the exact npm packages of
# package-lock.json) into ../static/editor.js, the one file the newsroom
# serves. Run it after changing src/ or package.json; commit both. CI runs
# it again and fails if the committed bundle differs.
#
#   ./build.sh          install the locked packages when missing, then bundle
#
# The output is the same on every machine: esbuild is pinned, no source
# map or build time is written, and paths in comments are relative.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/esbuild ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --ignore-scripts
fi
node_modules/.bin/esbuild src/editor.js \
  --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --charset=utf8 --log-level=warning \
  --outfile=../static/editor.js
