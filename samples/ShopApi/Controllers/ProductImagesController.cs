using Microsoft.AspNetCore.Mvc;

namespace ShopApi.Controllers;

/// <summary>Product images uploaded by the back office, stored on the server's disk under the content root.</summary>
[ApiController]
[Route("api/products/{productId:int}")]
public class ProductImagesController(IWebHostEnvironment environment) : ControllerBase
{
    private static readonly HashSet<string> AllowedExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".webp" };

    // POST /api/products/3/images (multipart form, field "image")
    [HttpPost("images")]
    public async Task<IActionResult> Upload(int productId, IFormFile image, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(image.FileName).ToLowerInvariant();
        if (!AllowedExtensions.Contains(extension))
        {
            return BadRequest("Only .png, .jpg and .webp images are accepted.");
        }

        // BR0014: violation (fixable: the image is stored as $"{Guid.NewGuid():N}{extension}"; the client's name stays in image.FileName)
        var path = Path.Combine(Folder(productId), image.FileName);
        await using (var stream = System.IO.File.Create(path))
        {
            await image.CopyToAsync(stream, cancellationToken);
        }

        return Ok(new { productId, storedName = Path.GetFileName(path) });
    }

    // POST /api/products/3/gallery (multipart form, field "image")
    [HttpPost("gallery")]
    public async Task<IActionResult> AddToGallery(int productId, IFormFile image, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(image.FileName).ToLowerInvariant();
        if (!AllowedExtensions.Contains(extension))
        {
            return BadRequest("Only .png, .jpg and .webp images are accepted.");
        }

        // BR0014: compliant (a generated name on disk; the client's name is only returned as metadata)
        var storedName = $"{Guid.NewGuid():N}{extension}";
        await using (var stream = System.IO.File.Create(Path.Combine(Folder(productId), storedName)))
        {
            await image.CopyToAsync(stream, cancellationToken);
        }

        return Ok(new { productId, storedName, originalName = image.FileName });
    }

    private string Folder(int productId)
        => Directory.CreateDirectory(Path.Combine(environment.ContentRootPath, "uploads", "products", productId.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
}
