#!/usr/bin/env bash
# Adds an EF Core migration to one service: scripts/add-migration.sh Users AddCohorts
# Uses the dotnet-ef local tool (.config/dotnet-tools.json) and the design-time references of build/EfDesign.targets.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 <Service folder under services/, e.g. Users> <MigrationName>" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
project="$(ls "$root/services/$1"/*.Api.csproj 2>/dev/null | head -n 1)"
if [ -z "$project" ]; then
  echo "no services/$1/*.Api.csproj found" >&2
  exit 2
fi
cd "$root"
dotnet tool restore >/dev/null
export EfDesignTime=true
dotnet ef migrations add "$2" --project "$project" --startup-project "$project" --output-dir Infrastructure/Migrations
