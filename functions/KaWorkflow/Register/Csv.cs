using System.Text;

namespace KaWorkflow.Register;

/// <summary>RFC 4180 CSV: quoted fields with doubled quotes, embedded commas and line breaks, CRLF or LF.</summary>
public static class Csv
{
    /// <summary>The records of a CSV text, each with the 1-based line number it starts on.</summary>
    public static List<(int Line, List<string> Fields)> Read(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var inQuotes = false;
        var fieldStarted = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (inQuotes) throw new FormatException($"Line {recordLine}: a quoted field is never closed.");
        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || field.Length > 0 || fields.Count > 0)
            {
                fields.Add(field.ToString());
                records.Add((recordLine, fields));
            }
            fields = new List<string>();
            field.Clear();
            fieldStarted = false;
        }
    }

    /// <summary>
    /// Text starting with = + - @ (or a tab or carriage return) is read by spreadsheets as a formula: a leading
    /// apostrophe keeps it text (CSV injection). Every CSV the app writes goes through this.
    /// </summary>
    public static string? Defuse(string? value) => value is { Length: > 0 } && FormulaStart(value[0]) ? "'" + value : value;

    /// <summary>Undoes <see cref="Defuse"/> on import, so a register downloaded and uploaded again is
    /// unchanged.</summary>
    public static string Restore(string value) => value.Length > 1 && value[0] == '\'' && FormulaStart(value[1]) ? value[1..] : value;

    private static bool FormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Field(string? value)
    {
        value ??= "";
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
