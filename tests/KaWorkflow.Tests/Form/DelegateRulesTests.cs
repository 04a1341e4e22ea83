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
    [InlineData("Pat\u2028Jones")] // line separator
    [InlineData("Pat\u2029Jones")] // paragraph separator
    [InlineData("Pat\u0085Jones")] // next line
    [InlineData("\u202Elive")] // right-to-left override: "Dear \u202Elive," reads "Dear evil,"
    [InlineData("Pat\u200BJones")] // zero-width space
    [InlineData("Pat\u200DJones")] // zero-width joiner
    [InlineData("Pat\uFEFFJones")] // zero-width no-break space
    [InlineData("Pat evil.example")]
    [InlineData("Pat Jones (see evil.co.uk)")]
    [InlineData("Pat Jones 0800 123")]
    [InlineData("=HYPERLINK(\"x\")")]
    [InlineData("Pat | Jones")]
    public void A_name_that_is_not_one_line_of_plain_text_is_refused(string name) =>
        Assert.NotNull(DelegateRules.NameProblem(name));

    [Theory]
    [InlineData("Siân O'Neil-Jones")]
    [InlineData("Dr. Pat Jones")]
    [InlineData("J. R. Smith")]
    [InlineData("Zoë D\u2019Arcy")]
    [InlineData("Nguyễn Văn An")]
    [InlineData("Pat Jones (acting)")]
    [InlineData("Jones, Pat")]
    [InlineData("José\u0301 Álvarez")] // a combining accent
    public void Names_as_people_write_them_are_accepted(string name) =>
        Assert.Null(DelegateRules.NameProblem(name));

    [Fact]
    public void A_name_of_invisible_characters_is_told_what_a_name_may_hold() =>
        Assert.Equal("Enter their name using only letters, spaces, hyphens, apostrophes and full stops",
            DelegateRules.NameProblem("Pat\u200BJones"));

    [Fact]
    public void A_name_over_100_characters_is_refused_and_an_ordinary_one_accepted()
    {
        Assert.NotNull(DelegateRules.NameProblem(new string('a', 101)));
        Assert.Null(DelegateRules.NameProblem("Siân O'Neil-Jones"));
    }
}
