#!/usr/bin/env bash
# install-checkov.sh — install the pinned checkov into a virtualenv outside the repo, once.
#
# Usage:
#   scripts/install-checkov.sh                 install (or reuse) and print the checkov path on stdout
#   scripts/install-checkov.sh --print-path    only print the path checkov has (or would have) there
#
# Environment:
#   CHECKOV_VERSION   version to install (default below; bump it here, in one place)
#   CHECKOV_VENV      virtualenv directory (default: ${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/checkov/<version>)
#   PYTHON            interpreter that creates the virtualenv (default: python3; checkov needs >= 3.9)
#
# Idempotent: a virtualenv holding a complete install of the pinned version is reused as is (instant);
# an interrupted install is thrown away and redone.
# The version sits in the virtualenv's path, so bumping CHECKOV_VERSION installs beside the old one.
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
VENV="${CHECKOV_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/checkov/$CHECKOV_VERSION}"
BIN="$VENV/bin/checkov"
PYTHON="${PYTHON:-python3}"

log() { printf '[install-checkov] %s\n' "$*" >&2; }

if [[ ${1:-} == "--print-path" ]]; then
	echo "$BIN"
	exit 0
elif [[ $# -gt 0 ]]; then
	echo "unknown argument: $1 (usage: $0 [--print-path])" >&2
	exit 2
fi

MARKER="$VENV/.installed-checkov-$CHECKOV_VERSION"
installed_version() { [[ -x $BIN ]] && "$BIN" --version 2>/dev/null | tail -n 1; }

# Written only after a complete, verified install (asking checkov its version is slow: docs/validation.md).
if [[ -f $MARKER && -x $BIN ]]; then
	log "checkov $CHECKOV_VERSION already installed in $VENV"
	echo "$BIN"
	exit 0
fi

# One installer at a time per virtualenv: a second run waits here, then finds the marker.
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9
if [[ -f $MARKER && -x $BIN ]]; then
	echo "$BIN"
	exit 0
fi

start=$SECONDS
log "installing checkov $CHECKOV_VERSION into $VENV"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
got="$(installed_version || true)"
if [[ $got != "$CHECKOV_VERSION" ]]; then
	log "FAILED: $BIN reports '${got:-nothing}', expected $CHECKOV_VERSION"
	exit 1
fi
touch "$MARKER"
log "installed checkov $CHECKOV_VERSION in $((SECONDS - start))s"
echo "$BIN"
