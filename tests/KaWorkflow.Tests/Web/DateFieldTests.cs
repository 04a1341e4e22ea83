using KaWorkflow.Tests.Support;
using KaWorkflow.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace KaWorkflow.Tests.Web;

/// <summary>The GOV.UK date input's parsing: UK order, month names, and the Design System's error messages.</summary>
[Trait("Kind", "Pure")]
public class DateFieldTests
{
    private const string Label = "The new deadline";

    [Theory]
    [InlineData("28", "7", "2024", 2024, 7, 28)]
    [InlineData(" 1 ", "01", "2025", 2025, 1, 1)]
    [InlineData("29", "2", "2024", 2024, 2, 29)]
    [InlineData("5", "jul", "2024", 2024, 7, 5)]
    [InlineData("5", "July", "2024", 2024, 7, 5)]
    [InlineData("5", "SEPT", "2024", 2024, 9, 5)]
    public void A_date_typed_day_month_year_is_read_in_UK_order(string d, string m, string y, int yy, int mm, int dd)
    {
        var field = DateField.Parse(d, m, y, Label);
        Assert.Null(field.Error);
        Assert.Equal(new DateOnly(yy, mm, dd), field.Value);
    }

    [Theory]
    [InlineData("", "", "", "Enter the new deadline")]
    [InlineData("", "7", "2024", "The new deadline must include a day")]
    [InlineData("28", "", "2024", "The new deadline must include a month")]
    [InlineData("28", "7", "", "The new deadline must include a year")]
    [InlineData("", "", "2024", "The new deadline must include a day and month")]
    [InlineData("28", "7", "24", "Year must include 4 numbers")]
    [InlineData("28", "7", "20x4", "Year must include 4 numbers")]
    [InlineData("31", "6", "2024", "The new deadline must be a real date")]
    [InlineData("29", "2", "2025", "The new deadline must be a real date")]
    [InlineData("0", "7", "2024", "The new deadline must be a real date")]
    [InlineData("28", "13", "2024", "The new deadline must be a real date")]
    [InlineData("28", "ju", "2024", "The new deadline must be a real date")]
    [InlineData("-1", "7", "2024", "The new deadline must be a real date")]
    [InlineData("28", "7", "-202", "Year must include 4 numbers")]
    public void A_date_that_is_missing_a_part_or_not_real_says_what_to_fix_and_keeps_the_text(
        string d, string m, string y, string error)
    {
        var field = DateField.Parse(d, m, y, Label);
        Assert.Equal(error, field.Error);
        Assert.Null(field.Value);
        Assert.Equal((d.Trim(), m.Trim(), y.Trim()), (field.Day, field.Month, field.Year));
    }

    [Fact]
    public void The_confirmation_pages_carried_over_date_is_read_before_the_boxes()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["deadline"] = "2020-07-28", ["deadline-day"] = "1", ["deadline-month"] = "1", ["deadline-year"] = "2021",
        });
        var field = DateField.Read(form, "deadline", Label);
        Assert.Equal(new DateOnly(2020, 7, 28), field.Value);
        Assert.Equal(("28", "7", "2020"), (field.Day, field.Month, field.Year));
    }

    [Fact]
    public void Without_a_carried_over_date_the_boxes_are_read()
    {
        var form = new FormCollection(new Dictionary<string, StringValues>
        {
            ["deadline"] = "28/07/2020", ["deadline-day"] = "3", ["deadline-month"] = "Aug", ["deadline-year"] = "2020",
        });
        Assert.Equal(new DateOnly(2020, 8, 3), DateField.Read(form, "deadline", Label).Value);
    }

    [Fact]
    public async Task The_date_input_shows_typed_text_encoded_with_its_error()
    {
        var html = await Components.RenderAsync<DateInput>(new()
        {
            ["Id"] = "deadline", ["Name"] = "deadline", ["Legend"] = "New deadline", ["Hint"] = "For example, 28 7 2024.",
            ["Value"] = DateField.Parse("<b>", "7", "2024", Label),
        });
        Assert.Contains("govuk-form-group--error", html);
        Assert.Contains("value=\"&lt;b&gt;\"", html);
        Assert.Contains("The new deadline must be a real date", html);
        Assert.Contains("name=\"deadline-year\"", html);
        Assert.DoesNotContain("<b>", html);
    }
}
