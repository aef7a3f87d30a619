using System.Collections.Generic;
using BackendRules.Api;
using BackendRules.Internal;
using Xunit;

namespace BackendRules.Tests.Internal;

/// <summary>The bounded memo behind the route rules' template and word splitting.</summary>
public sealed class StringMemoTests
{
    [Fact]
    public void A_string_is_computed_once_and_answered_from_memory_after_that()
    {
        var calls = new Dictionary<string, int>();
        var memo = new StringMemo<int>(key =>
        {
            calls[key] = calls.TryGetValue(key, out var count) ? count + 1 : 1;
            return key.Length;
        });

        Assert.Equal(5, memo.Get("users"));
        Assert.Equal(5, memo.Get("users"));
        Assert.Equal(6, memo.Get("orders"));
        Assert.Equal(1, calls["users"]);
        Assert.Equal(1, calls["orders"]);
    }

    [Fact]
    public void Past_its_capacity_it_forgets_and_still_answers_right()
    {
        var computed = 0;
        var memo = new StringMemo<string>(key =>
        {
            computed++;
            return key.ToUpperInvariant();
        });

        for (var i = 0; i <= StringMemo<string>.Capacity + 10; i++)
        {
            Assert.Equal("KEY" + i, memo.Get("key" + i));
        }

        // The first key was forgotten when the memo filled up: asked again, it is computed again, with the same answer.
        var before = computed;
        Assert.Equal("KEY0", memo.Get("key0"));
        Assert.Equal(before + 1, computed);
    }

    [Fact]
    public void Remembered_splits_answer_like_fresh_ones_for_every_caller()
    {
        var first = RouteTemplate.Split("api/{version}/order-items/{id:int}", mvcTokens: true);
        var again = RouteTemplate.Split("api/{version}/order-items/{id:int}", mvcTokens: true);
        Assert.Equal(first, again);
        Assert.Equal(new[] { "api", "{version}", "order-items", "{id:int}" }, System.Linq.Enumerable.Select(first, s => s.Text));

        Assert.Equal(new[] { "Order", "Items" }, RouteWords.Words("OrderItems"));
        Assert.Equal(new[] { "order", "items" }, RouteWords.LowerWords("OrderItems"));
        Assert.Equal(new[] { "Order", "Items" }, RouteWords.Words("OrderItems"));
    }
}
