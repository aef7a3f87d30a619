using Microsoft.AspNetCore.Mvc;
using ShopApi.Data;
using ShopApi.Models;

namespace ShopApi.Controllers;

[ApiController]
[Route("api/products")]
public class ProductsController(ProductRepository products) : ControllerBase
{
    // GET /api/products?page=1&pageSize=20
    // BR0005: compliant (paginated)
    [HttpGet]
    public ActionResult<PagedResult<Product>> List(int? page, int? pageSize)
        => products.List(PageRequest.From(page, pageSize));

    // GET /api/products/3
    [HttpGet("{id:int}")]
    public async Task<ActionResult<Product>> Get(int id, CancellationToken cancellationToken)
        => await products.FindAsync(id, cancellationToken) is { } product ? product : NotFound();
}
