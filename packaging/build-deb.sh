#!/usr/bin/env bash
# Builds ucs-mail-config_<version>_amd64.deb with dpkg-deb from the NativeAOT binary (run
# packaging/publish-aot.sh first): the binary, the JSON Schema, the examples with their
# expected output, the man page and bash completion made from the command definitions, and the
# copyright file.
# Usage: packaging/build-deb.sh [BINARY [OUT_DIR]]
#   (defaults: artifacts/aot/ucs-mail-config, artifacts)
# DEB_MAINTAINER overrides the Maintainer field.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
binary="${1:-artifacts/aot/ucs-mail-config}"
out="${2:-artifacts}"
maintainer="${DEB_MAINTAINER:-UcsMailConfig maintainers <maintainers@users.noreply.r-seed-f6878216.example>}"
[ -x "$binary" ] || { echo "build-deb: $binary not found; run packaging/publish-aot.sh first" >&2; exit 1; }

version="$("$binary" --version | cut -d+ -f1)"
deb="$out/ucs-mail-config_${version}_amd64.deb"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"
share="$root/usr/share/ucs-mail-config"

install -D -m 0755 "$binary" "$root/usr/bin/ucs-mail-config"
install -D -m 0644 templates/mail-policy.schema.json "$share/mail-policy.schema.json"
# The examples name the schema by its path in the repository; installed, they name the installed copy.
while IFS= read -r -d '' file; do
  install -D -m 0644 "$file" "$share/$file"
done < <(find examples -type f -print0)
sed -i 's|schema=\.\./\.\./templates/mail-policy\.schema\.json|schema=file:///usr/share/ucs-mail-config/mail-policy.schema.json|' \
  "$share"/examples/*/mail-policy.yaml
# The man page and the bash completion come from the binary's own command definitions (a hidden command).
install -d -m 0755 "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions"
"$binary" packaging man-page | gzip -9n > "$root/usr/share/man/man1/ucs-mail-config.1.gz"
"$binary" packaging bash-completion > "$root/usr/share/bash-completion/completions/ucs-mail-config"
chmod 0644 "$root/usr/share/bash-completion/completions/ucs-mail-config"
install -D -m 0644 packaging/debian/copyright "$root/usr/share/doc/ucs-mail-config/copyright"

# The binary links libc only (libstdc++ and zlib are compiled in); anything else is a
# dependency this script does not declare yet.
needed="$(objdump -p "$binary" | awk '/NEEDED/ { print $2 }' | sort)"
unexpected="$(grep -vxE 'libc\.so\.6|libm\.so\.6|ld-linux-x86-64\.so\.2' <<<"$needed" || true)"
[ -z "$unexpected" ] || { echo "build-deb: the binary also links $unexpected; add it to Depends" >&2; exit 1; }
glibc="$(objdump -T "$binary" | grep -oE 'GLIBC_[0-9]+(\.[0-9]+)+' | cut -d_ -f2 | sort -uV | tail -n1)"

install -d -m 0755 "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: ucs-mail-config
Version: $version
Architecture: amd64
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: libc6 (>= $glibc)
Recommends: opendkim, opendkim-tools, postfix
Section: admin
Priority: optional
Description: turns one mail policy file into UCS templates for Postfix and OpenDKIM
 ucs-mail-config validates mail-policy.yaml, one declarative description of a
 Univention Corporate Server mail server's policy (Postfix queue lifetimes,
 milters, DKIM signing with OpenDKIM, SPF and DMARC), and renders it into UCS
 Configuration Registry templates, never editing a stock UCS template.
 Every problem is reported as FILE:LINE:COL; the output is byte-stable.
CONTROL

mkdir -p "$out"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
