#!/usr/bin/env bash
# Installs node_exporter (github.com/prometheus/node_exporter; the chart prometheus-node-exporter 4.56.0 ships
# 1.12.0, which the Go module proxy refuses to serve (403 "not available"), so its patch release 1.12.1) into ${XDG_CACHE_HOME:-~/.cache}/eksmon/node-exporter/<version>/, built from the Go module proxy,
# and prints its path on stdout (progress goes to stderr). scripts/capture-metrics.ts runs it on the host, so
# the dashboards' queries are evaluated against what the real exporter writes. Idempotent: a second run finds
# the binary and exits at once. Needs Go >= 1.25.
# Instant when cached (a cold build's time: docs/validation.md).
#   NODE_EXPORTER_VERSION  version to install (default below)
set -euo pipefail

version="${NODE_EXPORTER_VERSION:-v1.12.1}"
module="github.com/prometheus/node_exporter"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/node-exporter/${version}"
bin="${bin_dir}/node_exporter"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-node-exporter: go is not installed (Go >= 1.25 builds node_exporter ${version})" >&2; exit 1; }

echo "install-node-exporter: building node_exporter ${version} into ${bin_dir}" >&2
start=$SECONDS
mkdir -p "$bin_dir"
tmp="$(mktemp -d "${bin_dir}/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# No replace directives: `go install module@version` builds it as the release does (without go.work). The
# version is stamped as its release build (.promu.yml) does, for --version.
pkg="github.com/prometheus/common/version"
ldflags="-s -w -X ${pkg}.Version=${version#v} -X ${pkg}.Revision=${version} -X ${pkg}.Branch=HEAD"
ldflags+=" -X ${pkg}.BuildUser=eksmon -X ${pkg}.BuildDate=module-proxy"
if ! (cd "$tmp" && GOWORK=off GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install -trimpath \
  -ldflags "$ldflags" "${module}@${version}") >&2; then
  echo "install-node-exporter: go install ${module}@${version} failed" >&2
  exit 1
fi
mv "$tmp/node_exporter" "$bin"
echo "install-node-exporter: $("$bin" --version 2>&1 | head -n 1) built in $((SECONDS - start))s" >&2
echo "$bin"
