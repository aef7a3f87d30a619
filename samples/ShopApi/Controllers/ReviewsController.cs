using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc;

namespace ShopApi.Controllers;

public sealed class Review
{
    public int Id { get; set; }

    public int ProductId { get; set; }

    public string Text { get; set; } = "";
}

/// <summary>Product reviews, kept in memory for the sample.</summary>
public sealed class ReviewStore
{
    private readonly ConcurrentDictionary<int, Review> _reviews = new();
    private int _lastId;

    public static ReviewStore Shared { get; } = new();

    public Review Add(Review review)
    {
        review.Id = Interlocked.Increment(ref _lastId);
        _reviews[review.Id] = review;
        return review;
    }

    public Review? Find(int id) => _reviews.TryGetValue(id, out var review) ? review : null;

    public bool Remove(int id) => _reviews.TryRemove(id, out _);
}

[ApiController]
[Route("api/reviews")]
public sealed class ReviewsController : ControllerBase
{
    private readonly ReviewStore _reviews = ReviewStore.Shared;

    // GET /api/reviews/3
    [HttpGet("{id:int}")]
    public ActionResult<Review> Get(int id) => _reviews.Find(id) is { } review ? review : NotFound();

    // POST /api/reviews
    [HttpPost]
    public IActionResult Create(Review review)
    {
        _reviews.Add(review);

        // BR0010: violation (fixable: the new review answers 200 OK and the client never learns where it lives)
        return Ok(review);
    }

    // DELETE /api/reviews/3
    // BR0010: compliant (204 No Content, nothing left to show)
    [HttpDelete("{id:int}")]
    public IActionResult Delete(int id) => _reviews.Remove(id) ? NoContent() : NotFound();
}
