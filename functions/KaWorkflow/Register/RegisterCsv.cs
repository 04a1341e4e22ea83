using System.Net.Mail;

namespace KaWorkflow.Register;

/// <summary>A problem in an uploaded register, with the CSV line it is on (0 for the file as a whole).</summary>
public sealed record RegisterError(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"Line {Line}: {Message}" : Message;
}

/// <summary>The outcome of reading a register: every activity, or every error and nothing to import.</summary>
public sealed record RegisterParseResult(IReadOnlyList<KeyActivity> Activities, IReadOnlyList<RegisterError> Errors)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>Reads the Key Activity register from CSV (UTF-8, optional BOM, RFC 4180, header names in any
/// case).</summary>
public static class RegisterCsv
{
    /// <summary>A lead's form is saved in one storage transaction (at most 100 rows), which bounds their
    /// activities.</summary>
    public const int MaxActivitiesPerLead = 90;
    public const int MaxTextLength = 8_000;

    private static readonly string[] Required = ["Theme", "Code", "Activity", "Lead", "Lead email"];
    private static readonly string[] Optional = ["Objective", "Team", "Portfolio", "Previous status",
        "Previous progress", "Previous next steps", "Escalation contact"];

    /// <summary>How to get the file the app reads, in the words of Excel's Save As dialogue.</summary>
    public const string SaveAsCsvUtf8 = "In Excel, choose File, Save As, and the type \"CSV UTF-8 (Comma delimited)\".";

    /// <summary>Reads a register from a file's bytes, which must be UTF-8: Excel's plain "CSV" type writes the
    /// Windows code page instead, and reading that as UTF-8 would store "2030 � Harborough�s".</summary>
    public static RegisterParseResult Parse(byte[] file)
    {
        var bytes = file.AsSpan();
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var chars = new char[bytes.Length];
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, chars, out var read, out var written,
            replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            var line = bytes[..read].Count((byte)'\n') + 1;
            return Fail(new RegisterError(line, $"The file is not saved as UTF-8 (byte 0x{bytes[read]:X2} on line " +
                $"{line}), so accented letters, dashes and curly quotes would be garbled. {SaveAsCsvUtf8}"));
        }
        return Parse(new string(chars, 0, written));
    }

    public static RegisterParseResult Parse(string text)
    {
        List<(int Line, List<string> Fields)> records;
        try { records = Csv.Read(text); }
        catch (FormatException e) { return Fail(new RegisterError(0, e.Message)); }
        if (records.Count == 0) return Fail(new RegisterError(0, "The file is empty."));
        if (records[0].Fields is [var only] && (only.Contains(';') || only.Contains('\t')))
            return Fail(new RegisterError(records[0].Line,
                $"The columns are separated by {(only.Contains(';') ? "semicolons (;)" : "tabs")}, not commas. " +
                SaveAsCsvUtf8));

        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        var column = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<RegisterError>();
        for (var i = 0; i < header.Count; i++)
        {
            if (!Required.Concat(Optional).Contains(header[i], StringComparer.OrdinalIgnoreCase))
                errors.Add(new RegisterError(records[0].Line,
                    $"Unknown column '{header[i]}'. Columns are: {string.Join(", ", Required.Concat(Optional))}."));
            else if (!column.TryAdd(header[i], i))
                errors.Add(new RegisterError(records[0].Line, $"Column '{header[i]}' appears twice."));
        }
        foreach (var name in Required.Where(n => !column.ContainsKey(n)))
            errors.Add(new RegisterError(records[0].Line, $"Required column '{name}' is missing."));
        if (errors.Count > 0) return new RegisterParseResult([], errors);

        var activities = new List<KeyActivity>();
        var firstLineOfCode = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            string? Cell(string name) =>
                column.TryGetValue(name, out var i) && i < fields.Count && !string.IsNullOrWhiteSpace(fields[i])
                    ? Csv.Restore(fields[i].Trim()) : null;
            var rowErrors = new List<string>();
            foreach (var name in Required.Where(n => Cell(n) is null))
                rowErrors.Add($"'{name}' is empty.");
            var code = Cell("Code");
            if (code is not null)
            {
                if (code.IndexOfAny(['/', '\\', '#', '?', '|']) >= 0 || code.Any(char.IsControl))
                    rowErrors.Add($"Code '{code}' may not contain / \\ # ? or |.");
                else if (!firstLineOfCode.TryAdd(code, line))
                    rowErrors.Add($"Code '{code}' is already used on line {firstLineOfCode[code]}.");
            }
            var email = Cell("Lead email");
            if (email is not null && !IsEmail(email))
                rowErrors.Add($"'{email}' is not an e-mail address.");
            var escalation = Cell("Escalation contact");
            if (escalation is not null && !IsEmail(escalation))
                rowErrors.Add($"Escalation contact '{escalation}' is not an e-mail address.");
            RagStatus? previous = null;
            if (Cell("Previous status") is { } status)
            {
                if (Enum.TryParse<RagStatus>(status, ignoreCase: true, out var s) && !int.TryParse(status, out _)) previous = s;
                else rowErrors.Add($"Previous status '{status}' is not one of {string.Join(", ", Enum.GetNames<RagStatus>())}.");
            }
            foreach (var name in new[] { "Activity", "Previous progress", "Previous next steps" })
                if (Cell(name) is { Length: > MaxTextLength } long_)
                    rowErrors.Add($"'{name}' is {long_.Length} characters; at most {MaxTextLength}.");
            if (rowErrors.Count > 0)
            {
                errors.AddRange(rowErrors.Select(m => new RegisterError(line, m)));
                continue;
            }
            activities.Add(new KeyActivity(activities.Count, Cell("Theme")!, Cell("Objective"), code!, Cell("Activity")!,
                Cell("Lead")!, email!, Cell("Team"), Cell("Portfolio"), previous, Cell("Previous progress"),
                Cell("Previous next steps"), escalation));
        }
        foreach (var lead in activities.GroupBy(a => a.LeadKey).Where(g => g.Count() > MaxActivitiesPerLead))
            errors.Add(new RegisterError(0,
                $"{lead.Key} leads {lead.Count()} activities; one form holds at most {MaxActivitiesPerLead}."));
        foreach (var lead in activities.GroupBy(a => a.LeadKey).Where(g => g.Select(a => a.EscalationEmail)
                     .Where(e => e is not null).Distinct(StringComparer.OrdinalIgnoreCase).Count() > 1))
            errors.Add(new RegisterError(0, $"{lead.Key} has different escalation contacts on different rows."));
        foreach (var lead in activities.GroupBy(a => a.LeadKey).Where(g => g.Select(a => a.LeadName).Distinct().Count() > 1))
            errors.Add(new RegisterError(0,
                $"{lead.Key} is named differently on different rows ({string.Join(", ", lead.Select(a => a.LeadName).Distinct())})."));
        if (errors.Count == 0 && activities.Count == 0) errors.Add(new RegisterError(0, "The register has no activities."));
        return errors.Count > 0 ? new RegisterParseResult([], errors) : new RegisterParseResult(activities, []);
    }

    /// <summary>Writes a register back to CSV with every column, so an export can be edited and re-imported.</summary>
    public static string Write(IEnumerable<KeyActivity> activities)
    {
        var lines = new List<string> {
            "Theme,Objective,Code,Activity,Lead,Lead email,Team,Portfolio,Previous status,Previous progress,Previous " +
            "next steps,Escalation contact" };
        lines.AddRange(activities.OrderBy(a => a.Order).Select(a => string.Join(',', new[]
        {
            a.Theme, a.Objective, a.Code, a.Title, a.LeadName, a.LeadEmail, a.Team, a.Portfolio,
            a.PreviousStatus?.ToString(), a.PreviousProgress, a.PreviousNextSteps, a.EscalationEmail,
        }.Select(v => Csv.Field(Csv.Defuse(v))))));
        return string.Join("\r\n", lines) + "\r\n";
    }

    private static bool IsEmail(string value) => EmailAddress.IsPlain(value);

    private static RegisterParseResult Fail(RegisterError error) => new([], [error]);
}
