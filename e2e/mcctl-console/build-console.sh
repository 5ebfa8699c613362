#!/usr/bin/env bash
# Builds mcctl-console (smallmiro/minecraft-server-manager, platform/services/mcctl-console) from its
# unmodified source, once per commit, into a cache outside the repository, and prints the app's
# folder. Only the npm registry is used: pnpm 9 through npx, better-sqlite3 compiled here (its
# prebuilt binaries live on GitHub), no browser or font downloads (the console uses no next/font).
# Env: MCCTL_MIRROR (bare git repo), MCCTL_REF (default HEAD), E2E_CACHE (default /var/tmp/lightd-e2e).
set -euo pipefail

mirror="${MCCTL_MIRROR:-/work/.mirror/smallmiro+minecraft-server-manager/repo}"
cache="${E2E_CACHE:-/var/tmp/lightd-e2e}"
pnpm="pnpm@9.15.9"
commit="$(git -C "$mirror" rev-parse "${MCCTL_REF:-HEAD}^{commit}")"
dir="$cache/console-${commit:0:12}"
app="$dir/platform/services/mcctl-console"
log() { echo "build-console: $*" >&2; }

if [ -f "$dir/.built" ]; then
  echo "$app"
  exit 0
fi

log "building mcctl-console ${commit:0:12} in $dir (several minutes the first time)"
rm -rf "$dir"
mkdir -p "$dir"
# The pnpm workspace: root manifests and lockfile, every workspace project's package.json (so the
# frozen lockfile matches), the console and the shared package it depends on.
git -C "$mirror" archive "$commit" \
  package.json pnpm-lock.yaml pnpm-workspace.yaml tsconfig.base.json \
  e2e/package.json platform/services/cli/package.json platform/services/mcctl-api/package.json \
  platform/services/mod-source-modrinth/package.json \
  platform/services/shared platform/services/mcctl-console | tar -x -C "$dir"

export NEXT_TELEMETRY_DISABLED=1 CI=1
# better-sqlite3: skip the GitHub download, compile with the installed Node's headers.
export npm_config_build_from_source=true
for d in /usr /usr/local "$(dirname "$(dirname "$(command -v node)")")"; do
  if [ -f "$d/include/node/node.h" ]; then export npm_config_nodedir="$d"; break; fi
done

(cd "$dir" && npx -y "$pnpm" install --frozen-lockfile --filter '@minecraft-docker/mcctl-console...' \
  --store-dir "$cache/pnpm-store") >&2
(cd "$app" && npx -y "$pnpm" run build) >&2
touch "$dir/.built"
log "built $app"
echo "$app"
