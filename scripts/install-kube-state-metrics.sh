#!/usr/bin/env bash
# Installs kube-state-metrics (k8s.io/kube-state-metrics/v2, the version the kube-state-metrics chart 8.4.0
# ships) into ${XDG_CACHE_HOME:-~/.cache}/eksmon/kube-state-metrics/<version>/, built from the Go module proxy, and
# prints its path on stdout (progress goes to stderr). scripts/capture-metrics.ts runs it outside any cluster,
# with a kubeconfig, against the loopback kube-apiserver, so the dashboards' queries are evaluated against what
# the real exporter writes. Idempotent: a second run finds the binary and exits at once. Needs Go >= 1.26.
# Instant when cached (a cold build's time: docs/validation.md).
#   KUBE_STATE_METRICS_VERSION  version to install (default below)
set -euo pipefail

version="${KUBE_STATE_METRICS_VERSION:-v2.20.0}"
module="k8s.io/kube-state-metrics/v2"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/kube-state-metrics/${version}"
bin="${bin_dir}/kube-state-metrics"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-kube-state-metrics: go is not installed (Go >= 1.26 builds kube-state-metrics ${version})" >&2; exit 1; }

echo "install-kube-state-metrics: building kube-state-metrics ${version} into ${bin_dir}" >&2
start=$SECONDS
mkdir -p "$bin_dir"
tmp="$(mktemp -d "${bin_dir}/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# The module has no replace directives: `go install module@version` builds it as the release does (without
# go.work, whatever the caller's directory). The version is stamped as its Makefile does, for --version.
pkg="github.com/prometheus/common/version"
ldflags="-s -w -X ${pkg}.Version=${version#v} -X ${pkg}.Revision=${version} -X ${pkg}.Branch=HEAD"
ldflags+=" -X ${pkg}.BuildUser=eksmon -X ${pkg}.BuildDate=module-proxy"
if ! (cd "$tmp" && GOWORK=off GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install -trimpath \
  -ldflags "$ldflags" "${module}@${version}") >&2; then
  echo "install-kube-state-metrics: go install ${module}@${version} failed" >&2
  exit 1
fi
mv "$tmp/v2" "$bin" 2>/dev/null || mv "$tmp/kube-state-metrics" "$bin"
echo "install-kube-state-metrics: $("$bin" version 2>&1 | head -n 1) built in $((SECONDS - start))s" >&2
echo "$bin"
