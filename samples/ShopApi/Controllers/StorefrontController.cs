using Microsoft.AspNetCore.Mvc;
using ShopApi.Data;
using ShopApi.Models;

namespace ShopApi.Controllers;

/// <summary>The HTML storefront: a Razor view over the same product repository.</summary>
public class StorefrontController(ProductRepository products) : Controller
{
    // GET /?page=2
    [HttpGet("/")]
    public IActionResult Index(int? page)
        => View(products.List(PageRequest.From(page, 12)));
}
