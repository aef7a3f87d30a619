namespace ShopApi.Models;

public class Product
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>Unit price in cents (integers keep money exact in SQLite).</summary>
    public int PriceCents { get; set; }

    public int Stock { get; set; }
}
