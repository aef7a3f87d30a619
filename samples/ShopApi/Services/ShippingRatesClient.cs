using Microsoft.Extensions.Caching.Memory;
using ShopApi.Models;

namespace ShopApi.Services;

/// <summary>
/// Typed client for the carrier's rate API; registered with AddHttpClient in Program.cs, which sets its timeout. Answers
/// are kept in the memory cache (AddMemoryCache in Program.cs).
/// </summary>
public sealed class ShippingRatesClient(HttpClient http, IMemoryCache cache)
{
    private const int MaxAttempts = 3;

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

    /// <summary>The carrier sheds load with 503s now and then, so a pickup slot is asked for up to three times.</summary>
    public async Task<string?> PickupSlotAsync(int productId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                return await http.GetStringAsync($"pickup?product={productId}", cancellationToken);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts - 1)
            {
                // BR0008: violation (fixable: the fix writes Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30000, 500 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken))
                await Task.Delay(500, cancellationToken);
            }
        }

        return null;
    }

    /// <summary>The carrier's delivery estimate for a product, tried up to three times as well.</summary>
    public async Task<string?> EstimateAsync(int productId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            try
            {
                return await http.GetStringAsync($"estimates?product={productId}", cancellationToken);
            }
            catch (HttpRequestException) when (attempt < MaxAttempts - 1)
            {
                // BR0008: compliant (the wait doubles with each attempt, spread by jitter, capped at 10 s)
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 250 * Math.Pow(2, attempt)) * (0.5 + Random.Shared.NextDouble() / 2)), cancellationToken);
            }
        }

        return null;
    }
}
