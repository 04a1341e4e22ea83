using KaWorkflow.Register;
using KaWorkflow.Tests.Support;

namespace KaWorkflow.Tests.Register;

public sealed class RegisterCsvTests
{
    private const string Header = "Theme,Objective,Code,Activity,Lead,Lead email,Team,Portfolio," +
        "Previous status,Previous progress,Previous next steps\n";

    [Fact]
    public void The_sample_register_transcribed_from_the_seed_has_every_activity()
    {
        var parsed = RegisterCsv.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "sample", "register.csv")));
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        Assert.Equal(37, parsed.Activities.Count);
        Assert.Equal(5, parsed.Activities.Select(a => a.LeadKey).Distinct().Count());
        Assert.Equal(3, parsed.Activities.Select(a => a.Theme).Distinct().Count());
        Assert.Equal(11, parsed.Activities.Select(a => a.Objective).Distinct().Count());
        Assert.All(parsed.Activities, a => Assert.EndsWith(".example", a.LeadEmail));
        Assert.Equal(RagStatus.Red, parsed.Activities.Single(a => a.Code == "KA.11.02").PreviousStatus);
    }

    [Fact]
    public void Quoted_fields_keep_commas_quotes_and_line_breaks_and_a_BOM_is_ignored()
    {
        var csv = "\uFEFF" + Header.ToUpperInvariant().Replace("LEAD EMAIL", "Lead Email") +
                  "The Place,,KA.01.01,\"Plan, adopt \"\"and\"\" implement\",Chief Officer,co@council.example," +
                  ",,Green,\"- one\r\n- two\",\n";
        var parsed = RegisterCsv.Parse(csv);
        Assert.True(parsed.Ok, string.Join("\n", parsed.Errors));
        var a = Assert.Single(parsed.Activities);
        Assert.Equal("Plan, adopt \"and\" implement", a.Title);
        Assert.Equal("- one\r\n- two", a.PreviousProgress);
        Assert.Null(a.Objective);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_line_and_nothing_is_imported()
    {
        var csv = Header +
                  "T,,KA.01.01,A,Lead,lead@council.example,,,,,\n" +
                  "T,,KA.01.01,B,Lead,lead@council.example,,,,,\n" +
                  "T,,KA.01.02,,Lead,not-an-email,,,Purple,,\n";
        var parsed = RegisterCsv.Parse(csv);
        Assert.False(parsed.Ok);
        Assert.Empty(parsed.Activities);
        Assert.Contains(parsed.Errors, e => e.Line == 3 && e.Message.Contains("already used on line 2"));
        Assert.Contains(parsed.Errors, e => e.Line == 4 && e.Message.Contains("'Activity' is empty"));
        Assert.Contains(parsed.Errors, e => e.Line == 4 && e.Message.Contains("not an e-mail address"));
        Assert.Contains(parsed.Errors, e => e.Line == 4 && e.Message.Contains("Purple"));
    }

    [Fact]
    public void A_missing_required_column_is_named() =>
        Assert.Contains(RegisterCsv.Parse("Theme,Code,Activity,Lead\nT,KA.01.01,A,L\n").Errors, e => e.Message.Contains("'Lead email'"));

    [Fact]
    public void A_code_that_cannot_be_a_storage_key_is_refused() =>
        Assert.Contains(RegisterCsv.Parse(Header + "T,,KA/01,A,L,l@council.example,,,,,\n").Errors,
            e => e.Message.Contains("may not contain"));

    [Fact]
    public void An_unterminated_quote_is_reported_not_swallowed() =>
        Assert.False(RegisterCsv.Parse(Header + "T,,KA.01.01,\"A,L,l@council.example,,,,,\n").Ok);

    [Fact]
    public void A_written_register_reads_back_the_same()
    {
        var original = RegisterCsv.Parse(File.ReadAllText(Path.Combine(RepoRoot.Path, "sample", "register.csv"))).Activities;
        var again = RegisterCsv.Parse(RegisterCsv.Write(original)).Activities;
        Assert.Equal(original, again);
    }

    [Fact]
    public void Activity_codes_sort_naturally() =>
        Assert.Equal(["KA.01.02", "KA.01.10", "KA.2.1", "KA.10.01"],
            new[] { "KA.10.01", "KA.01.10", "KA.2.1", "KA.01.02" }.Order(ActivityCodeComparer.Instance));

    [Fact]
    public void An_escalation_contact_must_be_an_address_and_the_same_on_every_row_of_a_lead()
    {
        const string head = "Theme,Code,Activity,Lead,Lead email,Escalation contact\n";
        var ok = RegisterCsv.Parse(head + "T,KA.1,A,Ann,ann@council.example,boss@council.example\nT,KA.2,B,Ann,ann@council.example,\n");
        Assert.True(ok.Ok);
        Assert.Equal("boss@council.example", ok.Activities[0].EscalationEmail);
        Assert.Contains(RegisterCsv.Parse(head + "T,KA.1,A,Ann,ann@council.example,boss\n").Errors,
            e => e.Message.Contains("Escalation contact 'boss'"));
        Assert.Contains(RegisterCsv.Parse(head + "T,KA.1,A,Ann,ann@council.example,a@council.example\n" +
                "T,KA.2,B,Ann,ann@council.example,b@council.example\n").Errors,
            e => e.Message.Contains("different escalation contacts"));
    }

    [Fact]
    public void A_file_saved_in_excels_windows_encoding_is_refused_with_how_to_save_it_as_csv_utf8()
    {
        // "2030 – Harborough’s" as Excel's plain "CSV" writes it: Windows-1252's en dash (0x96) and quote (0x92).
        var text = "Theme,Code,Activity,Lead,Lead email\nT,KA.01.01,2030 _ Harborough_s plan,Ann,ann@council.example\n";
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        bytes[text.IndexOf('_')] = 0x96;
        bytes[text.LastIndexOf('_')] = 0x92;
        var parsed = RegisterCsv.Parse(bytes);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("not saved as UTF-8 (byte 0x96 on line 2)", error.Message);
        Assert.Contains("CSV UTF-8 (Comma delimited)", error.Message);
        Assert.Empty(parsed.Activities);
    }

    [Fact]
    public void A_utf8_file_with_or_without_a_bom_keeps_its_dashes_and_quotes()
    {
        var text = "Theme,Code,Activity,Lead,Lead email\nT,KA.01.01,2030 – Harborough’s plan,Ann,ann@council.example\n";
        foreach (var bytes in new[] { System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(text)),
                     System.Text.Encoding.UTF8.GetBytes(text) })
            Assert.Equal("2030 – Harborough’s plan", Assert.Single(RegisterCsv.Parse(bytes.ToArray()).Activities).Title);
    }

    [Theory]
    [InlineData(';', "semicolons (;)")]
    [InlineData('\t', "tabs")]
    public void A_file_separated_by_semicolons_or_tabs_gets_one_line_naming_the_separator(char separator, string named)
    {
        var text = "Theme,Code,Activity,Lead,Lead email\nT,KA.01.01,A,Ann,ann@council.example\n".Replace(',', separator);
        var error = Assert.Single(RegisterCsv.Parse(text).Errors);
        Assert.Equal($"Line 1: The columns are separated by {named}, not commas. {RegisterCsv.SaveAsCsvUtf8}",
            error.ToString());
    }
}
