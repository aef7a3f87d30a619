using ShopApi.Models;

namespace ShopApi.Services;

/// <summary>Posts placed orders to the URL in Webhooks:OrderPlacedUrl, when one is configured.</summary>
public sealed class OrderWebhookNotifier(IConfiguration configuration, ILogger<OrderWebhookNotifier> logger)
{
    // One client for the whole app (a client per call would exhaust sockets).
    // BR0003: compliant (the timeout is set)
    private static readonly HttpClient Http = new HttpClient() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Checks that the webhook URL answers at all (used by the health page).</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var url = configuration["Webhooks:OrderPlacedUrl"];
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        // BR0003: violation (fixable: the fix writes new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        using var probe = new HttpClient();
        using var response = await probe.GetAsync(url, cancellationToken);
        // BR0007: violation (fixable: the fix writes "Webhook probe of {Url} answered {ResponseStatusCode}", url, (int)response.StatusCode)
        logger.LogInformation($"Webhook probe of {url} answered {(int)response.StatusCode}");
        return response.IsSuccessStatusCode;
    }

    public async Task NotifyAsync(Order order, CancellationToken cancellationToken)
    {
        var url = configuration["Webhooks:OrderPlacedUrl"];
        if (string.IsNullOrEmpty(url))
        {
            return;
        }

        try
        {
            using var response = await Http.PostAsJsonAsync(url, new { order.Id, order.CustomerId, order.TotalCents }, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // BR0007: compliant (a template; the values are arguments)
                logger.LogWarning("Order webhook answered {StatusCode} for order {OrderId}", (int)response.StatusCode, order.Id);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The order is placed either way; the webhook is best effort.
            logger.LogWarning(exception, "Order webhook failed for order {OrderId}", order.Id);
        }
    }
}
