#!/usr/bin/env bash
# Smoke test of a built or installed ucs-mail-config: --version answers, and every example
# below EXAMPLES_DIR renders byte for byte to its expected/ tree.
# Usage: packaging/smoke-test.sh BINARY EXAMPLES_DIR
set -euo pipefail
binary="$1"
examples="$2"

version="$("$binary" --version)"
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "smoke: unexpected --version output: $version" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
count=0
for policy in "$examples"/*/mail-policy.yaml; do
  example="$(dirname "$policy")"
  name="$(basename "$example")"
  "$binary" render "$policy" --out "$work/$name" >/dev/null
  # render's manifest of what it wrote is not part of the golden output; the modes are, in .modes.
  diff -r -x .ucs-mail-config-render -x .modes "$example/expected" "$work/$name"
  while read -r mode path; do
    actual="$(stat -c %04a "$work/$name/$path")"
    [ "$actual" = "$mode" ] || { echo "smoke: $name/$path has mode $actual, expected/.modes says $mode" >&2; exit 1; }
  done < "$example/expected/.modes"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || { echo "smoke: no examples below $examples" >&2; exit 1; }
echo "smoke: $binary $version renders all $count examples byte for byte, with their modes"
