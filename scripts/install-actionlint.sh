#!/usr/bin/env bash
# Installs actionlint (GitHub Actions workflow linter) once, into ~/.cache/eksmon/actionlint/<version>/,
# with `go install` through the Go module proxy. Idempotent: a second run finds the binary and exits at once.
# Prints the binary's path on stdout (progress goes to stderr).
#   ACTIONLINT_VERSION  version to install (default below; bump deliberately, CI pins it)
set -euo pipefail

version="${ACTIONLINT_VERSION:-v1.7.12}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/actionlint"
bin_dir="${cache_root}/${version}"
bin="${bin_dir}/actionlint"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-actionlint: go is not installed (expected Go >= 1.22 on PATH to build actionlint ${version})" >&2
  exit 1
fi

echo "install-actionlint: building actionlint ${version} into ${bin_dir}" >&2
mkdir -p "$bin_dir"
# Build into a temporary directory, then move: an interrupted build never leaves a half-written binary.
tmp="$(mktemp -d "${cache_root}/.tmp.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@${version}"
mv "$tmp/actionlint" "$bin"
"$bin" -version >&2
echo "$bin"
