#!/usr/bin/env bash
# scan.sh — `npm run scan`: synthesize, then run checkov (pinned, scripts/install-checkov.sh) over every
# synthesized stack as Terraform JSON, with the checked-in configuration .checkov.yaml (every skipped check
# has its reason there) and the project's own checkov policies in checkov/. Exits non-zero on any failed check.
#
# Usage: npm run scan [-- --skip-synth]     (--skip-synth scans cdktf.out as it is)
# Environment: CDKTF_OUTDIR (default cdktf.out); CHECKOV_VERSION / CHECKOV_VENV as in install-checkov.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

outdir="${CDKTF_OUTDIR:-cdktf.out}"
checkov="$(bash scripts/install-checkov.sh --print-path)"
if [[ ! -x $checkov ]]; then
	echo "[scan] checkov is not installed at $checkov: run 'bash scripts/install-checkov.sh' first" >&2
	exit 1
fi

if [[ ${1:-} != "--skip-synth" ]]; then
	# npm run synth (the launcher every synth goes through; it also removes stacks that no longer exist),
	# its summary line on stderr: stdout is checkov's.
	node scripts/app.cjs --synth --output "$outdir" >&2
fi
# checkov reads a copy without the blocks its parser refuses (import blocks, terraform.required_version;
# scripts/lib/checkov-input.ts says why): otherwise it skips those stacks as "parsing errors".
input="$(mktemp -d "${TMPDIR:-/tmp}/eksmon-checkov-XXXXXX")"
trap 'rm -rf "$input"' EXIT
stacks=$(node -r esbuild-register -e 'process.stdout.write(String(require("./scripts/lib/checkov-input").writeCheckovInput(process.argv[1], process.argv[2])))' "$outdir" "$input")
echo "[scan] $checkov over $stacks stacks of $outdir" >&2
status=0
"$checkov" --config-file .checkov.yaml --directory "$input" | tee "$input/report.txt" || status=$?
# A stack checkov cannot parse is a stack it did not check: that fails the scan too.
if grep -Eq "Parsing errors: [1-9]" "$input/report.txt"; then
	echo "[scan] checkov could not parse every stack (see above)" >&2
	exit 1
fi
exit "$status"
