using WeStore.Application.Orders;

namespace WeStore.UnitTests.Application.Orders;

public sealed class OrderNumbersTests
{
    [Fact]
    public void FromIdempotencyKey_SameMemberAndKey_SameNumber()
        => Assert.Equal(OrderNumbers.FromIdempotencyKey("oA", "k1"), OrderNumbers.FromIdempotencyKey("oA", "k1"));

    [Fact]
    public void FromIdempotencyKey_OtherMemberOrKey_OtherNumber()
    {
        var numbers = new[] { ("oA", "k1"), ("oB", "k1"), ("oA", "k2"), ("oA\nk", "1") }.Select(x => OrderNumbers.FromIdempotencyKey(x.Item1, x.Item2)).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public void FromIdempotencyKey_Always_ValidOutTradeNo()
    {
        for (var i = 0; i < 1000; i++)
        {
            var number = OrderNumbers.FromIdempotencyKey("o" + i, Guid.NewGuid().ToString());
            Assert.Matches("^WS[A-Z2-7]{24}$", number);
            Assert.True(OrderNumbers.IsValid(number));
        }
    }
}
