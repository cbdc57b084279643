#!/usr/bin/env bash
# Fetches the official JSON-Schema-Test-Suite (drafts 2020-12 and 7, and the remote documents
# its $ref tests load) into tests/.cache/json-schema-suite/, for core/tests/json_schema_suite.rs.
# The suite ships inside the `jsonschema` sdist on PyPI, a registry this project can reach;
# the archive is pinned by its sha256. Idempotent: does nothing when the folder is there.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=tests/.cache/json-schema-suite
if [ -d "$dest/draft2020-12" ] && [ -d "$dest/draft7" ] && [ -d "$dest/remotes" ]; then
  exit 0
fi

url=https://files.pythonhosted.org/packages/b3/fc/e067678238fa451312d4c62bf6e6cf5ec56375422aee02f9cb5f909b3047/jsonschema-4.26.0.tar.gz
sha256=0c26707e2efad8aa1bfc5b7ce170f3fccc2e4918ff85989ba9ffa9facb2be326
top=jsonschema-4.26.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "[fetch-json-schema-suite] downloading jsonschema 4.26.0 sdist"
curl -fsSL --retry 3 -o "$work/suite.tar.gz" "$url"
echo "$sha256  $work/suite.tar.gz" | sha256sum -c --quiet -
tar -xzf "$work/suite.tar.gz" -C "$work" \
  "$top/json/tests/draft2020-12" "$top/json/tests/draft7" "$top/json/remotes"

# Swap in whole, so an interrupted run never leaves a half-filled folder that looks complete.
rm -rf "$dest"
mkdir -p "$dest"
mv "$work/$top/json/tests/draft2020-12" "$dest/draft2020-12"
mv "$work/$top/json/tests/draft7" "$dest/draft7"
mv "$work/$top/json/remotes" "$dest/remotes"
echo "[fetch-json-schema-suite] extracted into $dest"
