#!/usr/bin/env bash
# Runs the whole PracticePlatform on this machine without containers: native PostgreSQL and Redis (data kept in
# .data/), all services with the configuration contract the Aspire AppHost would inject, and the web app
# (http://localhost:5100, built by scripts/build-web.sh), then a table of URLs.
# Ctrl-C stops everything it started.   Usage: ./run.sh [--no-build] [runner options, see --help]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/prerequisites.sh

build=1
runner_args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) runner_args+=("$arg") ;;
  esac
done

ensure_native_servers
if [ "$build" = 1 ]; then
  scripts/build-web.sh
  step "Building (dotnet build PracticePlatform.Local.slnf)"
  dotnet build PracticePlatform.Local.slnf -nologo -clp:ErrorsOnly -v:q
fi

exec dotnet tools/PracticePlatform.Runner/bin/Debug/net10.0/PracticePlatform.Runner.dll "${runner_args[@]}"
