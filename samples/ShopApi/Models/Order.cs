namespace ShopApi.Models;

public class Order
{
    public int Id { get; set; }

    public int CustomerId { get; set; }

    public int ProductId { get; set; }

    public int Quantity { get; set; }

    public int TotalCents { get; set; }

    public DateTime CreatedAt { get; set; }

    public string Status { get; set; } = "Placed";
}
