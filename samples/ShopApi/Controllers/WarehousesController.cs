using Microsoft.AspNetCore.Mvc;

namespace ShopApi.Controllers;

/// <summary>Warehouses and the suppliers that stock them: one collection named in the singular, one in the plural.</summary>
[ApiController]
[Route("api")]
public sealed class WarehousesController : ControllerBase
{
    private static readonly Dictionary<int, Warehouse> Warehouses = new()
    {
        [1] = new Warehouse(1, "Rotterdam"),
        [2] = new Warehouse(2, "Leipzig"),
    };

    private static readonly Dictionary<int, Supplier> Suppliers = new()
    {
        [7] = new Supplier(7, "Nordic Paper Co."),
    };

    // GET /api/warehouse/1
    // BR0012: violation (fixable: the fix renames the segment to 'warehouses', or also keeps 'warehouse' as a deprecated alias)
    [HttpGet("warehouse/{warehouseId:int}")]
    public ActionResult<Warehouse> WarehouseById(int warehouseId)
        => Warehouses.TryGetValue(warehouseId, out var warehouse) ? warehouse : NotFound();

    // GET /api/suppliers/7
    // BR0012: compliant (the collection is a plural noun)
    [HttpGet("suppliers/{supplierId:int}")]
    public ActionResult<Supplier> SupplierById(int supplierId)
        => Suppliers.TryGetValue(supplierId, out var supplier) ? supplier : NotFound();
}

public sealed record Warehouse(int Id, string City);

public sealed record Supplier(int Id, string Name);
