using WeStore.Domain.Fulfilment;

namespace WeStore.UnitTests.Domain.Fulfilment;

public sealed class ShippingUploadTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryLease_HeldByAnother_RefusedUntilItRunsOut()
    {
        var ledger = ShippingUpload.Start("o", "WS1", Now);
        Assert.True(ledger.TryLease("a", Now, TimeSpan.FromMinutes(2)));

        Assert.False(ledger.TryLease("b", Now.AddMinutes(1), TimeSpan.FromMinutes(2)));
        Assert.True(ledger.TryLease("b", Now.AddMinutes(3), TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void RecordRetryable_UntilMaxRetries_ThenFailed()
    {
        var ledger = ShippingUpload.Start("o", "WS1", Now);
        for (var i = 1; i < ShippingUpload.MaxRetries; i++) Assert.True(ledger.RecordRetryable(-1, "busy", Now));

        Assert.False(ledger.RecordRetryable(-1, "busy", Now));
        Assert.Equal(UploadState.Failed, ledger.State);
        Assert.True(ledger.IsFinal);
        Assert.Equal(ShippingUpload.MaxRetries, ledger.Attempts);
    }

    [Fact]
    public void NextDelay_DoublesFromTenSecondsCappedAtHalfAnHour()
    {
        var ledger = ShippingUpload.Start("o", "WS1", Now);
        ledger.RecordRetryable(-1, null, Now);
        Assert.Equal(TimeSpan.FromSeconds(10), ledger.NextDelay);
        ledger.RecordRetryable(-1, null, Now);
        Assert.Equal(TimeSpan.FromSeconds(20), ledger.NextDelay);
        for (var i = 0; i < 5; i++) ledger.RecordRetryable(-1, null, Now);
        Assert.Equal(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(40)), ledger.NextDelay);
    }

    [Fact]
    public void RecordUploaded_AfterRetries_ResetsAndKeepsPackages()
    {
        var ledger = ShippingUpload.Start("o", "WS1", Now);
        ledger.RecordRetryable(10060012, "busy", Now);
        ledger.RecordUploaded(2, 1, ["P1"], complete: false, Now);
        ledger.RecordUploaded(2, 1, ["P2"], complete: true, Now);

        Assert.Equal(UploadState.Uploaded, ledger.State);
        Assert.Equal(0, ledger.Retries);
        Assert.Equal(["P1", "P2"], ledger.UploadedPackages);
        Assert.True(ledger.IsFinal);
        Assert.Null(ledger.LastErrorCode);
    }

    [Fact]
    public void Reopen_Failed_StaysFailed()
    {
        var ledger = ShippingUpload.Start("o", "WS1", Now);
        ledger.RecordFailed(10060003, "re-ship used", Now);

        ledger.Reopen(Now);

        Assert.Equal(UploadState.Failed, ledger.State);
    }

    [Fact]
    public void IsFinal_SplitNotAllDelivered_False()
    {
        var ledger = ShippingUpload.Start("o", "WS1", Now);
        ledger.RecordUploaded(2, 1, ["P1"], complete: false, Now);

        Assert.False(ledger.IsFinal);
    }
}
