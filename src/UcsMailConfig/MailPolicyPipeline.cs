using System.Collections.Immutable;
using UcsMailConfig.Dkim;
using UcsMailConfig.Dns;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Policy.Values;
using UcsMailConfig.Rendering;
using UcsMailConfig.Ucs;
using UcsMailConfig.Ucs.Import;

namespace UcsMailConfig;

/// <summary>
/// The one entry point from a policy to a host, a method per stage of DESIGN.md's data flow:
/// <see cref="Load(byte[], string)"/> (load → validate → model), <see cref="Render"/> and
/// <see cref="DeriveDnsRecords"/> (derive → render), <see cref="Plan"/> and <see cref="Apply"/>.
/// The commands read their input, call these and print what they return; nothing here prints.
/// Every result is immutable.
/// </summary>
public static class MailPolicyPipeline
{
    /// <summary>
    /// Load, validate, model: the typed policy when <paramref name="content"/> holds a valid one,
    /// and every finding (with its position) either way. More than <see cref="PolicyLoader.MaxBytes"/> is refused unread.
    /// </summary>
    public static PolicyLoadResult Load(byte[] content) =>
        content.Length > PolicyLoader.MaxBytes ? PolicyLoader.TooLarge() : PolicyLoader.Load(content);

    /// <summary>
    /// <see cref="Load(byte[])"/> for the policy read from <paramref name="path"/>, which the
    /// generated files' headers then name (<see cref="PolicyFileName"/>).
    /// </summary>
    public static PolicyLoadResult Load(byte[] content, string path)
    {
        var loaded = Load(content);
        return loaded.Policy is { } policy ? loaded with { Policy = policy with { Source = PolicyFileName.Of(path) } } : loaded;
    }

    /// <summary>
    /// Derive and render: the render model and the files (paths, bytes, modes) it renders to.
    /// Without <paramref name="keys"/>, no public key is known (DNS records say so in a comment).
    /// </summary>
    public static RenderedPolicy Render(MailPolicy policy, DkimPublicKeys? keys = null) =>
        RenderedPolicy.Of(policy, keys ?? DkimPublicKeys.None);

    /// <summary>The public halves of the DKIM keys the policy's selectors name, read below <paramref name="root"/>, with a finding per key that is missing or unusable.</summary>
    public static PublicKeyReading ReadPublicKeys(MailPolicy policy, string? root) => DkimKeyStore.ReadPublicKeys(policy, root);

    /// <summary>Derive the TXT records the policy asks to publish (DKIM per selector, SPF, DMARC).</summary>
    public static ImmutableArray<DnsRecord> DeriveDnsRecords(MailPolicy policy, DkimPublicKeys keys) => DnsRecordDeriver.Derive(policy, keys);

    /// <summary>
    /// Plan: what an apply would change on the host, found as the apply finds it (keys, render,
    /// refusals, staging check) but changing nothing: <see cref="Apply"/> in check mode.
    /// </summary>
    public static ApplyReport Plan(MailPolicy policy, ApplyOptions options) => Apply(policy, options with { CheckOnly = true });

    /// <summary>
    /// Status: the host against the policy its last apply installed, effective state included
    /// (<see cref="StatusReader"/>); changes nothing.
    /// </summary>
    public static HostStatus Status(StatusOptions options) => StatusReader.Read(options);

    /// <summary>
    /// Import: the policy a hand-made host already runs, read from the host below
    /// <see cref="ImportOptions.Root"/> (<see cref="HostImporter"/>), with what it cannot express;
    /// writes nothing.
    /// </summary>
    public static ImportReport Import(ImportOptions options) => HostImporter.Import(options);

    /// <summary>Writes an imported policy to <paramref name="path"/> atomically, mode 0644 (it holds key paths, never keys).</summary>
    /// <exception cref="IOException">the file cannot be written.</exception>
    public static void WriteImported(string path, string policy) =>
        Files.AtomicFile.Write(path, System.Text.Encoding.UTF8.GetBytes(policy), (UnixFileMode)0b110_100_100);

    /// <summary>
    /// Apply (only plan when <see cref="ApplyOptions.CheckOnly"/>): make the host match the
    /// policy, verified, or leave it as it was (<see cref="Applier"/>). An audit log, a lock or
    /// state that cannot be trusted is a refusal, never an exception.
    /// </summary>
    public static ApplyReport Apply(MailPolicy policy, ApplyOptions options)
    {
        try
        {
            if (!options.CheckOnly)
            {
                AuditLog.Check(options.Root);
            }

            return Applier.Apply(policy, options);
        }
        catch (Exception e) when (e is StateRefusedException or Files.UntrustedFileException)
        {
            return new ApplyReport(ApplyOutcome.Refused, null, [], [e.Message], [], false, TimeSpan.Zero);
        }
    }
}
