#!/usr/bin/env bash
# Installs a previous release of this project, for the loopback e2e's upgrade stage: the tree of commit
# COMMIT (from this repository's own history, `git archive`) with its dependencies (`npm ci` from its own
# lock file) at ${XDG_CACHE_HOME:-~/.cache}/eksmon/previous-release/<commit>/, and prints that path on stdout
# (progress goes to stderr). The stage synthesizes an environment with that release's code, applies it, then
# upgrades it with this one's. Nothing here is third-party code: it is the project at an earlier commit.
# Idempotent: a complete install is reused as is (instant); an interrupted one is thrown away and redone.
#   $1            the commit (full id)
#   GIT_DIR_OF    the repository to read it from (default: the one this script is in)
set -euo pipefail

COMMIT="${1:?usage: install-previous-release.sh <commit>}"
REPO="${GIT_DIR_OF:-$(cd "$(dirname "$0")/.." && pwd)}"
DIR="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/previous-release/$COMMIT"
MARKER="$DIR/.installed-$COMMIT"

log() { printf 'install-previous-release: %s\n' "$*" >&2; }

# Written only after a complete install.
if [[ -f $MARKER && -d $DIR/node_modules ]]; then
  echo "$DIR"
  exit 0
fi
if ! git -C "$REPO" cat-file -e "$COMMIT^{commit}" 2>/dev/null; then
  log "commit $COMMIT is not in $REPO's history (a shallow clone? git fetch --unshallow)"
  exit 3
fi
command -v npm >/dev/null 2>&1 || { log "npm is not installed"; exit 1; }

start=$SECONDS
log "extracting $COMMIT from $REPO into $DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
git -C "$REPO" archive --format=tar "$COMMIT" | tar -x -C "$DIR"
log "npm ci (its own lock file)"
if ! (cd "$DIR" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2); then
  log "npm ci failed in $DIR"
  exit 1
fi
touch "$MARKER"
log "installed $COMMIT in $((SECONDS - start))s"
echo "$DIR"
