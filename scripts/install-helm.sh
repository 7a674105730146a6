#!/usr/bin/env bash
# Installs helm (helm.sh/helm/v3, pinned below) into ${XDG_CACHE_HOME:-~/.cache}/eksmon/helm/<version>/ with
# `go install` through the Go module proxy, and prints the binary's path on stdout (progress goes to stderr).
# Used by the Helm render check (`helm template` of the Prometheus chart offline) and the loopback e2e deploy
# test (`helm install` into a local kube-apiserver). Idempotent: a second run finds the binary and exits at once.
# Needs Go >= 1.24. Instant when cached (a cold build's time: docs/validation.md): CI should cache
# ~/.cache/eksmon/helm.
#   HELM_VERSION  version to install (default below)
set -euo pipefail

# v3.21.4: the last v3 release this project is tested with (v3.22.0 must not be used here).
version="${HELM_VERSION:-v3.21.4}"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/helm/${version}"
bin="${bin_dir}/helm"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-helm: go is not installed (Go >= 1.24 builds helm ${version})" >&2; exit 1; }

echo "install-helm: building helm ${version} into ${bin_dir}" >&2
start=$SECONDS
mkdir -p "$bin_dir"
# Build into a temporary directory, then move: an interrupted build never leaves a half-written binary.
tmp="$(mktemp -d "${bin_dir}/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
# The version variable is what the release Makefile sets; without it `helm version` says only "v3.21".
if ! GOBIN="$tmp" GOWORK=off GOFLAGS=-mod=mod CGO_ENABLED=0 go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${version}" \
  "helm.sh/helm/v3/cmd/helm@${version}" >&2; then
  echo "install-helm: go install helm.sh/helm/v3/cmd/helm@${version} failed" >&2
  exit 1
fi
mv "$tmp/helm" "$bin"
echo "install-helm: $("$bin" version --short) built in $((SECONDS - start))s" >&2
echo "$bin"
