#!/usr/bin/env bash
# Installs the etcd server binary (go.etcd.io/etcd/server/v3, pinned below) into
# ${XDG_CACHE_HOME:-~/.cache}/eksmon/etcd/<version>/, built from the Go module proxy, and prints its path on
# stdout (progress goes to stderr). The loopback e2e deploy test runs it as the storage of a local kube-apiserver.
# Idempotent: a second run finds the binary and exits at once. Needs Go >= 1.24.
# Instant when cached; a cold build's time is in docs/validation.md.
# `go install pkg@version` refuses this module (its go.mod replaces its sibling modules with `../` paths), so the
# module source is copied to a temporary directory, those replace directives are dropped (the siblings then come
# from the proxy at the versions go.mod requires) and the server is built as the main module, without go.work.
#   ETCD_VERSION  version to install (default below)
set -euo pipefail

version="${ETCD_VERSION:-v3.6.13}"
module="go.etcd.io/etcd/server/v3"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/etcd/${version}"
bin="${bin_dir}/etcd"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-etcd: go is not installed (Go >= 1.24 builds etcd ${version})" >&2; exit 1; }

echo "install-etcd: building etcd ${version} into ${bin_dir}" >&2
start=$SECONDS
mkdir -p "$bin_dir"
tmp="$(mktemp -d "${bin_dir}/.tmp.XXXXXX")"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# A failed download is reported in the JSON ("Error": ...) with a non-zero exit: keep it to say why.
json="$(GOFLAGS=-mod=mod go mod download -json "${module}@${version}" 2>&1 || true)"
src="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ ! -f "${src}/go.mod" ]; then
  reason="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' | head -n 1)"
  echo "install-etcd: download of ${module}@${version} failed${reason:+: ${reason}}" >&2
  exit 1
fi
# The module cache is read-only: work on a writable copy.
cp -R "$src" "$tmp/src"
chmod -R u+w "$tmp/src"
cd "$tmp/src"
# Drop `replace X => ../...` (both the block form and the one-line form); keep the ./FORBIDDEN_DEPENDENCY guards.
sed -n 's/^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}\([^[:space:](]\{1,\}\)[[:space:]]\{1,\}=>[[:space:]]\{1,\}\.\.\/.*/\2/p' go.mod |
  while read -r dep; do go mod edit -dropreplace="$dep"; done
if grep -q '=>[[:space:]]*\.\./' go.mod; then
  echo "install-etcd: could not drop the ../ replace directives from ${module}@${version}'s go.mod" >&2
  exit 1
fi
if ! GOWORK=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" . >&2; then
  echo "install-etcd: go build of ${module}@${version} failed" >&2
  exit 1
fi
mv "$tmp/etcd" "$bin"
echo "install-etcd: $("$bin" --version | head -n 1) built in $((SECONDS - start))s" >&2
echo "$bin"
