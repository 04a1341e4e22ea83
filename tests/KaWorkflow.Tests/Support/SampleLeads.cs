namespace KaWorkflow.Tests.Support;

/// <summary>The five CMT leads of <c>sample/register.csv</c>, by e-mail address.</summary>
public static class SampleLeads
{
    public const string Planning = "co.planning@council.example";
    public const string Finance = "co.finance@council.example";
    public const string Communities = "co.communities@council.example";
    public const string Governance = "co.governance@council.example";
    public const string Chief = "joint.chief.executive@council.example";

    public static readonly IReadOnlyList<string> All = [Planning, Finance, Communities, Governance, Chief];
}
