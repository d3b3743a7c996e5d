#!/usr/bin/env bash
# Packs ucs-mail-config as a dotnet tool (framework-dependent, needs the .NET 10 runtime),
# installs it from that package into a temporary tool path and smoke-tests it there.
# Usage: packaging/pack-tool.sh [OUT_DIR]   (default: artifacts/nupkg)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/nupkg}"

dotnet pack src/UcsMailConfig.Cli --configuration Release -warnaserror --output "$out"
version="$(dotnet msbuild src/UcsMailConfig.Cli -getProperty:Version)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Only the package just built: no registry is asked for a package of the same name.
cat > "$work/nuget.config" <<'CONFIG'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
  </packageSources>
</configuration>
CONFIG
dotnet tool install --tool-path "$work/tools" --configfile "$work/nuget.config" \
  --add-source "$out" ucs-mail-config --version "$version"
bash packaging/smoke-test.sh "$work/tools/ucs-mail-config" examples
