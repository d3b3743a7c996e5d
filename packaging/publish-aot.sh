#!/usr/bin/env bash
# Publishes ucs-mail-config as one NativeAOT linux-x64 binary and smoke-tests it.
# Any warning fails the publish: -warnaserror for MSBuild and NuGet, and the CLI project
# turns every trim/AOT (IL2xxx/IL3xxx) warning of ILC into an error.
# Usage: packaging/publish-aot.sh [OUT_DIR]   (default: artifacts/aot)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-artifacts/aot}"

dotnet publish src/UcsMailConfig.Cli --configuration Release --runtime linux-x64 \
  -p:PublishAot=true -warnaserror --output "$out"
bash packaging/smoke-test.sh "$out/ucs-mail-config" examples
