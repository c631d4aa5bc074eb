using IpIqa.Core.Logging;

namespace IpIqa.Core.Tests.Logging;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("job\nwarn: forged[1]", "job\\u000awarn: forged[1]")]
    [InlineData("a\r\tb", "a\\u000d\\u0009b")]
    [InlineData("\u001b[2J\u001b]0;title\u0007", "\\u001b[2J\\u001b]0;title\\u0007")]
    [InlineData("x\u009by\u007f", "x\\u009by\\u007f")]
    [InlineData("gpj.\u202Eexe", "gpj.\\u202eexe")]
    [InlineData("a\u2028b", "a\\u2028b")]
    public void Controls_separators_and_bidi_overrides_are_escaped(string text, string expected) =>
        Assert.Equal(expected, LogText.Escape(text));

    [Theory]
    [InlineData("job-1")]
    [InlineData("caf\u00e9 \U0001F600 \u4e2d\u6587")]
    [InlineData("")]
    public void Other_text_is_returned_as_it_is(string text) => Assert.Same(text, LogText.Escape(text));

    [Fact]
    public void Null_stays_null() => Assert.Null(LogText.Escape(null));
}
