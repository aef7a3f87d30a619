using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using ShopApi.Data;
using ShopApi.Models;

namespace ShopApi.Controllers;

/// <summary>The partner catalog API: EF Core straight from the controller, written before the API guidelines.</summary>
[ApiController]
[Route("api/catalog")]
public class CatalogController(ShopDbContext db) : ControllerBase
{
    // GET /api/catalog/products
    // BR0005: violation (fixable: the fix adds page and pageSize parameters and applies Skip/Take after the OrderBy)
    [HttpGet("products")]
    public async Task<List<Product>> All(CancellationToken cancellationToken)
        => await db.Products.OrderBy(p => p.Name).ToListAsync(cancellationToken);

    // GET /api/catalog/products/3
    // BR0004: compliant (the route names the resource; the HTTP method says what happens)
    [HttpGet("products/{id:int}")]
    public async Task<ActionResult<Product>> Find(int id, CancellationToken cancellationToken)
        => await db.Products.FindAsync([id], cancellationToken) is { } product ? product : NotFound();

    // POST /api/catalog/deleteProduct/3
    // BR0004: violation (fixable: the fix routes DELETE products/{id:int})
    [HttpPost("deleteProduct/{id:int}")]
    public async Task<IActionResult> Delete(int id, CancellationToken cancellationToken)
        => await db.Products.Where(p => p.Id == id).ExecuteDeleteAsync(cancellationToken) == 1 ? NoContent() : NotFound();
}
