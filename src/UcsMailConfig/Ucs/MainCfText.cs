using UcsMailConfig.Diagnostics;
namespace UcsMailConfig.Ucs;

/// <summary>
/// main.cf as Postfix reads it: logical lines <c>name = value</c>, a line starting with white
/// space continues the previous one, '#' lines are comments. Just enough to predict the
/// effect of a change on a copy, for checking it before the live file is touched.
/// </summary>
internal sealed class MainCfText
{
    private readonly List<(string? Name, string Text)> _lines = [];

    public MainCfText(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && trimmed.Length > 0 && !trimmed.StartsWith('#') && _lines.Count > 0)
            {
                _lines[^1] = (_lines[^1].Name, _lines[^1].Text + "\n" + line);
                continue;
            }

            var equals = line.IndexOf('=');
            var name = trimmed.StartsWith('#') || equals <= 0 || char.IsWhiteSpace(line[0]) ? null : line[..equals].Trim();
            _lines.Add((name, line));
        }
    }

    /// <summary>The names of the parameters a text sets, in order.</summary>
    public static IReadOnlyList<string> Names(string text) => [.. new MainCfText(text)._lines.Select(l => l.Name).OfType<string>()];

    /// <summary>Replaces the value wherever the parameter is set; appends it where it is not.</summary>
    public void Set(string name, string value)
    {
        var found = false;
        for (var i = 0; i < _lines.Count; i++)
        {
            if (_lines[i].Name == name)
            {
                _lines[i] = (name, $"{name} = {value}");
                found = true;
            }
        }

        if (!found)
        {
            Append(name, value);
        }
    }

    public void RemoveAll(string name) => _lines.RemoveAll(l => l.Name == name);

    public void RemoveLast(string name)
    {
        var last = _lines.FindLastIndex(l => l.Name == name);
        if (last >= 0)
        {
            _lines.RemoveAt(last);
        }
    }

    /// <summary>The last line that sets the parameter (the one Postfix uses), or null.</summary>
    public string? Winning(string name) => _lines.FindLast(l => l.Name == name).Text;

    public void Append(string name, string value) => _lines.Add((name, $"{name} = {value}"));

    public override string ToString() => string.Join('\n', _lines.Select(l => l.Text)).TrimEnd('\n') + "\n";

    /// <summary>Every setting of a text with the 1-based line it starts on, in order; continuation lines belong to it.</summary>
    public static IReadOnlyList<(string Name, int Line, string Value)> Settings(string text)
    {
        var settings = new List<(string Name, int Line, string Value)>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && trimmed.Length > 0 && !trimmed.StartsWith('#') && settings.Count > 0)
            {
                settings[^1] = settings[^1] with { Value = settings[^1].Value + " " + trimmed };
                continue;
            }

            var equals = line.IndexOf('=');
            // A UCR marker line (@%@UCRWARNING=...) is not a setting, though it has an '='.
            if (!trimmed.StartsWith('#') && equals > 0 && !char.IsWhiteSpace(line[0]) && line[..equals].Trim().All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                settings.Add((line[..equals].Trim(), i + 1, line[(equals + 1)..].Trim()));
            }
        }

        return settings;
    }
}
