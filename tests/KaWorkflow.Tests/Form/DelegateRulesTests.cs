using KaWorkflow.Form;

namespace KaWorkflow.Tests.Form;

/// <summary>Who a lead may name as delegate: the address and name rules, without storage.</summary>
[Trait("Kind", "Pure")]
public sealed class DelegateRulesTests
{
    private const string Lead = "co.finance@council.example";
    private static readonly IReadOnlySet<string> Council = DelegateRules.AllowedDomains(null, [Lead, "ceo@council.example"]);

    [Theory]
    [InlineData("a/b@council.example")]
    [InlineData("\"a b\"@council.example")]
    [InlineData("=cmd|x@council.example")]
    [InlineData("a@[127.0.0.1]")]
    [InlineData("a@council")]
    [InlineData("a b@council.example")]
    [InlineData("a@council.example\nbcc@evil.example")]
    [InlineData("")]
    public void Addresses_the_register_would_refuse_are_refused(string email) =>
        Assert.NotNull(DelegateRules.EmailProblem(email, Lead, Council));

    [Fact]
    public void An_address_outside_the_councils_domains_is_refused_with_the_domains_named() =>
        Assert.Equal("Enter an address at council.example", DelegateRules.EmailProblem("attacker@evil.example", Lead, Council));

    [Fact]
    public void The_leads_own_address_is_refused() =>
        Assert.Contains("someone else's", DelegateRules.EmailProblem("CO.Finance@council.example", Lead, Council));

    [Theory]
    [InlineData("pa.finance@council.example")]
    [InlineData("o'neil.j+ka@COUNCIL.example")]
    public void A_colleague_at_the_council_is_accepted(string email) =>
        Assert.Null(DelegateRules.EmailProblem(email, Lead, Council));

    [Fact]
    public void Configured_domains_replace_the_leads_domains() =>
        Assert.Equal(["council.example", "partner.gov.uk"],
            DelegateRules.AllowedDomains(" partner.gov.uk, Council.example ", [Lead]).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("Pat Jones\nClick https://evil.example")]
    [InlineData("Pat\tJones")]
    [InlineData("https://evil.example")]
    [InlineData("www.evil.example")]
    [InlineData("<b>Pat</b>")]
    [InlineData("pat@evil.example")]
    [InlineData("")]
    public void A_name_that_is_not_one_line_of_plain_text_is_refused(string name) =>
        Assert.NotNull(DelegateRules.NameProblem(name));

    [Fact]
    public void A_name_over_100_characters_is_refused_and_an_ordinary_one_accepted()
    {
        Assert.NotNull(DelegateRules.NameProblem(new string('a', 101)));
        Assert.Null(DelegateRules.NameProblem("Siân O'Neil-Jones"));
    }
}
