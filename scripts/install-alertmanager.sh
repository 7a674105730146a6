#!/usr/bin/env bash
# Installs Alertmanager 0.28.1 and its CLI, amtool, into ~/.cache/eksmon/alertmanager/<version>/ and
# ~/.cache/eksmon/amtool/<version>/ through the Go module proxy, and prints their paths (amtool first).
# Idempotent: a second run only prints the paths.
# The alert manager tests (__tests__/constructs/amp/alert-manager-config.test.ts) check the definition AMP
# receives with them when they are found (AMTOOL / ALERTMANAGER, PATH, or this cache): `amtool check-config`,
# `amtool config routes test`, `amtool template render`, and a local Alertmanager holding a warning back while
# the matching critical fires. Without them the tests say so and skip those checks.
# Needs Go >= 1.23. Instant when cached (a cold build's time: docs/validation.md); CI should cache
# ~/.cache/eksmon/alertmanager, ~/.cache/eksmon/amtool (and ~/go/pkg/mod). Built as the main module, like
# install-promtool.sh.
set -euo pipefail
VERSION="${ALERTMANAGER_VERSION:-v0.28.1}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon"
build() {
  local name=$1 dest="${CACHE}/$1/${VERSION}"
  if [ ! -x "${dest}/${name}" ]; then
    command -v go >/dev/null || { echo "install-alertmanager: go is not installed" >&2; exit 1; }
    local start src tmp pkg=github.com/prometheus/common/version
    start=$(date +%s)
    src=$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/alertmanager@${VERSION}" |
      sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -d "${src}" ] || { echo "install-alertmanager: download of ${VERSION} failed" >&2; exit 1; }
    mkdir -p "${dest}"
    # Build next to the final path and rename: a concurrent run never sees a half-written binary.
    tmp="${dest}/${name}.$$.tmp"
    (cd "${src}" && GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
      -ldflags "-X ${pkg}.Version=${VERSION#v} -X ${pkg}.Revision=${VERSION} -X ${pkg}.Branch=HEAD -X ${pkg}.BuildUser=eksmon -X ${pkg}.BuildDate=module-proxy" \
      -o "${tmp}" "./cmd/${name}") >&2
    mv -f "${tmp}" "${dest}/${name}"
    echo "install-alertmanager: built ${name} ${VERSION} in $(( $(date +%s) - start ))s" >&2
  fi
  echo "${dest}/${name}"
}
build amtool
build alertmanager
