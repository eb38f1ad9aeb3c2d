#!/usr/bin/env bash
# Installs what the tests need (PostgreSQL, Redis and Chromium from apt, the web app's npm packages) and runs every
# test: unit, in-process integration against real PostgreSQL, system tests that start the whole topology as
# processes, and the web app's end-to-end tests in headless Chromium.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Users]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/prerequisites.sh

ensure_native_servers
ensure_chromium
scripts/update-local-slnf.sh --check || fail "the solution files are out of step with the projects on disk"

# The web app's end-to-end tests (tests/PracticePlatform.WebTests) serve services/Web/app/dist and inject its axe-core.
scripts/build-web.sh

step "Building (dotnet build PracticePlatform.Local.slnf)"
dotnet build PracticePlatform.Local.slnf -nologo -clp:ErrorsOnly -v:q

step "Running every test"
results="$(mktemp -d)"
set +e
dotnet test PracticePlatform.Local.slnf --no-build -nologo --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/output.txt"
status=${PIPESTATUS[0]}
set -e

# One closing line for all test assemblies, summed from their TRX reports.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/*.trx"):
    counters = ET.parse(path).getroot().find(".//{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
PY
rm -rf "$results"
exit "$status"
