#!/usr/bin/env bash
# Installs kube-apiserver (k8s.io/kubernetes, pinned below) into
# ${XDG_CACHE_HOME:-~/.cache}/eksmon/kube-apiserver/<version>/, built from the Go module proxy, and prints its path
# on stdout (progress goes to stderr). The loopback e2e deploy test runs it (on etcd, no kubelet) so that
# `helm install` and the Kubernetes Terraform provider have a real API server to talk to.
# `install-kube-apiserver.sh kube-controller-manager` builds kube-controller-manager from the same module
# instead (into .../kube-controller-manager/<version>/): the e2e runs it beside the API server so namespaces
# are really deleted (namespace controller) and Deployments get ReplicaSets. Measured with the Go caches warm
# from the kube-apiserver build: see docs/validation.md.
# Idempotent: a second run finds the binary and exits at once. Needs Go >= 1.24.
# Instant when cached (a cold build's time: docs/validation.md).
# Verified: `/version` answers gitVersion v1.34.4.
# k8s.io/kubernetes replaces its staging modules (k8s.io/api, client-go, ...) with ./staging/... paths that are
# not in the module zip, and requires them as v0.0.0. So the source is copied to a temporary directory, those
# replace directives are dropped and each staging module is required at the matching published version
# (v1.X.Y -> v0.X.Y), then ./cmd/kube-apiserver is built as the main module, without go.work.
# The version is stamped with -ldflags as the release build does, so `/version` reports it and Helm's
# kubeVersion checks accept the server.
#   KUBE_APISERVER_VERSION  version to install (default below)
set -euo pipefail

version="${KUBE_APISERVER_VERSION:-v1.34.4}"
component="${1:-kube-apiserver}"
case "$component" in
  kube-apiserver | kube-controller-manager) ;;
  *)
    echo "install-kube-apiserver: unknown component ${component} (expected kube-apiserver or kube-controller-manager)" >&2
    exit 1
    ;;
esac
module="k8s.io/kubernetes"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/eksmon/${component}/${version}"
bin="${bin_dir}/${component}"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null 2>&1 || { echo "install-kube-apiserver: go is not installed (Go >= 1.24 builds ${component} ${version})" >&2; exit 1; }
if [[ ! $version =~ ^v1\.([0-9]+)\.([0-9]+)$ ]]; then
  echo "install-kube-apiserver: version ${version} is not of the form v1.MINOR.PATCH" >&2
  exit 1
fi
minor="${BASH_REMATCH[1]}"
staging_version="v0.${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"

echo "install-kube-apiserver: building ${component} ${version} (staging modules ${staging_version}) into ${bin_dir}" >&2
start=$SECONDS
mkdir -p "$bin_dir"
tmp="$(mktemp -d "${bin_dir}/.tmp.XXXXXX")"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

# A failed download is reported in the JSON ("Error": ...) with a non-zero exit: keep it to say why.
json="$(GOFLAGS=-mod=mod go mod download -json "${module}@${version}" 2>&1 || true)"
src="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ ! -f "${src}/go.mod" ]; then
  reason="$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",\{0,1\}$/\1/p' | head -n 1)"
  echo "install-kube-apiserver: download of ${module}@${version} failed${reason:+: ${reason}}" >&2
  exit 1
fi
# The module cache is read-only: work on a writable copy.
cp -R "$src" "$tmp/src"
chmod -R u+w "$tmp/src"
cd "$tmp/src"
edits=()
while read -r dep; do
  edits+=("-dropreplace=${dep}" "-require=${dep}@${staging_version}")
done < <(sed -n 's/^[[:space:]]*\(replace[[:space:]]\{1,\}\)\{0,1\}\([^[:space:](]\{1,\}\)[[:space:]]\{1,\}=>[[:space:]]\{1,\}\.\/staging\/.*/\2/p' go.mod)
if [ "${#edits[@]}" -eq 0 ]; then
  echo "install-kube-apiserver: found no ./staging replace directives in ${module}@${version}'s go.mod" >&2
  exit 1
fi
go mod edit "${edits[@]}"
pkg="k8s.io/component-base/version"
ldflags="-s -w -X ${pkg}.gitVersion=${version} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# client-go keeps its own copy of the version; the release build stamps both.
ldflags+=" -X k8s.io/client-go/pkg/version.gitVersion=${version} -X k8s.io/client-go/pkg/version.gitMajor=1"
ldflags+=" -X k8s.io/client-go/pkg/version.gitMinor=${minor} -X k8s.io/client-go/pkg/version.gitTreeState=clean"
if ! GOWORK=off GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" \
  -o "$tmp/${component}" "./cmd/${component}" >&2; then
  echo "install-kube-apiserver: go build of ${module}@${version} ./cmd/${component} failed" >&2
  exit 1
fi
mv "$tmp/${component}" "$bin"
echo "install-kube-apiserver: $("$bin" --version) built in $((SECONDS - start))s" >&2
echo "$bin"
