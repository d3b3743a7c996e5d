#!/usr/bin/env bash
# Writes the man page ucs-mail-config(1) to stdout, built from the binary's own --help
# output (the tool and each of its commands), so the page never drifts from the program.
# Usage: packaging/make-manpage.sh BINARY > ucs-mail-config.1
set -euo pipefail
binary="$1"
version="$("$binary" --version | cut -d+ -f1)"

# roff: a backslash is an escape and a line starting with '.' or "'" is a request.
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\([.']\)/\\\\\&\1/"; }

# System.CommandLine prints "Commands:" followed by one indented "NAME ..." line per command.
commands="$("$binary" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }')"
[ -n "$commands" ] || { echo "make-manpage: no commands found in --help" >&2; exit 1; }

cat <<HEAD
.TH UCS\\-MAIL\\-CONFIG 1 "" "ucs-mail-config $version" "User Commands"
.SH NAME
ucs\\-mail\\-config \\- validate a mail policy and render it into UCS configuration templates
.SH SYNOPSIS
.B ucs\\-mail\\-config
.I command
[\\fIoptions\\fR]
.SH DESCRIPTION
HEAD
echo ".nf"
"$binary" --help | roff
echo ".fi"
echo ".SH COMMANDS"
for command in $commands; do
  echo ".SS ucs\\-mail\\-config $(roff <<<"$command")"
  echo ".nf"
  "$binary" "$command" --help | roff
  echo ".fi"
done
cat <<'TAIL'
.SH EXIT STATUS
.TP
.B 0
success, nothing left to change
.TP
.B 1
invalid input; nothing was written
.TP
.B 2
changes pending
.TP
.B 3
apply failed and was rolled back
.TP
.B 4
apply failed and the rollback failed too; the host is not as it was (the errors say what)
.TP
.B 5
refused before anything changed: lock held past \-\-lock\-wait, a program missing, a key or DNS
precondition, a change the real tools reject (diff and apply \-\-check predict it)
.TP
.B 70
a bug in the tool (one line names the error); an apply cut short by it is recovered by the next apply
.SH FILES
.TP
.I /usr/share/ucs\-mail\-config/mail\-policy.schema.json
the JSON Schema of mail\-policy.yaml, for editor completion
.TP
.I /usr/share/ucs\-mail\-config/examples/
example policies, each with the files it renders to in expected/
.SH SEE ALSO
.BR postconf (5),
.BR opendkim.conf (5),
.BR ucr (8)
TAIL
