#!/usr/bin/env bash
# Builds the web app (services/Web/app, React + TypeScript with Vite) into services/Web/app/dist, which the web host
# serves, and prints the production bundle's gzipped size. run.sh and test.sh call it; run it by hand after changing
# the app while ./run.sh is running (the host picks the new files up; reload the page).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/prerequisites.sh"
app="$root/services/Web/app"

ensure_node
[ -f "$app/package.json" ] || fail "no $app/package.json: the web app is missing"
cd "$app"

if [ -f package-lock.json ]; then
  step "Installing the web app's npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
else
  step "Installing the web app's npm packages (npm install: no package-lock.json yet)"
  npm install --no-audit --no-fund --loglevel=error
fi

step "Building the web app (npm run build)"
npm run build

[ -f dist/index.html ] || fail "npm run build wrote no dist/index.html"
python3 - dist <<'PY'
import glob, gzip, os, sys
files = sorted(glob.glob(os.path.join(sys.argv[1], "assets", "*.js")) + glob.glob(os.path.join(sys.argv[1], "assets", "*.css")))
raw = zipped = 0
for path in files:
    data = open(path, "rb").read()
    raw += len(data)
    zipped += len(gzip.compress(data, compresslevel=9))
print(f"web app built: {len(files)} JS/CSS file(s) in services/Web/app/dist/assets, "
      f"{raw / 1024:.1f} KiB, {zipped / 1024:.1f} KiB gzipped (production bundle)")
PY
