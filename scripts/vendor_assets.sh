#!/usr/bin/env bash
# Fetch the dashboard's front-end files from the npm registry into the package's static folder.
#
# Atrocity Watch serves every script and map from its own static files (no CDN: many users are on
# closed networks). This script is how those files were obtained, so anyone can redo it and
# check that nothing was altered:
#
#   scripts/vendor_assets.sh           fetch, verify and (re)write src/atrocity_watch/web/static/vendor/
#   scripts/vendor_assets.sh --check   only verify the files already there against the checksums below
#
# Each package is downloaded with `npm pack` (which checks the registry's sha512 integrity); the
# tarball's integrity is compared with the value recorded here, and every vendored file's SHA-256
# too. To upgrade a package: change its version, run the script with UPDATE_CHECKSUMS=1, read
# the printed checksums into this file, test the pages in a browser, and commit everything.
#
# Versions: vega-lite stays on 6.4.x because 6.5 needs Node 22 (this project's machines have
# Node 20; see PITFALLS). htmx stays on the 2.x line: 4.x is a rewrite with other defaults.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/atrocity_watch/web/static/vendor"
CHECK_ONLY=0
[ "${1:-}" = "--check" ] && CHECK_ONLY=1

# package  version  registry integrity (sha512 of the tarball, as npm publishes it)
PACKAGES=(
  "vega 6.4.0 sha512-rHXCq2LpEWCLMjXBEj7hocY9G0/i5TGYRayGGSj06VTF4+l2IG2Z7oeZKCjWbUh/7hTE/mVhbaOPB72wCElh6g=="
  "vega-lite 6.4.1 sha512-KO3ybHNouRK4A0al/+2fN9UqgTEfxrd/ntGLY933Hg5UOYotDVQdshR3zn7OfXwQ7uj0W96Vfa5R+QxO8am3IQ=="
  "vega-embed 7.3.0 sha512-wQ8s5GaSzqoKgmRfbRolgBrjE2CP7ZKHXqH7NijxMqPjpdWxSs4Dn8tvp9g0giQvh2cK+3p56sxjWWM0wNngGw=="
  "vega-interpreter 2.3.2 sha512-JDAoi3taFcCDLujZG84TNNUXdkAZ5WsSHssx8lWVYaxb9Slsjk7v7PtRIYXpSlUwLaKGRBqoJ9KDs36Z0eMEIw=="
  "world-atlas 2.0.2 sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
  "htmx.org 2.0.11 sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
)

# package  file inside the tarball  -> vendored path (under $DEST)
FILES=(
  "vega package/build/vega.min.js vega/vega.min.js"
  "vega package/LICENSE vega/LICENSE"
  "vega-lite package/build/vega-lite.min.js vega-lite/vega-lite.min.js"
  "vega-lite package/LICENSE vega-lite/LICENSE"
  "vega-embed package/build/vega-embed.min.js vega-embed/vega-embed.min.js"
  "vega-embed package/LICENSE vega-embed/LICENSE"
  "vega-interpreter package/build/vega-interpreter.js vega-interpreter/vega-interpreter.js"
  "vega-interpreter package/LICENSE vega-interpreter/LICENSE"
  "world-atlas package/countries-110m.json world-atlas/countries-110m.json"
  "world-atlas package/LICENSE world-atlas/LICENSE"
  "htmx.org package/dist/htmx.min.js htmx/htmx.min.js"
  "htmx.org package/LICENSE htmx/LICENSE"
)

# SHA-256 of every vendored file as it is served (after the one rewrite described below).
CHECKSUMS="$(cat <<'EOF'
d3d2456f76414f2456104660ebd65aff1c04cd7966b942bdabd63f3cdb316a38  htmx/LICENSE
d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717  htmx/htmx.min.js
32df67148f0fc3db0eb9e263a7b75d07f1eb14c61955005a4a39c6918d10d137  vega-embed/LICENSE
b1455caba2fb1a72fb46025ba0ba1316e2dbc7f0dd40a3f6040172bf9c08ba91  vega-embed/vega-embed.min.js
63727832aaf62004a2b249c933e327f3c90caf49e41a72f4bf436edf632cbda8  vega-interpreter/LICENSE
c9515fbd1270bd3a1a91c43b759ab980e4733307c4ce69a9ebaa3691e04d94b8  vega-interpreter/vega-interpreter.js
469891af309abd7d62bc08614ee9e71f13b3358e7df015e05f46ec087a34205f  vega-interpreter/vega-util-global.js
f618900fd0d64046963b29f40590cdd1e341a2f41449f99110d82fd81fea808c  vega-lite/LICENSE
6d5035fdd429b4bc6f91f3754426c3f516f3dbd8e08b105cfc2496bed4ebd254  vega-lite/vega-lite.min.js
63727832aaf62004a2b249c933e327f3c90caf49e41a72f4bf436edf632cbda8  vega/LICENSE
8f6a3587cf8d4f42c7e08120e3eb05d067e746d554e39d2dcf52acc0bd5ba28f  vega/vega.min.js
8048290dfdb6e83fbed17e8985c8cfc4ce9da9b842642f3d3e497280790cfa31  world-atlas/LICENSE
2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8  world-atlas/countries-110m.json
EOF
)"

verify() {
  local failed=0
  while read -r sum path; do
    [ -z "$sum" ] && continue
    if [ ! -f "$DEST/$path" ]; then
      echo "missing: $DEST/$path" >&2; failed=1; continue
    fi
    actual="$(sha256sum "$DEST/$path" | cut -d' ' -f1)"
    if [ "$actual" != "$sum" ]; then
      echo "changed: $path (sha256 $actual, expected $sum)" >&2; failed=1
    fi
  done <<< "$CHECKSUMS"
  return $failed
}

if [ "$CHECK_ONLY" = 1 ]; then
  verify && echo "vendored files match their recorded checksums"
  exit $?
fi

command -v npm >/dev/null || { echo "npm is needed (Debian: apt-get install npm)" >&2; exit 2; }
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

for entry in "${PACKAGES[@]}"; do
  read -r name version integrity <<< "$entry"
  echo "== $name@$version"
  (cd "$WORK" && npm pack --silent "$name@$version" >/dev/null)
  tarball="$(ls "$WORK"/"${name}"-"${version}".tgz)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [ "${UPDATE_CHECKSUMS:-0}" != 1 ] && [ "$actual" != "$integrity" ]; then
    echo "integrity of $name@$version is $actual, expected $integrity: refusing to vendor it" >&2
    exit 1
  fi
  [ "${UPDATE_CHECKSUMS:-0}" = 1 ] && echo "   integrity $actual"
  mkdir -p "$WORK/$name"
  tar xzf "$tarball" -C "$WORK/$name"
done

for entry in "${FILES[@]}"; do
  read -r name inner target <<< "$entry"
  mkdir -p "$(dirname "$DEST/$target")"
  cp "$WORK/$name/$inner" "$DEST/$target"
done

# vega-interpreter ships only as an ES module importing three helpers from 'vega-util'. The pages
# load vega as a classic script (which puts those helpers on `window.vega`), so the one bare import
# is pointed at a three-line shim that re-exports them; nothing else in the file changes.
sed -i "s#from 'vega-util';#from './vega-util-global.js';#" "$DEST/vega-interpreter/vega-interpreter.js"
grep -q "from './vega-util-global.js';" "$DEST/vega-interpreter/vega-interpreter.js" \
  || { echo "vega-interpreter's import of vega-util was not found: check the new version" >&2; exit 1; }
cat > "$DEST/vega-interpreter/vega-util-global.js" <<'EOF'
// Written by scripts/vendor_assets.sh: the helpers vega-interpreter imports from 'vega-util',
// taken from the vega build already loaded on the page (vega.min.js bundles vega-util).
const vega = globalThis.vega;
export const ascending = vega.ascending;
export const isString = vega.isString;
export const DisallowedObjectProperties = vega.DisallowedObjectProperties;
EOF

if [ "${UPDATE_CHECKSUMS:-0}" = 1 ]; then
  echo "== SHA-256 of the vendored files (paste into CHECKSUMS)"
  (cd "$DEST" && find . -type f ! -name README.md | sed 's#^\./##' | sort | xargs sha256sum)
  exit 0
fi
verify
echo "vendored into $DEST; see $DEST/README.md for versions and licences"
