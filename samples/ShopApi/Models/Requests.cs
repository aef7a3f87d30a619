namespace ShopApi.Models;

public record NewCustomer(string Name, string Email);

public record NewOrder(int CustomerId, int ProductId, int Quantity);

public record ShippingQuote(string Carrier, int PriceCents, int Days);
