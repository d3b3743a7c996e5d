using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Tests.Support;

namespace UcsMailConfig.Tests.Validation;

/// <summary>
/// Acceptance: every bad policy is reported at the exact FILE:LINE:COL with its code, all
/// findings of one file in one run and in file order, exit 1, and nothing is written.
/// The policies go through the real CLI in-process, so argument parsing, the printed format
/// and the exit code are covered together with the validation rules.
/// </summary>
/// <remarks>
/// Every expected position below was worked out by hand from the YAML (1-based; unknown and
/// duplicate keys at the key, bad values at the value, missing keys at the first key of the
/// enclosing mapping, cross-value rules at the node the rule names), not copied from output.
/// </remarks>
public sealed partial class BadPolicyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("bad-policy-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>(row name, policy text, expected errors as "LINE:COL CODE, ..." in file order).</summary>
    public static TheoryData<string, string, string> BadPolicies => new()
    {
        // --- The YAML document itself ---------------------------------------------------
        {
            "yaml-bad-indentation",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 1h
               bounce_lifetime: 1h
            """,
            "5:4 UMC001"
        },
        {
            "yaml-unclosed-quote",
            """
            version: 1
            dkim:
              socket: "localhost:8891
            """,
            "3:11 UMC001"
        },
        {
            "yaml-quoted-value-over-two-lines",
            """
            version: 1
            dkim:
              socket: "localhost:
                8891"
            """,
            "3:11 UMC008"
        },
        {
            "yaml-plain-value-over-two-lines",
            """
            version: 1
            postfix:
              parameters:
                smtpd_banner: $myhostname
                  ESMTP
            """,
            "5:7 UMC001"
        },
        {
            "yaml-tab-indentation",
            "version: 1\npostfix:\n\tqueue: {}\n",
            "3:1 UMC001"
        },
        {
            "yaml-no-space-after-colon",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime:1h
                bounce_lifetime: 2h
            """,
            "5:5 UMC001"
        },
        {
            "yaml-list-on-the-key-line",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: - mx
            """,
            "5:19 UMC001"
        },
        {
            "yaml-colon-space-in-value",
            """
            version: 1
            postfix:
              parameters:
                smtpd_banner: mail: ESMTP
            """,
            "4:23 UMC001"
        },
        {
            "yaml-unknown-escape",
            """
            version: 1
            dkim:
              socket: "local\qhost:8891"
            """,
            "3:17 UMC001"
        },
        {
            "yaml-unclosed-flow-list",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: [mx, a
            """,
            "5:19 UMC001"
        },
        {
            "yaml-list-item-where-a-key-belongs",
            """
            version: 1
            postfix:
              queue: {}
              - a
            """,
            "4:3 UMC001"
        },
        {
            "yaml-text-after-value",
            """
            version: 1
            dkim:
              socket: "localhost:8891" extra
            """,
            "3:28 UMC001"
        },
        {
            "yaml-directive",
            """
            %YAML 1.2
            ---
            version: 1
            """,
            "1:1 UMC008"
        },
        {
            "duplicate-key-top-level",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 1h
            version: 1
            """,
            "5:1 UMC002"
        },
        {
            "duplicate-key-nested",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 1h
                bounce_lifetime: 1h
                maximal_lifetime: 2h
            """,
            "6:5 UMC002"
        },
        {
            // YAML sees two keys; DNS sees one domain.
            "duplicate-domain-other-case",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: [mx]
              Example.COM:
                spf:
                  mechanisms: [a]
            """,
            "6:3 UMC002"
        },
        {
            "unknown-key-typo",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetme: 1h
            """,
            "4:5 UMC003"
        },
        {
            "wrong-type-list-for-mapping",
            """
            version: 1
            postfix:
              - queue
            """,
            "3:3 UMC004"
        },
        {
            "wrong-type-mapping-for-scalar",
            """
            version: 1
            domains:
              example.com:
                dmarc:
                  policy:
                    p: reject
            """,
            "6:9 UMC004"
        },
        {
            "wrong-type-list-as-key",
            """
            [a, b]: 1
            version: 1
            """,
            "1:1 UMC004"
        },
        {
            "yaml-complex-key",
            """
            ? [a, b]
            : 1
            version: 1
            """,
            "1:1 UMC008"
        },
        {
            "missing-version",
            """
            postfix:
              queue:
                maximal_lifetime: 1h
            """,
            "1:1 UMC005"
        },
        {
            "missing-milter-name",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - socket: localhost:11332
            """,
            "5:9 UMC005"
        },
        {
            // Only the binder knows that 'socket' is required for every milter but 'opendkim'.
            "missing-milter-socket",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    applies_to: [smtpd]
            """,
            "5:9 UMC005"
        },
        {
            "missing-dmarc-policy",
            """
            version: 1
            domains:
              example.com:
                dmarc:
                  percent: 50
                  rua: ["mailto:dmarc@example.com"]
            """,
            "5:7 UMC005"
        },
        {
            "control-character-tab",
            """
            version: 1
            postfix:
              parameters:
                smtpd_banner: "mail\tserver"
            """,
            "4:19 UMC006"
        },
        {
            "control-character-bell",
            """
            version: 1
            domains:
              example.com:
                dmarc:
                  policy: "reject\u0007"
            """,
            "5:15 UMC006"
        },
        {
            // A newline in a main.cf value would start a new parameter line; no value needs one.
            "yaml-block-scalar",
            """
            version: 1
            postfix:
              parameters:
                smtpd_banner: |
                  line one
                  line two
            """,
            "4:19 UMC008"
        },
        {
            "unsupported-version",
            """
            version: 2
            """,
            "1:10 UMC007"
        },
        {
            "yaml-anchor",
            """
            version: 1
            postfix:
              queue: &q
                maximal_lifetime: 1h
            """,
            "3:10 UMC008"
        },
        {
            "yaml-tag",
            """
            version: !!int 1
            """,
            "1:10 UMC008"
        },
        {
            "empty-file",
            "",
            "1:1 UMC009"
        },
        {
            "two-documents",
            """
            version: 1
            ---
            version: 1
            """,
            "2:1 UMC010"
        },
        {
            // @%@ would be substituted by UCR when it commits the template.
            "ucr-marker-substitution",
            """
            version: 1
            postfix:
              parameters:
                smtpd_banner: "@%@hostname@%@ ESMTP"
            """,
            "4:19 UMC011"
        },
        {
            // @!@ would run Python as root when UCR commits the template.
            "ucr-marker-python",
            """
            version: 1
            postfix:
              parameters:
                smtpd_banner: x @!@import os@!@
            """,
            "4:19 UMC011"
        },

        // --- One value, checked on its own ------------------------------------------------
        {
            "duration-unknown-unit",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 2x
            """,
            "4:23 UMC020"
        },
        {
            // Postfix units are lower case; 1H is not one hour.
            "duration-upper-case-unit",
            """
            version: 1
            postfix:
              queue:
                bounce_lifetime: 1H
            """,
            "4:22 UMC020"
        },
        {
            "duration-negative",
            """
            version: 1
            postfix:
              queue:
                delay_warning: -1
            """,
            "4:20 UMC020"
        },
        {
            // Postfix would read 3600 days here (its unit for the queue lifetimes), hours for delay_warning_time.
            "duration-without-unit",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 3600
            """,
            "4:23 UMC020"
        },
        {
            // Scriban and UCR have limits far below the 32 MiB a policy may have; no setting needs this much.
            "value-over-64-kib",
            "version: 1\npostfix:\n  parameters:\n    smtpd_banner: " + new string('x', 64 * 1024 + 1),
            "4:19 UMC013"
        },
        {
            // Every term fits, the record does not: a TXT record's data has at most 65,535 bytes.
            "spf-record-longer-than-a-txt-record",
            "version: 1\ndomains:\n  example.com:\n    spf:\n      mechanisms: ["
                + string.Join(", ", Enumerable.Range(0, 6000).Select(i => $"ip4:10.{i / 256}.{i % 256}.1")) + "]",
            "5:7 UMC013"
        },
        {
            // The domain fits in 253 characters; selector._domainkey.domain does not.
            "selector-dns-name-over-253",
            $"version: 1\ndomains:\n  {LongDomain(203)}:\n    dkim:\n      selectors:\n        {new string('s', 40)}: {{}}",
            "6:9 UMC039"
        },
        {
            "dmarc-dns-name-over-253",
            $"version: 1\ndomains:\n  {LongDomain(247)}:\n    dmarc:\n      policy: none",
            "5:7 UMC039"
        },
        {
            // YAML 1.1's 'yes' is text in the policy, so a typo cannot flip a switch silently.
            "boolean-yes",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  subdomains: yes
                  selectors:
                    s1: {}
            """,
            "5:19 UMC021"
        },
        {
            "integer-protocol-7",
            """
            version: 1
            postfix:
              milters:
                protocol: 7
                chain:
                  - name: rspamd
                    socket: localhost:11332
            """,
            "4:15 UMC022"
        },
        {
            "choice-default-action",
            """
            version: 1
            postfix:
              milters:
                default_action: bounce
                chain:
                  - name: rspamd
                    socket: localhost:11332
            """,
            "4:21 UMC023"
        },
        {
            "domain-underscore",
            """
            version: 1
            domains:
              exa_mple.com:
                spf:
                  mechanisms: [mx]
            """,
            "3:3 UMC024"
        },
        {
            "domain-bare-host-name",
            """
            version: 1
            domains:
              localhost:
                spf:
                  mechanisms: [mx]
            """,
            "3:3 UMC024"
        },
        {
            "domain-trailing-dot",
            """
            version: 1
            dkim:
              signing:
                - from: "*@example.com"
                  domain: example.com.
                  selector: s1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "5:15 UMC024"
        },
        {
            "selector-with-space",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    bad selector: {}
            """,
            "6:9 UMC025"
        },
        {
            "socket-without-port",
            """
            version: 1
            dkim:
              socket: localhost
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:11 UMC026"
        },
        {
            // OpenDKIM's own PORT@HOST form; the policy speaks HOST:PORT and translates.
            "socket-opendkim-syntax",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: inet:12345@localhost
            """,
            "6:17 UMC026"
        },
        {
            "socket-port-out-of-range",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: localhost:99999
            """,
            "6:17 UMC026"
        },
        {
            // Host bits set: 10.0.0.1/8 is almost always a typo for 10.0.0.0/8 or 10.0.0.1/32.
            "host-network-bits-set",
            """
            version: 1
            dkim:
              trusted_hosts: [127.0.0.1, 10.0.0.1/8]
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:30 UMC027"
        },
        {
            "host-octet-out-of-range",
            """
            version: 1
            dkim:
              internal_hosts:
                - 300.1.1.1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "4:7 UMC027"
        },
        {
            "path-relative",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: relative/key}
            """,
            "6:19 UMC028"
        },
        {
            "path-dot-dot",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1:
                      key: /etc/x/../y
            """,
            "7:16 UMC028"
        },
        {
            // OpenDKIM's KeyTable splits on white space.
            "path-with-space",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: "/etc/with space"}
            """,
            "6:19 UMC028"
        },
        {
            "parameter-name",
            """
            version: 1
            postfix:
              parameters:
                Bad-Name: x
            """,
            "4:5 UMC029"
        },
        {
            "header-name",
            """
            version: 1
            dkim:
              oversign_headers: [From, "Fr om"]
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:28 UMC030"
        },
        {
            "milter-name",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: Rspamd!
                    socket: localhost:11332
            """,
            "5:15 UMC031"
        },
        {
            "sender-without-at",
            """
            version: 1
            dkim:
              signing:
                - from: example.com
                  domain: example.com
                  selector: s1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "4:13 UMC032"
        },
        {
            // RFC 7208 5.5: ptr "SHOULD NOT be used".
            "spf-ptr",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: [mx, ptr]
            """,
            "5:24 UMC033"
        },
        {
            "dmarc-rua-without-mailto",
            """
            version: 1
            domains:
              example.com:
                dmarc:
                  policy: reject
                  rua: [dmarc@example.com]
            """,
            "6:13 UMC034"
        },
        {
            "duplicate-list-item",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms:
                    - mx
                    - a
                    - mx
            """,
            "8:11 UMC035"
        },

        // --- Rules across values ----------------------------------------------------------
        {
            "dkim-enabled-without-selectors",
            """
            version: 1
            dkim:
              enabled: true
              socket: localhost:8891
            """,
            "3:3 UMC040"
        },
        {
            // A dkim section means enabled: true; without the key the rule points at the section.
            "dkim-section-without-selectors",
            """
            version: 1
            dkim:
              mode: sign
            """,
            "3:3 UMC040"
        },
        {
            "signing-unknown-domain",
            """
            version: 1
            dkim:
              signing:
                - from: "*@example.org"
                  domain: example.org
                  selector: s1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "5:15 UMC041"
        },
        {
            "signing-unknown-selector",
            """
            version: 1
            dkim:
              signing:
                - from: "*@example.com"
                  domain: example.com
                  selector: s2
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "6:17 UMC042"
        },
        {
            // s2 stays active, so the domain still signs and no UMC049 warning muddies the row.
            "signing-pending-selector",
            """
            version: 1
            dkim:
              signing:
                - from: "*@example.com"
                  domain: example.com
                  selector: s1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {state: pending}
                    s2: {}
            """,
            "6:17 UMC051"
        },
        {
            "signing-catch-all",
            """
            version: 1
            dkim:
              signing:
                - from: "*@*"
                  domain: example.com
                  selector: s1
                - from: "*"
                  domain: example.com
                  selector: s1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "4:13 UMC043, 7:13 UMC043"
        },
        {
            "parameter-managed-by-ucs",
            """
            version: 1
            postfix:
              parameters:
                myhostname: mail.example.com
            """,
            "4:5 UMC044"
        },
        {
            "parameter-owned-by-queue-key",
            """
            version: 1
            postfix:
              parameters:
                maximal_queue_lifetime: 1h
            """,
            "4:5 UMC045"
        },
        {
            "parameter-owned-by-milters",
            """
            version: 1
            postfix:
              parameters:
                smtpd_milters: inet:localhost:11332
            """,
            "4:5 UMC045"
        },
        {
            // smtpd runs chrooted in /var/spool/postfix and would not find the socket.
            "dkim-socket-outside-chroot",
            """
            version: 1
            dkim:
              socket: /run/opendkim/opendkim.sock
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:11 UMC046"
        },
        {
            "milter-socket-outside-chroot",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: unix:/run/rspamd/milter.sock
            """,
            "6:17 UMC046"
        },
        {
            "milter-same-name",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: localhost:11332
                  - name: rspamd
                    socket: localhost:11333
            """,
            "7:15 UMC047"
        },
        {
            // The default dkim.socket is localhost:8891; DKIM is on because a domain has a selector.
            "milter-same-socket-as-dkim",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: localhost:8891
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "6:17 UMC047"
        },
        {
            "opendkim-entry-with-socket",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: opendkim
                    socket: localhost:8891
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "6:9 UMC048"
        },
        {
            "opendkim-entry-dkim-disabled",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: opendkim
            dkim:
              enabled: false
            """,
            "5:15 UMC048"
        },
        {
            // Eleven of a/mx/include/exists; the ip4 term is free.
            "spf-eleven-lookups",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms:
                    - mx
                    - a
                    - mx:mx1.example.net
                    - a:relay.example.net
                    - include:_spf.provider1.example
                    - include:_spf.provider2.example
                    - include:_spf.provider3.example
                    - include:_spf.provider4.example
                    - include:_spf.provider5.example
                    - include:_spf.provider6.example
                    - exists:check.example.net
                    - ip4:192.0.2.0/24
            """,
            "5:7 UMC050"
        },
        {
            "spf-all-pass",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: [mx]
                  all: pass
            """,
            "6:12 UMC057"
        },
        {
            // A whole record pasted as one item would publish v=spf1 twice.
            "spf-record-in-mechanisms",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms:
                    - mx
                    - "v=spf1 include:_spf.provider.example -all"
            """,
            "7:11 UMC059"
        },
        {
            "spf-all-in-mechanisms",
            """
            version: 1
            domains:
              example.com:
                spf:
                  mechanisms: [mx, "~all"]
                  all: fail
            """,
            "5:24 UMC060"
        },
        {
            "shared-key-file",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: /etc/opendkim/keys/shared.private}
                    s2: {key: /etc/opendkim/keys/shared.private}
            """,
            "7:19 UMC053"
        },
        {
            // The first selector uses the default path; the clash must still be found.
            "shared-key-file-with-default-path",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
              example.net:
                dkim:
                  selectors:
                    s1: {key: /etc/opendkim/keys/example.com/s1.private}
            """,
            "10:19 UMC053"
        },
        {
            // diff and apply --check would print the private key, apply would overwrite it with the template.
            "key-path-is-a-rendered-template",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: /etc/univention/templates/files/etc/opendkim/KeyTable}
            """,
            "6:19 UMC064"
        },
        {
            "key-path-is-roots-authorized-keys",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: /root/.ssh/authorized_keys}
            """,
            "6:19 UMC064"
        },
        {
            "key-path-outside-a-custom-key-folder",
            """
            version: 1
            dkim:
              key_folder: /srv/dkim
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
                    s2: {key: /srv/dkim-other/s2.private}
                    s3: {key: /srv/dkim/example.com/s3.private}
            """,
            "9:19 UMC064"
        },
        {
            // Reported once, at the folder: the key below it is not judged against a folder that cannot be used.
            "key-folder-holds-rendered-templates",
            """
            version: 1
            dkim:
              key_folder: /etc/univention/templates/files/etc/opendkim
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: /etc/univention/templates/files/etc/opendkim/KeyTable}
            """,
            "3:15 UMC063"
        },
        {
            // OpenDKIM's own tables live there, root's, 0755.
            "key-folder-is-etc-opendkim",
            """
            version: 1
            dkim:
              key_folder: /etc/opendkim
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:15 UMC063"
        },
        {
            "key-folder-below-root",
            """
            version: 1
            dkim:
              key_folder: /root/.ssh
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:15 UMC063"
        },
        {
            "key-folder-dot-dot",
            """
            version: 1
            dkim:
              key_folder: /etc/opendkim/keys/../../cron.d
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:15 UMC028"
        },
        {
            // Postfix expands $queue_directory in smtpd_milters; OpenDKIM listens on the literal path.
            "dkim-socket-with-dollar",
            """
            version: 1
            dkim:
              socket: /var/spool/postfix/$queue_directory/opendkim.sock
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:11 UMC036"
        },
        {
            "milter-socket-with-dollar",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: unix:/var/spool/postfix/${x}/milter.sock
            """,
            "6:17 UMC036"
        },
        {
            "milter-applies-nowhere",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: localhost:11332
                    applies_to: []
            """,
            "7:21 UMC054"
        },

        // --- Several errors in one file: all reported, in file order ----------------------
        {
            // The duplicate keeps the first value (2x), so that value is checked too;
            // the milters settings also draw a UMC058 warning, which must not count as an error.
            "combo-tree-and-schema",
            """
            verison: 1
            postfix:
              queue:
                maximal_lifetime: 2x
                maximal_lifetime: 1h
              milters:
                default_action: bounce
            """,
            "1:1 UMC003, 1:1 UMC005, 4:23 UMC020, 5:5 UMC002, 7:21 UMC023"
        },
        {
            "combo-queue-durations",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 2x
                bounce_lifetime: 1H
                delay_warning: -1
            """,
            "4:23 UMC020, 5:22 UMC020, 6:20 UMC020"
        },
        {
            "combo-domain-names",
            """
            version: 1
            domains:
              exa_mple.com:
                spf: {mechanisms: [mx]}
              localhost:
                spf: {mechanisms: [mx]}
              example.com.:
                spf: {mechanisms: [mx]}
            """,
            "3:3 UMC024, 5:3 UMC024, 7:3 UMC024"
        },
        {
            // message_size_limit is stock but has no policy key, so it is allowed (via UCR).
            "combo-postfix-parameters",
            """
            version: 1
            postfix:
              parameters:
                myhostname: mail.example.com
                maximal_queue_lifetime: 1h
                smtpd_milters: inet:localhost:11332
                Bad-Name: x
                message_size_limit: 52428800
            """,
            "4:5 UMC044, 5:5 UMC045, 6:5 UMC045, 7:5 UMC029"
        },
        {
            "combo-signing-rules",
            """
            version: 1
            dkim:
              signing:
                - from: "*@example.org"
                  domain: example.org
                  selector: s1
                - from: "*@example.com"
                  domain: example.com
                  selector: s9
                - from: "news@example.com"
                  domain: example.com
                  selector: s0
                - from: "*@*"
                  domain: example.com
                  selector: s1
                - from: example.com
                  domain: example.com
                  selector: s1
            domains:
              example.com:
                dkim:
                  selectors:
                    s0: {state: pending}
                    s1: {}
            """,
            "5:15 UMC041, 9:17 UMC042, 12:17 UMC051, 13:13 UMC043, 16:13 UMC032"
        },
        {
            // clamav's two findings are raised in the opposite order; output must still be by position.
            "combo-milter-chain",
            """
            version: 1
            postfix:
              milters:
                chain:
                  - name: rspamd
                    socket: /run/rspamd/milter.sock
                  - name: rspamd
                    socket: localhost:11333
                  - name: clamav
                    socket: localhost:8891
                    applies_to: []
                  - name: Spam!
                    socket: localhost:7357
                  - name: opendkim
                    socket: localhost:8891
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "6:17 UMC046, 7:15 UMC047, 10:17 UMC047, 11:21 UMC054, 12:15 UMC031, 15:9 UMC048"
        },
        {
            "combo-value-safety",
            """
            version: 2
            postfix:
              parameters:
                smtpd_banner: "mail\tserver"
                smtp_helo_name: "@%@hostname@%@"
                "bad\u0007name": x
            """,
            "1:10 UMC007, 4:19 UMC006, 5:21 UMC011, 6:5 UMC006"
        },
        {
            // Shape errors and binder errors interleave by position; the UMC052 warning is not an error.
            "combo-shape-and-cross-rules",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 1d
                bounce_lifetime: 2d
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {key: /etc/opendkim/keys/shared.private}
                    s2: {key: /etc/opendkim/keys/shared.private, state: active}
                spf:
                  mechanisms: [mx, ptr]
                  all: pass
                dmarc:
                  policy: reject
                  percent: 150
            """,
            "11:19 UMC053, 13:24 UMC033, 14:12 UMC057, 17:16 UMC022"
        },
        {
            "combo-wrong-types",
            """
            version: 1
            postfix: []
            dkim: true
            domains:
              example.com: "yes"
            """,
            "2:10 UMC004, 3:7 UMC004, 5:16 UMC004"
        },

        // --- Transport encryption and S/MIME (tls, webapp) -------------------------------
        {
            "tls-unknown-outbound-level",
            """
            version: 1
            tls:
              outbound:
                level: mandatory
            """,
            "4:12 UMC023"
        },
        {
            // dane and the certificate levels exist only for the SMTP client.
            "tls-inbound-level-dane",
            """
            version: 1
            tls:
              inbound:
                level: dane
            """,
            "4:12 UMC023"
        },
        {
            "tls-unknown-min-protocol",
            """
            version: 1
            tls:
              outbound:
                min_protocol: SSLv3
            """,
            "4:19 UMC023"
        },
        {
            "tls-bad-destinations",
            """
            version: 1
            tls:
              destinations:
                "*.example.com": encrypt
                "[mail.example.com": encrypt
                example.com:99999: encrypt
                ".example.com:25": encrypt
                "mail example.com": encrypt
            """,
            "4:5 UMC070, 5:5 UMC070, 6:5 UMC070, 7:5 UMC070, 8:5 UMC070"
        },
        {
            "tls-unknown-destination-level",
            """
            version: 1
            tls:
              destinations:
                example.org: fingerprint
            """,
            "4:18 UMC023"
        },
        {
            // TLSA records live under a DNS name; an address literal has none.
            "tls-dane-for-address-literal",
            """
            version: 1
            tls:
              destinations:
                "[192.0.2.25]:25": dane
                "[2001:db8::25]": dane
            """,
            "4:24 UMC071, 5:23 UMC071"
        },
        {
            "tls-destination-twice-other-case",
            """
            version: 1
            tls:
              destinations:
                example.org: encrypt
                Example.ORG: secure
            """,
            "5:5 UMC002"
        },
        {
            "tls-parameters-instead-of-tls-keys",
            """
            version: 1
            postfix:
              parameters:
                smtp_tls_security_level: encrypt
                smtpd_tls_security_level: may
                smtp_tls_policy_maps: hash:/etc/postfix/mine
            """,
            "4:5 UMC045, 5:5 UMC045, 6:5 UMC045"
        },
        {
            "tls-dnssec-parameter-with-dane",
            """
            version: 1
            postfix:
              parameters:
                smtp_dns_support_level: enabled
            tls:
              destinations:
                example.org: dane
            """,
            "4:5 UMC045"
        },
        {
            "smime-unknown-cipher",
            """
            version: 1
            webapp:
              smime:
                cipher: 3des
            """,
            "4:13 UMC023"
        },
        {
            // PLUGIN_SMIME_CACERTS splits at ';': one path must not smuggle in a second.
            "smime-ca-path-with-separator",
            """
            version: 1
            webapp:
              smime:
                ca_certificates: ["/etc/ssl/certs;/tmp/ca", relative/ca.pem]
                ocsp: maybe
            """,
            "4:23 UMC028, 4:49 UMC028, 5:11 UMC021"
        },
    };

    /// <summary>(row name, valid policy text, expected warnings as "LINE:COL CODE, ..." in file order).</summary>
    public static TheoryData<string, string, string> WarningPolicies => new()
    {
        {
            "queue-lifetime-zero",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: "0"
                bounce_lifetime: "0"
            """,
            "4:23 UMC069"
        },
        {
            "bounce-longer-than-queue",
            """
            version: 1
            postfix:
              queue:
                maximal_lifetime: 1h
                bounce_lifetime: 2h
            """,
            "5:5 UMC052"
        },
        {
            "only-pending-selector",
            """
            version: 1
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {state: pending}
            """,
            "5:7 UMC049"
        },
        {
            "dkim-disabled-with-selectors",
            """
            version: 1
            dkim:
              enabled: false
            domains:
              example.com:
                dkim:
                  selectors:
                    s1: {}
            """,
            "3:3 UMC055"
        },
        {
            "milter-settings-without-milters",
            """
            version: 1
            postfix:
              milters:
                default_action: tempfail
                protocol: 6
            """,
            "4:5 UMC058, 5:5 UMC058"
        },
        {
            "signing-domain-mismatch",
            """
            version: 1
            dkim:
              signing:
                - from: "*@lists.example.org"
                  domain: example.com
                  selector: s1
            domains:
              example.com: {dkim: {selectors: {s1: {}}}}
            """,
            "4:13 UMC056"
        },
        {
            "tls-encrypt-straight-to-the-internet",
            """
            version: 1
            tls:
              outbound:
                level: encrypt
            """,
            "4:12 UMC072"
        },
        {
            "tls-secure-through-an-unnamed-relay",
            """
            version: 1
            postfix:
              parameters:
                relayhost: "[relay.example.net]:587"
            tls:
              outbound:
                level: secure
            """,
            "7:12 UMC072"
        },
        {
            "tls-dane-needs-a-validating-resolver",
            """
            version: 1
            tls:
              outbound:
                level: dane
              destinations:
                example.org: dane
            """,
            "4:12 UMC073"
        },
        {
            "tls-inbound-encrypt",
            """
            version: 1
            tls:
              inbound:
                level: encrypt
            """,
            "4:12 UMC074"
        },
    };

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void BadPolicy_IsReportedAtExactPositions_Exit1_NothingWritten(string name, string yaml, string expected)
    {
        // Raw string literals drop the last newline; an empty policy must stay zero bytes.
        var path = WritePolicy($"{name}.yaml", Encoding.UTF8.GetBytes(yaml.Length == 0 ? "" : yaml + "\n"));

        AssertRejected(path, ParseExpected(expected));
    }

    [Fact]
    public void FileTooLarge_IsRejectedBeforeReading()
    {
        // A sparse file: the size check must fire on the length alone, without reading 32 MiB.
        var path = Path.Combine(_root, "huge.yaml");
        using (var stream = File.Create(path))
        {
            stream.SetLength(PolicyLoader.MaxBytes + 1L);
        }

        AssertRejected(path, [(1, 1, "UMC012")]);
    }

    [Fact]
    public void InvalidUtf8_IsASyntaxErrorAtTheBadByte()
    {
        var path = WritePolicy("latin1.yaml", [.. "version: 1\n# café caf"u8, 0xE9, (byte)'\n']);

        AssertRejected(path, [(2, 11, "UMC001")]);
    }

    // A valid name of exactly this many characters: 63-character labels, then example.com.
    private static string LongDomain(int length)
    {
        var name = "example.com";
        for (var label = 'a'; name.Length < length; label++)
        {
            var size = Math.Min(63, length - name.Length - 1);
            name = new string(label, size) + "." + name;
        }

        return name;
    }

    [Theory]
    [MemberData(nameof(WarningPolicies))]
    public void WarningOnlyPolicy_Exits0_AndPrintsEachWarningAtItsPosition(string name, string yaml, string expected)
    {
        var path = WritePolicy($"{name}.yaml", Encoding.UTF8.GetBytes(yaml + "\n"));

        var (exit, _, stderr) = Run("validate", path);

        Assert.True(exit == 0, $"exit {exit}; stderr:\n{stderr}");
        var warnings = Lines(stderr).Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Select(l => DiagnosticPrefix(l, path, "warning"));
        Assert.Equal(ParseExpected(expected).Select(e => $"{e.Line}:{e.Column}: warning {e.Code}: "), warnings);
        Assert.DoesNotContain(Lines(stderr), l => l.Contains(": error", StringComparison.Ordinal));
    }

    [Fact]
    public void Table_CoversEveryErrorCode_AndEveryWarningCode()
    {
        var warningCodes = new HashSet<string> { "UMC049", "UMC052", "UMC069", "UMC055", "UMC056", "UMC058", "UMC072", "UMC073", "UMC074" };

        // UMC012 needs a 32 MiB file, UMC061, UMC062 and UMC065 need key files (only dns, dns check
        // and apply read them): each has its own test.
        var notInTable = new HashSet<string> { "UMC012", "UMC061", "UMC062", "UMC065" };
        var allCodes = typeof(DiagnosticCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => ((DiagnosticCode)f.GetValue(null)!).Id)
            .ToHashSet();

        var tableErrors = BadPolicies.SelectMany(row => ParseExpected((string)row[2])).Select(e => e.Code).ToHashSet();
        var tableWarnings = WarningPolicies.SelectMany(row => ParseExpected((string)row[2])).Select(e => e.Code).ToHashSet();

        Assert.True(BadPolicies.Count() >= 45, $"only {BadPolicies.Count()} bad policies");
        Assert.Equal(allCodes.Except(warningCodes).Except(notInTable).Order(), tableErrors.Order());
        Assert.Equal(warningCodes.Order(), tableWarnings.Order());
    }

    [Fact]
    public void MissingKeyFile_IsAnErrorAtTheSelector_WhereKeysAreRead()
    {
        var path = WritePolicy("no-key.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n        \"20261128\": {key: /etc/opendkim/keys/k.pem}\n"u8.ToArray());

        var (exit, stdout, stderr) = Run("dns", path, "--root", _root);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(["6:9: error UMC062: ", "7:9: error UMC062: "], ErrorPrefixes(stderr, path));
        Assert.Contains("--selector 20261128 --key /etc/opendkim/keys/k.pem --root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnsafeKeyFile_IsAnErrorAtTheSelector_WithTheRepair()
    {
        var path = WritePolicy("unsafe-key.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n"u8.ToArray());
        Assert.Equal(0, Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--root", _root).Exit);
        var key = Path.Combine(_root, "etc/opendkim/keys/example.com/s1.private");
        File.SetUnixFileMode(key, (UnixFileMode)0b110_100_000);

        var (exit, stdout, stderr) = Run("dns", path, "--root", _root);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal(["6:9: error UMC065: "], ErrorPrefixes(stderr, path));
        Assert.Contains($"has mode 0640, so others could read or change it; nothing was changed; repair it with: chown opendkim:opendkim {key} && chmod 0600 {key}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void WeakKey_IsAWarningAtTheSelector_WhereKeysAreRead()
    {
        var path = WritePolicy("weak-key.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        s1: {}\n"u8.ToArray());
        Assert.Equal(0, Run("dkim", "keygen", "--domain", "example.com", "--selector", "s1", "--bits", "1024", "--root", _root).Exit);

        var (exit, _, stderr) = Run("dns", path, "--root", _root);

        Assert.Equal(0, exit);
        var warnings = Lines(stderr).Where(l => l.Contains(": warning ", StringComparison.Ordinal)).Select(l => DiagnosticPrefix(l, path, "warning"));
        Assert.Equal(["6:9: warning UMC061: "], warnings);
    }

    [Fact]
    public void UnknownKeyMessage_NamesTheSuggestionAndTheValidKeys()
    {
        var path = WritePolicy("typo.yaml", "version: 1\npostfix:\n  queue:\n    maximal_lifetme: 1h\n"u8.ToArray());

        var (_, _, stderr) = Run("validate", path);

        Assert.Contains(
            $"{path}:4:5: error UMC003: unknown key 'maximal_lifetme' in postfix.queue; did you mean 'maximal_lifetime'? valid keys here: maximal_lifetime, bounce_lifetime, delay_warning",
            Lines(stderr));
    }

    [Fact]
    public void ChoiceMessage_ListsTheValidChoices_AndSuggestsTheClosest()
    {
        var path = WritePolicy("choice.yaml", "version: 1\npostfix:\n  milters:\n    default_action: rejct\n"u8.ToArray());

        var (_, _, stderr) = Run("validate", path);

        Assert.Contains(
            $"{path}:4:21: error UMC023: postfix.milters.default_action must be one of accept, reject, tempfail, quarantine, not 'rejct' (did you mean 'reject'?)",
            Lines(stderr));
    }

    [Fact]
    public void MissingKeyMessage_NamesTheKey()
    {
        var path = WritePolicy("no-version.yaml", "postfix: {}\n"u8.ToArray());

        var (_, _, stderr) = Run("validate", path);

        Assert.Contains(Lines(stderr), l => l.StartsWith($"{path}:1:1: error UMC005: the top level needs the key 'version'", StringComparison.Ordinal));
    }

    [Fact]
    public void ControlCharacter_IsPrintedEscaped_NeverRaw()
    {
        // A raw ESC or BEL in a message could rewrite the admin's terminal.
        var path = WritePolicy("bell.yaml", "version: 1\ndomains:\n  example.com:\n    dmarc:\n      policy: \"reject\\u0007\\e[2J\"\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        Assert.Contains(@"value 'reject\u0007\u001B[2J' contains the control or invisible character U+0007", stderr, StringComparison.Ordinal);
        AssertNoRawControlCharacter(stderr);
    }

    // ---- Hostile input that once slipped through: reported once, escaped, never a crash. ----

    [Fact]
    public void Alias_IsReportedOnce()
    {
        var path = WritePolicy("alias.yaml", "version: 1\npostfix:\n  queue:\n    maximal_lifetime: &life 1h\n    bounce_lifetime: *life\n"u8.ToArray());

        AssertRejected(path, [(4, 23, "UMC008"), (5, 22, "UMC008")]);
    }

    [Fact]
    public void InvalidDkimEnabled_IsReportedOnce()
    {
        var path = WritePolicy("enabled-yes.yaml", "version: 1\ndkim:\n  enabled: yes\n"u8.ToArray());

        AssertRejected(path, [(3, 12, "UMC021")]);
    }

    [Fact]
    public void DuplicateKeyMessage_EscapesControlCharacters()
    {
        var path = WritePolicy("dup-esc.yaml", "version: 1\n\"a\\e[31mb\": 1\n\"a\\e[31mb\": 2\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        AssertNoRawControlCharacter(stderr);
    }

    [Fact]
    public void ValueMessageUnderBadKey_EscapesControlCharacters()
    {
        var path = WritePolicy("path-esc.yaml", "version: 1\ndomains:\n  \"exa\\ample.com\":\n    dmarc: {policy: bounce}\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        AssertNoRawControlCharacter(stderr);
    }

    [Fact]
    public void TagMessage_EscapesControlCharacters()
    {
        var path = WritePolicy("tag-esc.yaml", "version: !x%1B[31m 1\n"u8.ToArray());

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        AssertNoRawControlCharacter(stderr);
    }

    [Fact]
    public void SelectorListedTwiceInOtherCase_IsADuplicate()
    {
        var path = WritePolicy("selector-case.yaml", "version: 1\ndomains:\n  example.com:\n    dkim:\n      selectors:\n        S1: {}\n        s1: {}\n"u8.ToArray());

        AssertRejected(path, [(7, 9, "UMC002")]);
    }

    [Fact]
    public void EmptyDocumentAfterMarker_IsReportedAtTheMarker()
    {
        var path = WritePolicy("only-marker.yaml", "---\n"u8.ToArray());

        AssertRejected(path, [(1, 1, "UMC009")]);
    }

    [Fact]
    public void DeeplyNestedFlowSequence_IsRejected_NotACrash()
    {
        const int depth = 10_000;
        var path = WritePolicy("deep.yaml", Encoding.UTF8.GetBytes($"version: 1\nx: {new string('[', depth)}{new string(']', depth)}\n"));

        var (exit, _, stderr) = Run("validate", path);

        Assert.Equal(1, exit);
        Assert.Contains(": error UMC", stderr, StringComparison.Ordinal);
    }

    // ---- helpers ----

    /// <summary>
    /// validate and render both exit 1 with exactly <paramref name="expected"/> as errors, in
    /// that order, and render leaves no trace (no --out folder, no staging folder).
    /// </summary>
    private void AssertRejected(string path, IReadOnlyList<(int Line, int Column, string Code)> expected)
    {
        var expectedPrefixes = expected.Select(e => $"{e.Line}:{e.Column}: error {e.Code}: ").ToList();

        var (exit, stdout, stderr) = Run("validate", path);
        Assert.True(exit == 1, $"validate: exit {exit}; stderr:\n{stderr}");
        Assert.Equal("", stdout);
        Assert.Equal(expectedPrefixes, ErrorPrefixes(stderr, path));

        var outDir = Path.Combine(_root, "out");
        var before = Directory.GetFileSystemEntries(_root).Order().ToList();
        var (renderExit, _, renderErr) = Run("render", path, "--out", outDir);
        Assert.True(renderExit == 1, $"render: exit {renderExit}; stderr:\n{renderErr}");
        Assert.Equal(expectedPrefixes, ErrorPrefixes(renderErr, path));
        Assert.False(Directory.Exists(outDir), "render created --out for an invalid policy");
        Assert.Equal(before, Directory.GetFileSystemEntries(_root).Order().ToList());
    }

    private static List<string> ErrorPrefixes(string stderr, string path) =>
        Lines(stderr).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => DiagnosticPrefix(l, path, "error")).ToList();

    /// <summary>
    /// "L:C: error UMCnnn: " of a line that starts with "FILE:"; the whole line when it has any
    /// other shape, so the diff shows it. The file is cut off because xunit shortens long
    /// strings in its diff and would hide the position and code behind the temp path.
    /// </summary>
    private static string DiagnosticPrefix(string line, string path, string severity)
    {
        var match = Regex.Match(line, $@"^{Regex.Escape(path)}:(\d+:\d+: {severity} UMC\d{{3}}: )");
        return match.Success ? match.Groups[1].Value : line;
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void AssertNoRawControlCharacter(string stderr)
    {
        var bad = stderr.Where(c => c < ' ' && c != '\n').Select(c => $"U+{(int)c:X4}").ToList();
        Assert.True(bad.Count == 0, $"raw control characters {string.Join(", ", bad)} in stderr:\n{stderr}");
    }

    private static List<(int Line, int Column, string Code)> ParseExpected(string expected) =>
        expected.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(item => ExpectedItem().Match(item))
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Value))
            .ToList();

    [GeneratedRegex(@"^(\d+):(\d+) (UMC\d{3})$")]
    private static partial Regex ExpectedItem();

    private string WritePolicy(string fileName, byte[] content)
    {
        var path = Path.Combine(_root, fileName);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var (exit, stdout, stderr) = CliRun.Run(args);
        return (exit, stdout, stderr);
    }
}
