#!/usr/bin/env bash
# Brings GOV.UK Frontend and MOJ Frontend (both MIT) into src/web/assets/vendor/
# as precompiled CSS and JavaScript. The result is committed: neither building
# nor running Convene needs Node. Run it again only to change a version.
#
# Each package is fetched with `npm pack` at a pinned version, its tarball
# checked against the registry's integrity hash, and its files patched:
# Convene is not a GOV.UK service, so the GDS Transport font (its
# @font-face rules and its name in font stacks) is taken out, leaving Arial
# and the system stack, and the source-map comments go with the maps.
set -euo pipefail
cd "$(dirname "$0")"

GOVUK_VERSION=6.6.0
GOVUK_INTEGRITY=sha512-xctkWrQvLnvQt7fyjQ3MGX9S0wz0x0RQuLxCeoXF+s8EjGICG81/DYQGKN5qgO+0KVT12UAaRwUsGY6fulRcRg==
MOJ_VERSION=11.1.0
MOJ_INTEGRITY=sha512-1bkUbm2M4DpcpX/pOmumQRBsbJco9W2RwmJv5h/ZC/ZqrAOn2/FjpF+A7vS0gs7oMXBizr9O5huDrSYbLx73Nw==

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fetch() {
  local spec=$1 integrity=$2
  local tarball
  tarball=$(cd "$WORK" && npm pack --silent "$spec")
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$tarball" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "$spec: integrity $actual, expected $integrity" >&2
    exit 1
  fi
  mkdir -p "$WORK/${tarball%.tgz}"
  tar xzf "$WORK/$tarball" -C "$WORK/${tarball%.tgz}"
  echo "$WORK/${tarball%.tgz}/package"
}

# No GDS Transport: drop its @font-face rules and its name from font stacks;
# no source maps.
patch_css() {
  sed -E \
    -e 's/@font-face\{font-family:GDS Transport;[^}]*\}//g' \
    -e 's/"?GDS Transport"?,//g' \
    -e 's#/\*\# sourceMappingURL=[^*]*\*/##g' \
    "$1"
}
patch_js() {
  sed -E -e 's#//\# sourceMappingURL=.*$##' "$1"
}

govuk=$(fetch "govuk-frontend@$GOVUK_VERSION" "$GOVUK_INTEGRITY")
moj=$(fetch "@ministryofjustice/frontend@$MOJ_VERSION" "$MOJ_INTEGRITY")

out=vendor
rm -rf "$out"
mkdir -p "$out"
patch_css "$govuk/dist/govuk/govuk-frontend.min.css" >"$out/govuk-frontend.min.css"
patch_js "$govuk/dist/govuk/govuk-frontend.min.js" >"$out/govuk-frontend.min.js"
patch_css "$moj/moj/moj-frontend.min.css" >"$out/moj-frontend.min.css"
patch_js "$moj/moj/moj-frontend.min.js" >"$out/moj-frontend.min.js"
# The expected HTML of each component Convene ports to askama, which the
# ports are tested against (src/web/components.rs).
rm -rf fixtures
mkdir -p fixtures
for component in button error-summary input skip-link tag; do
  cp "$govuk/dist/govuk/components/$component/fixtures.json" "fixtures/$component.json"
done

# The packages carry no licence file; their package.json names the licence.
licence() { grep -m1 '"license"' "$1/package.json" | sed -E 's/.*"license": *"([^"]*)".*/\1/'; }
{
  echo "Vendored by vendor.sh, patched as it says (no GDS Transport, no source maps)."
  echo "govuk-frontend $GOVUK_VERSION, licence $(licence "$govuk"), © Crown copyright"
  echo "@ministryofjustice/frontend $MOJ_VERSION, licence $(licence "$moj"), © Crown copyright"
} >"$out/NOTICE"

if grep -q "GDS Transport" "$out"/*.css; then
  echo "GDS Transport is still named in the CSS" >&2
  exit 1
fi
wc -c "$out"/*.css "$out"/*.js
