#!/usr/bin/env bash
# Can one OpenDKIM (Debian 12: 2.11.0~beta2) sign with an RSA and an Ed25519 key at once?
# Runs opendkim twice with a KeyTable holding both keys and MultipleSignatures yes, once with
# the default SignatureAlgorithm and once with ed25519-sha256, and has each sign one message
# through the milter protocol (milter_client.py). Run as root on Debian 12 with opendkim,
# openssl and python3 installed; uses 127.0.0.1:18991 and a temporary folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
openssl genpkey -algorithm ed25519 -out "$dir/ed.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/rsa.pem" 2>/dev/null
chmod 600 "$dir"/*.pem
printf 'rsa._domainkey.example.com example.com:rsa:%s/rsa.pem\ned._domainkey.example.com example.com:ed:%s/ed.pem\n' "$dir" "$dir" > "$dir/KeyTable"
printf '*@example.com rsa._domainkey.example.com\n*@example.com ed._domainkey.example.com\n' > "$dir/SigningTable"
for algorithm in "" ed25519-sha256; do
  {
    echo "Socket inet:18991@127.0.0.1"
    echo "KeyTable $dir/KeyTable"
    echo "SigningTable refile:$dir/SigningTable"
    echo "MultipleSignatures yes"
    echo "Mode s"
    echo "InternalHosts 127.0.0.1"
    echo "RequireSafeKeys false"   # the temporary folder is below /tmp, which others can write
    if [ -n "$algorithm" ]; then echo "SignatureAlgorithm $algorithm"; fi
  } > "$dir/opendkim.conf"
  opendkim -f -x "$dir/opendkim.conf" &
  pid=$!
  sleep 1
  echo "=== SignatureAlgorithm ${algorithm:-(default, rsa-sha256)}"
  # For each signature: its a= label, its selector, and the length of b= (an Ed25519
  # signature is 64 bytes, 88 base64 characters; an RSA-2048 one 256 bytes, 344 characters).
  python3 "$here/milter_client.py" 18991 | python3 -c '
import re, sys
for line in sys.stdin:
    if line.startswith("adds DKIM-Signature"):
        b = re.sub(r"[^A-Za-z0-9+/=]", "", line.split(" b=")[-1])
        print(re.search(r"a=[^;]+", line).group(0), re.search(r"\bs=[^;]+", line).group(0), "b= has", len(b), "base64 characters")
    else:
        print(line.rstrip())
'
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
