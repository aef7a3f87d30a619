namespace ShopApi.Models;

/// <summary>An order with the names a receipt shows, read with <c>Database.SqlQuery</c>.</summary>
public class OrderSummary
{
    public int Id { get; set; }

    public string CustomerName { get; set; } = "";

    public string ProductName { get; set; } = "";

    public int Quantity { get; set; }

    public int TotalCents { get; set; }

    public string Status { get; set; } = "";
}
