using WeStore.Sandbox;

namespace WeStore.Tests.Sandbox;

/// <summary>The sandbox's WeChat Pay records survive a restart (reconciliation reads yesterday's).</summary>
public sealed class PayStateTests
{
    [Fact]
    public void Restart_SameDataFolder_TransactionsAndRefundsKept_LastChangeWins()
    {
        var folder = Path.Combine(Path.GetTempPath(), "westore-paystate-" + Guid.NewGuid().ToString("N"));
        var options = new SandboxOptions { DataDirectory = folder };
        try
        {
            using (var state = new PayState(options))
            {
                var t = new SandboxTransaction
                {
                    OutTradeNo = "WS1", AppId = "wx1", OpenId = "o1", Total = 2000, Description = "茶", NotifyUrl = "http://x/", RequestBody = "{}", TimeExpire = DateTimeOffset.UtcNow,
                };
                state.Transactions[t.OutTradeNo] = t;
                state.Changed(t);
                t.TradeState = "SUCCESS";
                t.TransactionId = "4200";
                t.SuccessTime = DateTimeOffset.UtcNow;
                t.Refunds.Add(new SandboxRefund { OutRefundNo = "R1", RefundId = "5030", Amount = 500, Status = "SUCCESS" });
                state.Changed(t);
            }

            using var restarted = new PayState(options);
            var kept = restarted.Transactions["WS1"];
            Assert.Equal("SUCCESS", kept.TradeState);
            Assert.Equal("4200", kept.TransactionId);
            Assert.Equal(500, Assert.Single(kept.Refunds).Amount);
            Assert.Single(File.ReadAllLines(Path.Combine(folder, "pay-records.jsonl"))); // compacted on start
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
