#!/usr/bin/env bash
# Regenerates PracticePlatform.Local.slnf: every project in PracticePlatform.sln except those that need
# Aspire packages (the AppHost), which cannot be restored on the build machines here.
#   scripts/update-local-slnf.sh           rewrite the filter
#   scripts/update-local-slnf.sh --check   exit 1 if the filter is out of date with the solution
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-write}"
case "$mode" in
  write|--check) ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

python3 - "$root" "$mode" <<'PY'
import json, os, re, sys

root, mode = sys.argv[1], sys.argv[2]
solution = os.path.join(root, "PracticePlatform.sln")
target = os.path.join(root, "PracticePlatform.Local.slnf")

# Project("{type}") = "Name", "relative\path.csproj", "{guid}"; solution folders have no project file.
entry = re.compile(r'^Project\("\{[^}]+\}"\)\s*=\s*"[^"]*",\s*"([^"]+\.(?:cs|fs|vb)proj)"', re.M)
# An Aspire SDK or package in a project file means it cannot restore here.
needs_aspire = re.compile(r'Sdk="Aspire\.|<Sdk\s+Name="Aspire\.|<PackageReference\s+Include="Aspire\.')

with open(solution, encoding="utf-8-sig") as f:
    projects = entry.findall(f.read())

def restorable(path):
    full = os.path.join(root, *path.split("\\"))
    if not os.path.exists(full):
        return True  # let the build report a missing project rather than hide it
    with open(full, encoding="utf-8-sig") as f:
        return not needs_aspire.search(f.read())

kept = [p for p in projects if restorable(p)]
text = json.dumps({"solution": {"path": "PracticePlatform.sln", "projects": kept}}, indent=2) + "\n"

current = open(target, encoding="utf-8").read() if os.path.exists(target) else None
if mode == "--check":
    # A project on disk but not in the solution would be silently left out of the build and the tests.
    on_disk = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj", "node_modules", ".git", ".data")]
        on_disk.update(os.path.relpath(os.path.join(folder, f), root).replace("/", "\\")
                       for f in files if f.endswith(".csproj"))
    missing = sorted(on_disk - set(projects))
    if missing:
        print("Not in PracticePlatform.sln (add with `dotnet sln PracticePlatform.sln add`): " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)
    if current != text:
        print("PracticePlatform.Local.slnf is out of date: run scripts/update-local-slnf.sh", file=sys.stderr)
        sys.exit(1)
    sys.exit(0)

if current != text:
    with open(target, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
left_out = sorted(set(projects) - set(kept))
print(f"PracticePlatform.Local.slnf: {len(kept)} projects; left out: {', '.join(left_out) or 'none'}")
PY
