using PracticePlatform.Redis.Protocol;

namespace PracticePlatform.Redis.Tests.Protocol;

public class RespValueTests
{
    [Fact]
    public void An_integer_reads_as_text_and_as_a_number()
    {
        var value = RespValue.FromInteger(-17);

        value.AsString().Should().Be("-17");
        value.AsInt64().Should().Be(-17);
    }

    [Theory]
    [InlineData("$2\r\n42\r\n", 42L)]
    [InlineData("+-9\r\n", -9L)]
    [InlineData("(123\r\n", 123L)]
    [InlineData("#t\r\n", 1L)]
    public void Digits_in_strings_read_as_numbers(string wire, long expected)
    {
        Wire.ParseOne(wire).AsInt64().Should().Be(expected);
    }

    [Theory]
    [InlineData("$3\r\nabc\r\n", "The RESP BulkString 'abc' is not a decimal integer.")]
    [InlineData("$20\r\n99999999999999999999\r\n", "The RESP BulkString '99999999999999999999' is outside the 64-bit integer range.")]
    [InlineData("$-1\r\n", "A null RESP BulkString cannot be read as a 64-bit integer.")]
    [InlineData("*0\r\n", "A RESP Array cannot be read as a 64-bit integer.")]
    [InlineData("-ERR no\r\n", "The server replied with an error, not an integer: ERR no")]
    public void Values_that_are_not_integers_refuse_to_read_as_one(string wire, string message)
    {
        var read = () => Wire.ParseOne(wire).AsInt64();

        read.Should().Throw<InvalidCastException>().WithMessage(message);
    }

    [Fact]
    public void Nulls_read_as_null_text()
    {
        RespValue.Null.AsString().Should().BeNull();
        RespValue.NullBulkString.AsString().Should().BeNull();
        RespValue.NullArray.AsString().Should().BeNull();
    }

    [Fact]
    public void An_aggregate_has_no_single_text()
    {
        var read = () => RespValue.Array(RespValue.FromInteger(1)).AsString();

        read.Should().Throw<InvalidCastException>();
    }

    [Fact]
    public void Only_errors_have_an_error_message()
    {
        RespValue.Error("ERR boom").ErrorMessage.Should().Be("ERR boom");
        RespValue.BulkError("ERR bulk").ErrorMessage.Should().Be("ERR bulk");
        RespValue.SimpleString("OK").ErrorMessage.Should().BeEmpty();
    }

    [Fact]
    public void Items_cannot_be_changed_through_the_list()
    {
        var value = RespValue.Array(RespValue.FromInteger(1));

        value.Items.Should().BeAssignableTo<IList<RespValue>>().Which.IsReadOnly.Should().BeTrue();
    }

    [Fact]
    public void Changing_the_array_given_to_a_factory_does_not_change_the_value()
    {
        RespValue[] items = [RespValue.FromInteger(1)];
        var value = RespValue.Array(items);

        items[0] = RespValue.FromInteger(2);

        value.Items[0].Should().Be(RespValue.FromInteger(1));
    }

    [Fact]
    public void Values_with_the_same_content_are_equal()
    {
        var first = Wire.ParseOne("*2\r\n$1\r\na\r\n,nan\r\n");
        var second = RespValue.Array(RespValue.BulkString("a"), RespValue.FromDouble(double.NaN));

        first.Should().Be(second);
        first.GetHashCode().Should().Be(second.GetHashCode());
        first.Should().NotBe(RespValue.Array(RespValue.SimpleString("a"), RespValue.FromDouble(double.NaN)));
        RespValue.NullBulkString.Should().NotBe(RespValue.Null);
    }

    [Fact]
    public void ToString_describes_the_value_for_diagnostics()
    {
        var value = Wire.ParseOne("%2\r\n+k\r\n*3\r\n$3\r\na\r\n\r\n:1\r\n_\r\n$-1\r\n#f\r\n");

        value.ToString().Should().Be("Map(2) [SimpleString \"k\": Array(3) [BulkString \"a\\r\\n\", Integer 1, Null], NullBulkString: Boolean false]");
    }
}
