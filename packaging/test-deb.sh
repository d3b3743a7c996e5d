#!/usr/bin/env bash
# Installs the .deb on this machine (as root) the way an admin would, runs the installed
# binary against the installed examples, removes the package and checks that nothing of it
# is left behind.
# Usage: packaging/test-deb.sh DEB
set -euo pipefail
cd "$(dirname "$0")/.."
deb="$(realpath "$1")"

DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb"
[ "$(command -v ucs-mail-config)" = /usr/bin/ucs-mail-config ]
bash packaging/smoke-test.sh /usr/bin/ucs-mail-config /usr/share/ucs-mail-config/examples
zcat /usr/share/man/man1/ucs-mail-config.1.gz | grep -q '^\.TH UCS\\-MAIL\\-CONFIG 1'
# The installed man page documents the subcommands too, and the completion completes them.
zcat /usr/share/man/man1/ucs-mail-config.1.gz | grep -q '^\.SS "ucs\\-mail\\-config dns check"'
completion=/usr/share/bash-completion/completions/ucs-mail-config
words="$(bash -c 'source /usr/share/bash-completion/bash_completion && source "$1" &&
  COMP_WORDS=(ucs-mail-config dkim "") COMP_CWORD=2 COMP_LINE="ucs-mail-config dkim " COMP_POINT=21 &&
  _ucs_mail_config && echo "${COMPREPLY[*]}"' _ "$completion")"
[ "$words" = "keygen rotate" ] || { echo "test-deb: $completion completes 'dkim ' to '$words'" >&2; exit 1; }

# Directories such as /usr/bin are shared; every file of the package and its own folders must go.
owned="$(dpkg -L ucs-mail-config | while IFS= read -r path; do [ -d "$path" ] || echo "$path"; done)"
owned+=$'\n/usr/share/ucs-mail-config\n/usr/share/doc/ucs-mail-config'
DEBIAN_FRONTEND=noninteractive apt-get remove -y ucs-mail-config
if dpkg-query -W -f='${Status}' ucs-mail-config 2>/dev/null | grep -q ' installed$'; then
  echo "test-deb: ucs-mail-config is still installed" >&2
  exit 1
fi
left="$(while IFS= read -r path; do [ ! -e "$path" ] || echo "$path"; done <<<"$owned")"
[ -z "$left" ] || { echo "test-deb: left behind after removal:"$'\n'"$left" >&2; exit 1; }
echo "test-deb: $(basename "$deb") installs, renders its examples and uninstalls cleanly"
