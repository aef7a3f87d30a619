using System.Text.Encodings.Web;
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

    // GET /hello?name=Ada
    // BR0006: violation (fixable: the fix encodes the name with HtmlEncoder.Default.Encode)
    [HttpGet("/hello")]
    public IActionResult Hello(string name)
        => Content($"<h1>Hello {name}</h1>", "text/html");

    // GET /welcome?name=Ada
    // BR0006: compliant (the name is encoded before it enters the HTML)
    [HttpGet("/welcome")]
    public IActionResult Welcome(string name)
        => Content($"<h1>Welcome, {HtmlEncoder.Default.Encode(name)}</h1>", "text/html");
}
