using System.Globalization;

namespace UcsMailConfig.Policy.Validate;

/// <summary>How the policy reads booleans and integers: YAML 1.2 core forms only ('yes' is text).</summary>
internal static class ScalarValues
{
    public static bool TryBoolean(string text, out bool value)
    {
        value = text is "true" or "True" or "TRUE";
        return value || text is "false" or "False" or "FALSE";
    }

    public static bool TryInteger(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && text.Length <= 11;
}
