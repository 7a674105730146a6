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
stacks=$(find "$outdir/stacks" -name cdk.tf.json | wc -l)
echo "[scan] $checkov over $stacks stacks in $outdir" >&2
"$checkov" --config-file .checkov.yaml --directory "$outdir"
