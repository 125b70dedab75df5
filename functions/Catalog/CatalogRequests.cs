using FluentValidation;
using WeStore.Domain.Catalog;
using WeStore.Functions.Infrastructure;

namespace WeStore.Functions.Catalog;

/// <summary><c>POST /api/manage/catalog</c>: products to create or replace, with their SKUs and stock.</summary>
public sealed record ImportCatalogRequest(IReadOnlyList<ImportProductRequest>? Products);

public sealed record ImportProductRequest(string? Id, string? Name, string? Description, string? ImageUrl, bool? OnSale, IReadOnlyList<ImportSkuRequest>? Skus);

/// <summary>A SKU: price in fen; stock is the absolute quantity on hand; stockShards splits a hot SKU's stock.</summary>
public sealed record ImportSkuRequest(string? Id, string? Name, long? Price, int? Stock, bool? OnSale, string? ImageUrl, int? StockShards);

public sealed class ImportCatalogRequestValidator : AbstractValidator<ImportCatalogRequest>
{
    public ImportCatalogRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(r => r.Products).NotEmpty().Must(p => p is null || p.Count <= 200).WithMessage("At most 200 products per import.");
        RuleFor(r => r.Products)
            .Must(p => p is null || p.Where(x => x?.Id is not null).Select(x => x!.Id).Distinct(StringComparer.Ordinal).Count() == p.Count(x => x?.Id is not null))
            .WithMessage("Product ids must be unique.")
            .Must(p => p is null || UniqueSkus(p)).WithMessage("SKU ids must be unique across the import.");
        RuleForEach(r => r.Products).NotNull().ChildRules(product =>
        {
            product.RuleFor(p => p.Id).Id();
            product.RuleFor(p => p.Name).RequiredPrintable(100);
            product.RuleFor(p => p.Description).Printable(2000);
            product.RuleFor(p => p.ImageUrl).HttpUrl();
            product.RuleFor(p => p.OnSale).NotNull();
            product.RuleFor(p => p.Skus).NotEmpty().Must(s => s is null || s.Count <= 100).WithMessage("At most 100 SKUs per product.");
            product.RuleForEach(p => p.Skus).NotNull().ChildRules(sku =>
            {
                sku.RuleFor(s => s.Id).Id();
                sku.RuleFor(s => s.Name).RequiredPrintable(100);
                sku.RuleFor(s => s.Price).NotNull().InclusiveBetween(1, CatalogRules.MaxPrice);
                sku.RuleFor(s => s.Stock).NotNull().InclusiveBetween(0, CatalogRules.MaxStock);
                sku.RuleFor(s => s.OnSale).NotNull();
                sku.RuleFor(s => s.ImageUrl).HttpUrl();
                sku.RuleFor(s => s.StockShards).InclusiveBetween(1, CatalogRules.MaxShards);
            });
        });
    }

    private static bool UniqueSkus(IReadOnlyList<ImportProductRequest?> products)
    {
        var ids = products.Where(p => p?.Skus is not null).SelectMany(p => p!.Skus!).Where(s => s?.Id is not null).Select(s => s!.Id!).ToList();
        return ids.Distinct(StringComparer.Ordinal).Count() == ids.Count;
    }
}
