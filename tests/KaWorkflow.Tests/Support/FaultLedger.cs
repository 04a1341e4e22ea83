namespace KaWorkflow.Tests.Support;

/// <summary>
/// The faults the suite injects and what each lost, as measured by its test before it asserts: appended to
/// <c>TestResults/faults.tsv</c>, which <c>test.sh</c> sums into one line ("faults tried N, data lost M").
/// </summary>
public static class FaultLedger
{
    private static readonly Lock Gate = new();

    /// <param name="lost">Items of a lead's data (typed text, a submission, a due e-mail) the fault lost.</param>
    public static void Record(string fault, int lost)
    {
        var folder = Path.Combine(RepoRoot.Path, "TestResults");
        Directory.CreateDirectory(folder);
        lock (Gate) File.AppendAllText(Path.Combine(folder, "faults.tsv"), $"{fault}\t{lost}\n");
    }

    /// <summary>1 if the expected text is not where it must be, else 0.</summary>
    public static int Missing(string? where, string expected) => where?.Contains(expected) == true ? 0 : 1;
}
