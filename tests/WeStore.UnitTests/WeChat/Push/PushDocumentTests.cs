using System.Text;
using WeStore.WeChat.Push;

namespace WeStore.UnitTests.WeChat.Push;

public sealed class PushDocumentTests
{
    [Fact]
    public void Parse_Json_Fields()
    {
        var doc = PushDocument.Parse("{\"Event\":\"trade_manage_order_settlement\",\"CreateTime\":1714112445,\"merchant_trade_no\":\"WS1\"}")!;

        Assert.Equal("trade_manage_order_settlement", PushDocument.Text(doc, "Event"));
        Assert.Equal("1714112445", PushDocument.Text(doc, "CreateTime"));
        Assert.Equal("WS1", PushDocument.Text(doc, "merchant_trade_no"));
    }

    [Fact]
    public void Parse_Xml_CdataTextAndNumbers()
    {
        var doc = PushDocument.Parse("<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1714112445</CreateTime><Event><![CDATA[trade_manage_remind_shipping]]></Event></xml>")!;

        Assert.Equal("gh_1", PushDocument.Text(doc, "ToUserName"));
        Assert.Equal("1714112445", PushDocument.Text(doc, "CreateTime"));
        Assert.Equal("trade_manage_remind_shipping", PushDocument.Text(doc, "Event"));
    }

    [Fact]
    public void Parse_XmlRepeatedElements_Array()
    {
        var doc = PushDocument.Parse(
            "<xml><SubscribeMsgPopupEvent><List><TemplateId>a</TemplateId><SubscribeStatusString>accept</SubscribeStatusString></List>"
            + "<List><TemplateId>b</TemplateId><SubscribeStatusString>reject</SubscribeStatusString></List></SubscribeMsgPopupEvent></xml>")!;

        var list = PushDocument.Objects(doc["SubscribeMsgPopupEvent"]!["List"]).ToList();
        Assert.Equal(["a", "b"], list.Select(o => PushDocument.Text(o, "TemplateId")));
    }

    [Fact]
    public void Objects_SingleObjectOrArray_BothRead()
    {
        var one = PushDocument.Parse("{\"List\":{\"TemplateId\":\"a\"}}")!;
        var many = PushDocument.Parse("{\"List\":[{\"TemplateId\":\"a\"},{\"TemplateId\":\"b\"}]}")!;

        Assert.Single(PushDocument.Objects(one["List"]));
        Assert.Equal(2, PushDocument.Objects(many["List"]).Count());
    }

    [Theory]
    [InlineData("<!DOCTYPE xml [<!ENTITY x \"boom\">]><xml><Event>&x;</Event></xml>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE xml SYSTEM \"http://attacker.example/x.dtd\"><xml><Event>a</Event></xml>")]
    [InlineData("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><xml><a>&lol2;</a></xml>")]
    public void Parse_DtdOrEntity_Refused(string xml) => Assert.Null(PushDocument.Parse(xml));

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("<xml><open></xml>")]
    public void Parse_Malformed_Null(string text) => Assert.Null(PushDocument.Parse(text));

    [Fact]
    public void Parse_Oversized_Null() => Assert.Null(PushDocument.Parse(Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', PushDocument.MaxBytes) + "\"}")));

    [Fact]
    public void Parse_NestedTooDeep_Null()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 40)) + "x" + string.Concat(Enumerable.Repeat("</a>", 40));
        Assert.Null(PushDocument.Parse("<xml>" + deep + "</xml>"));
    }
}
