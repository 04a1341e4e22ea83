namespace KaWorkflow.Tests.Support;

/// <summary>Tests that load the shared Azurite hard (hundreds of orchestrations, a thousand events, processes
/// killed): they run on their own, not beside the browser tests, whose page loads they would otherwise slow past
/// Playwright's bounds.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Heavy
{
    public const string Name = "Heavy";
}
