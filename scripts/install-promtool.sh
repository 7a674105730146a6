#!/usr/bin/env bash
# Installs promtool (Prometheus 3.14.0, the chart's app version) into ~/.cache/eksmon/promtool/<version>/ through the
# Go module proxy, and prints its path. Idempotent: a second run only prints the path.
# The rule tests (__tests__/monitoring/rules.test.ts) run `promtool check rules` when it is found
# (PROMTOOL=<path>, on PATH, or in this cache); without it they say so and skip that check.
# Needs Go >= 1.24. Instant when cached (a cold build's time: docs/validation.md);
# CI should cache ~/.cache/eksmon/promtool (and ~/go/pkg/mod). `go install pkg@version` refuses this module (its
# go.mod has replace directives), so the module is downloaded and built as the main module, without go.work.
set -euo pipefail
# Prometheus v3.x.y is published as Go module version v0.3xx.y.
VERSION="${PROMTOOL_VERSION:-v0.314.0}"
DEST="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/promtool/${VERSION}"
if [ ! -x "${DEST}/promtool" ]; then
  command -v go >/dev/null || { echo "install-promtool: go is not installed" >&2; exit 1; }
  start=$(date +%s)
  src=$(GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@${VERSION}" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -d "${src}" ] || { echo "install-promtool: download of ${VERSION} failed" >&2; exit 1; }
  mkdir -p "${DEST}"
  # Build next to the final path and rename: a concurrent run never sees a half-written binary.
  tmp="${DEST}/promtool.$$.tmp"
  # The version variables are what Prometheus's release build (.promu.yml) sets; without them
  # `promtool --version` prints an empty version.
  # Module v0.MNN.P is Prometheus M.NN.P (v0.314.0 is 3.14.0).
  mnn="${VERSION#v0.}"; mnn="${mnn%%.*}"
  app="${mnn:0:1}.$((10#${mnn:1})).${VERSION##*.}"
  pkg=github.com/prometheus/common/version
  (cd "${src}" && GOWORK=off CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-X ${pkg}.Version=${app} -X ${pkg}.Revision=${VERSION} -X ${pkg}.Branch=HEAD -X ${pkg}.BuildUser=eksmon -X ${pkg}.BuildDate=module-proxy" \
    -o "${tmp}" ./cmd/promtool) >&2
  mv -f "${tmp}" "${DEST}/promtool"
  echo "install-promtool: built ${VERSION} in $(( $(date +%s) - start ))s" >&2
fi
echo "${DEST}/promtool"
