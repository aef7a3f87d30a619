using Microsoft.Extensions.Caching.Memory;
using ShopApi.Models;

namespace ShopApi.Services;

/// <summary>
/// Typed client for the carrier's rate API; registered with AddHttpClient in Program.cs, which sets its timeout. Answers
/// are kept in the memory cache (AddMemoryCache in Program.cs).
/// </summary>
public sealed class ShippingRatesClient(HttpClient http, IMemoryCache cache)
{
    // BR0013: compliant (a quote expires ten minutes after it was fetched)
    public Task<ShippingQuote?> QuoteAsync(int productId, int quantity, CancellationToken cancellationToken)
        => cache.GetOrCreateAsync($"shipping-quote:{productId}:{quantity}", entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
            return http.GetFromJsonAsync<ShippingQuote>($"rates?product={productId}&quantity={quantity}", cancellationToken);
        });

    public async Task<string[]> CarriersAsync(CancellationToken cancellationToken)
    {
        if (cache.TryGetValue("shipping-carriers", out string[]? known) && known is not null)
        {
            return known;
        }

        var carriers = await http.GetFromJsonAsync<string[]>("carriers", cancellationToken) ?? [];
        // BR0013: violation (fixable: the fix writes cache.Set("shipping-carriers", carriers, TimeSpan.FromSeconds(300)))
        cache.Set("shipping-carriers", carriers);
        return carriers;
    }
}
