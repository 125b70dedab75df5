using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeStore.Domain.Catalog;
using WeStore.Tests.Support;

namespace WeStore.Tests.Functions.Catalog;

public sealed class CatalogFunctionTests(SharedStore shared) : IClassFixture<SharedStore>
{
    [Fact]
    public async Task Import_ThenListAndGet_ProductsWithSkus()
    {
        var store = shared.Store;
        var (product, sku) = (TestData.NewId("p"), TestData.NewId("sku"));

        await store.ImportSkusAsync(product, (sku, 2599, 7, 2));

        var list = await store.Client.GetFromJsonAsync<JsonElement>("/api/catalog/products");
        Assert.Contains(list.GetProperty("products").EnumerateArray(), p => p.GetProperty("id").GetString() == product);
        var one = await store.Client.GetFromJsonAsync<JsonElement>($"/api/catalog/products/{product}");
        var skuView = one.GetProperty("skus")[0];
        Assert.Equal(sku, skuView.GetProperty("id").GetString());
        Assert.Equal(2599, skuView.GetProperty("price").GetInt64());
        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal((7L, 7L), (level!.Received, level.Available));
    }

    [Fact]
    public async Task Import_StockChanged_ReceivedTracksTheDifference()
    {
        var store = shared.Store;
        var (product, sku) = (TestData.NewId("p"), TestData.NewId("sku"));
        await store.ImportSkusAsync(product, (sku, 100, 10, 1));
        var token = await store.LoginAsync(TestData.NewId("buyer"));
        Assert.Equal(HttpStatusCode.Created, (await store.PlaceAsync(token, "k", TestData.Order((sku, 4)))).StatusCode);

        await store.ImportSkusAsync(product, (sku, 120, 20, 3));

        var level = await store.Service<IStockRepository>().GetLevelAsync(sku, default);
        Assert.Equal(20, level!.Available);
        Assert.Equal(4, level.Held);
        Assert.Equal(level.Received, level.Available + level.Held + level.Sold);
    }

    [Fact]
    public async Task Import_NoKey_401AndNothingWritten()
    {
        var store = shared.Store;
        var product = TestData.NewId("p");

        var response = await store.Client.PostAsync("/api/manage/catalog", TestData.Json(JsonSerializer.Serialize(TestData.Catalog(product, ("s" + product, 1, 1, 1)))));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.GetAsync($"/api/catalog/products/{product}")).StatusCode);
    }

    public static TheoryData<string> BadImports => new()
    {
        """{"products":[]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":0,"stock":1,"onSale":true}]}]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":-5,"stock":1,"onSale":true}]}]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":100,"stock":-1,"onSale":true}]}]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":100000000000000000000,"stock":1,"onSale":true}]}]}""",
        """{"products":[{"id":"p 1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":1,"stock":1,"onSale":true}]}]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":1,"stock":1,"onSale":true},{"id":"s1","name":"n","price":1,"stock":1,"onSale":true}]}]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"skus":[{"id":"s1","name":"n","price":1,"stock":1,"onSale":true,"stockShards":17}]}]}""",
        """{"products":[{"id":"p1","name":"n","onSale":true,"imageUrl":"javascript:alert(1)","skus":[{"id":"s1","name":"n","price":1,"stock":1,"onSale":true}]}]}""",
        """{"products":[{"id":"p1","name":"bad\u0007name","onSale":true,"skus":[{"id":"s1","name":"n","price":1,"stock":1,"onSale":true}]}]}""",
    };

    [Theory]
    [MemberData(nameof(BadImports))]
    public async Task Import_BadBody_400(string body)
    {
        var store = shared.Store;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/manage/catalog") { Content = TestData.Json(body) };
        request.Headers.Add("x-functions-key", RunningHost.MasterKey);

        var response = await store.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("x'%20or%20''='")]
    public async Task GetProduct_Unknown_404(string id)
    {
        var store = shared.Store;

        Assert.Equal(HttpStatusCode.NotFound, (await store.Client.GetAsync($"/api/catalog/products/{id}")).StatusCode);
    }
}
