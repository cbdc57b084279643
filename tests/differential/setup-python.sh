#!/usr/bin/env bash
# The Python reference for tests/differential/jinja.test.mjs: a venv in .tools/py with Jinja2
# 3.1.6 and MarkupSafe pinned, from PyPI. Idempotent: does nothing when the pins are installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

say() { printf '\033[1m[setup-python]\033[0m %s\n' "$*"; }

JINJA2=3.1.6
MARKUPSAFE=3.0.2
venv=.tools/py

if ! command -v python3 >/dev/null; then
  echo "setup-python: python3 is not on PATH" >&2
  exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
  say "creating a venv in $venv ($(python3 --version))"
  python3 -m venv "$venv"
fi

installed() {
  "$venv/bin/python" - "$JINJA2" "$MARKUPSAFE" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if (version("Jinja2"), version("MarkupSafe")) == (sys.argv[1], sys.argv[2]) else 1)
PY
}

if installed; then
  say "Jinja2 $JINJA2 and MarkupSafe $MARKUPSAFE already in $venv"
else
  say "installing jinja2==$JINJA2 markupsafe==$MARKUPSAFE into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "jinja2==$JINJA2" "markupsafe==$MARKUPSAFE"
  installed || { echo "setup-python: the pins did not install" >&2; exit 1; }
fi
