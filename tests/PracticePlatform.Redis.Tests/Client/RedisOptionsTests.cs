namespace PracticePlatform.Redis.Tests.Client;

public sealed class RedisOptionsTests
{
    [Fact]
    public void The_Aspire_connection_string_is_understood()
    {
        var options = RedisOptions.Parse("localhost:16379,password=s3cret,ssl=true");

        options.Host.Should().Be("localhost");
        options.Port.Should().Be(16379);
        options.Password.Should().Be("s3cret");
        options.Ssl.Should().BeTrue();
    }

    [Fact]
    public void Defaults_apply_and_client_keys_are_read()
    {
        var options = RedisOptions.Parse("cache.internal,user=app,defaultDatabase=2,connectTimeout=1500,syncTimeout=250,abortConnect=false");

        options.Port.Should().Be(6379);
        options.Ssl.Should().BeFalse();
        options.User.Should().Be("app");
        options.Database.Should().Be(2);
        options.ConnectTimeout.Should().Be(TimeSpan.FromMilliseconds(1500));
        options.CommandTimeout.Should().Be(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void An_IPv6_endpoint_is_parsed()
    {
        var options = RedisOptions.Parse("[::1]:7000");

        options.Host.Should().Be("::1");
        options.Port.Should().Be(7000);
    }

    [Theory]
    [InlineData("password=x", "no host")]
    [InlineData("localhost:abc", "port")]
    [InlineData("localhost,ssl=maybe", "ssl")]
    public void Bad_connection_strings_are_rejected_with_a_reason_and_no_password(string text, string reason)
    {
        var act = () => RedisOptions.Parse(text);

        act.Should().Throw<FormatException>().Where(e => e.Message.Contains(reason, StringComparison.OrdinalIgnoreCase) && !e.Message.Contains("password=x", StringComparison.Ordinal));
    }
}
