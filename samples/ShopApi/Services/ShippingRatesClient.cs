using ShopApi.Models;

namespace ShopApi.Services;

/// <summary>Typed client for the carrier's rate API; registered with AddHttpClient in Program.cs, which sets its timeout.</summary>
public sealed class ShippingRatesClient(HttpClient http)
{
    public Task<ShippingQuote?> QuoteAsync(int productId, int quantity, CancellationToken cancellationToken)
        => http.GetFromJsonAsync<ShippingQuote>($"rates?product={productId}&quantity={quantity}", cancellationToken);
}
