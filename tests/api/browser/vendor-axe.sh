#!/usr/bin/env bash
# Brings axe-core (MPL-2.0), for the browser tests only, into
# tests/api/browser/axe.min.js: `npm pack` at a pinned version, the tarball
# checked against the registry's integrity hash. The result is committed;
# the tests need no Node. Run again only to change the version.
set -euo pipefail
cd "$(dirname "$0")"

VERSION=4.14.1
INTEGRITY=sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tarball=$(cd "$WORK" && npm pack --silent "axe-core@$VERSION")
actual="sha512-$(openssl dgst -sha512 -binary "$WORK/$tarball" | base64 -w0)"
if [[ "$actual" != "$INTEGRITY" ]]; then
  echo "axe-core: integrity $actual, expected $INTEGRITY" >&2
  exit 1
fi
tar xzf "$WORK/$tarball" -C "$WORK"
cp "$WORK/package/axe.min.js" axe.min.js
cp "$WORK/package/LICENSE" LICENSE-axe-core
echo "axe-core $VERSION" >AXE_VERSION
