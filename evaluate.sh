#!/usr/bin/env bash
# Scores every *.json transcript in TRANSCRIPTS_DIR with the offline feedback engine against LABELS_DIR/<same name>.json
# and prints a table per rubric item, ending with: mean_kappa=<x> accuracy=<y> evidence_hit=<z>
#   ./evaluate.sh TRANSCRIPTS_DIR LABELS_DIR [PREDICTIONS_DIR]
# Progress and errors go to stderr, so stdout is the table.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 TRANSCRIPTS_DIR LABELS_DIR [PREDICTIONS_DIR]" >&2
  exit 2
fi

project="$root/tools/PracticePlatform.Evaluation/PracticePlatform.Evaluation.csproj"
echo "building the evaluation tool (Release)..." >&2
if ! build_log="$(dotnet build "$project" -c Release -nologo -v:q -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false 2>&1)"; then
  echo "$build_log" >&2
  echo "error: the evaluation tool did not build" >&2
  exit 1
fi

exec dotnet "$root/tools/PracticePlatform.Evaluation/bin/Release/net10.0/PracticePlatform.Evaluation.dll" "$@"
