namespace UcsMailConfig.Policy.Values;

/// <summary>Names that end up as identifiers in generated files, each with what is valid.</summary>
internal static class Identifiers
{
    public const string ParameterNameExpectation = "a Postfix main.cf parameter name: letters, digits and '_', starting with a lower-case letter (e.g. smtp_line_length_limit, smtpd_tls_CAfile)";
    public const string HeaderNameExpectation = "a mail header field name of letters, digits and '-' (e.g. From, Subject, Reply-To)";
    public const string MilterNameExpectation = "a short name of lower-case letters, digits, '-' and '_' (e.g. rspamd, opendkim)";

    public static bool IsParameterName(string text) =>
        text.Length is >= 1 and <= 100 && char.IsAsciiLetterLower(text[0])
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    public static bool IsHeaderName(string text) =>
        text.Length is >= 1 and <= 76 && char.IsAsciiLetter(text[0])
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    public static bool IsMilterName(string text) =>
        text.Length is >= 1 and <= 40 && (char.IsAsciiLetterLower(text[0]) || char.IsAsciiDigit(text[0]))
        && text.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
