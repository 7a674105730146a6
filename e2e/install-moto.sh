#!/usr/bin/env bash
# Installs moto's standalone server (PyPI `moto[server]`, pinned below) into a virtualenv at
# ${XDG_CACHE_HOME:-~/.cache}/eksmon/moto/<version>/, and prints the path of its `moto_server` on stdout
# (progress goes to stderr). The loopback e2e deploy test points the AWS provider and the S3 backend at it
# (127.0.0.1 only); the venv's boto3 is there for smoke tests. Needs Python >= 3.9 with venv.
# Idempotent: a virtualenv holding a complete install of the pinned version is reused as is (instant); an
# interrupted install is thrown away and redone. Instant when cached (a cold install's time:
# docs/validation.md).
#   MOTO_VERSION  version to install (default below)
#   MOTO_VENV     virtualenv directory (default above)
#   PYTHON        interpreter that creates the virtualenv (default: python3)
set -euo pipefail

MOTO_VERSION="${MOTO_VERSION:-5.2.5}"
VENV="${MOTO_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/moto/$MOTO_VERSION}"
BIN="$VENV/bin/moto_server"
PYTHON="${PYTHON:-python3}"
MARKER="$VENV/.installed-moto-$MOTO_VERSION"

log() { printf 'install-moto: %s\n' "$*" >&2; }

# Written only after a complete, verified install.
if [[ -f $MARKER && -x $BIN ]]; then
  echo "$BIN"
  exit 0
fi
command -v "$PYTHON" >/dev/null 2>&1 || { log "$PYTHON is not installed (Python >= 3.9 runs moto $MOTO_VERSION)"; exit 1; }

start=$SECONDS
log "installing moto[server] $MOTO_VERSION into $VENV"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" || { log "could not create a virtualenv with $PYTHON (is python3-venv installed?)"; exit 1; }
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2; then
  log "pip install moto[server]==$MOTO_VERSION failed"
  exit 1
fi
got="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null || true)"
if [[ $got != "$MOTO_VERSION" || ! -x $BIN ]]; then
  log "FAILED: the virtualenv has moto '${got:-nothing}' (expected $MOTO_VERSION) or no $BIN"
  exit 1
fi
touch "$MARKER"
log "installed moto[server] $MOTO_VERSION in $((SECONDS - start))s"
echo "$BIN"
