namespace UcsMailConfig.Ucs.Layout;

/// <summary>
/// UCS's content filter path as the stock <c>master.cf.d/30_antivir</c> writes it (UCS-FACTS.md,
/// "Mail through UCS's content filter"): with <c>mail/antivir</c> on, mail goes to amavis and
/// comes back on the smtpd service <see cref="ReinjectionService"/>, which has no option that
/// turns the milters off and takes none from UCR. The one owner of that service's name and of
/// the main.cf value that keeps the milters off it.
/// </summary>
internal static class StockContentFilter
{
    /// <summary>The re-injection listener's master.cf service name, which is its <c>$service_name</c>.</summary>
    public const string ReinjectionService = "127.0.0.1:10025";

    public const string MilterMapsParameter = "smtpd_milter_maps";

    /// <summary>
    /// Postfix ≥ 3.0 expands the condition per service when smtpd reads main.cf, and smtpd_milter_maps
    /// (≥ 3.2) answers DISABLE for every client there: the milters ran on the first pass, where the
    /// real client and its SASL login were known, and never run again on re-injected mail.
    /// Everywhere else the value is empty, Postfix's default.
    /// </summary>
    public const string MilterMapsValue = "${{$service_name} == {" + ReinjectionService + "} ? {static:DISABLE} : {}}";
}
