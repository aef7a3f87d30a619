using Microsoft.AspNetCore.Mvc;

namespace ShopApi.Controllers;

/// <summary>
/// Shipments and the carriers that move them: the new API of the shop, which partners call. The carrier API was
/// versioned from its first release; the shipment API was not. (samples/ShopApi/.editorconfig raises BR0011, a
/// suggestion by default, to a warning for this file, as a team does for the part of a service it is building.)
/// </summary>
// BR0011: violation (fixable: the fix inserts the version, 'api/v1/shipments', or also keeps 'api/shipments' as a deprecated alias)
[ApiController]
[Route("api/shipments")]
public sealed class ShipmentsController : ControllerBase
{
    private static readonly Dictionary<int, Shipment> Shipments = new()
    {
        [1] = new Shipment(1, 3, "in transit"),
    };

    // GET /api/shipments/1
    [HttpGet("{id:int}")]
    public ActionResult<Shipment> Get(int id) => Shipments.TryGetValue(id, out var shipment) ? shipment : NotFound();
}

// BR0011: compliant (the route carries a version)
[ApiController]
[Route("api/v1/carriers")]
public sealed class CarriersController : ControllerBase
{
    private static readonly Dictionary<int, Carrier> Carriers = new()
    {
        [3] = new Carrier(3, "Post NL"),
    };

    // GET /api/v1/carriers/3
    [HttpGet("{id:int}")]
    public ActionResult<Carrier> Get(int id) => Carriers.TryGetValue(id, out var carrier) ? carrier : NotFound();
}

public sealed record Shipment(int Id, int CarrierId, string Status);

public sealed record Carrier(int Id, string Name);
