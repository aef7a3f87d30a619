using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using BackendRules.Files;
using BackendRules.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace BackendRules.Tests.Files;

/// <summary>
/// The BR0014 fix on a real upload endpoint hosted by Kestrel on loopback (port 0), writing into a temporary folder:
/// the original writes <c>../../outside.txt</c> outside the upload folder and lets a second upload of the same name
/// overwrite the first; the fixed endpoint writes every upload inside the folder under a name of its own.
/// </summary>
public sealed class ClientFileNameBehaviourTests
{
    private const string Source = """
        using System.IO;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;

        public static class Uploads
        {
            public static void Map(WebApplication app, string folder)
            {
                app.MapPost("/files", async (IFormFile file) =>
                {
                    var path = Path.Combine(folder, file.FileName);
                    await using (var stream = File.Create(path))
                    {
                        await file.CopyToAsync(stream);
                    }

                    return Results.Ok();
                }).DisableAntiforgery();
            }
        }
        """;

    [Fact]
    public async Task Traversal_escapes_and_names_collide_before_the_fix_and_neither_after()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new ClientFileNameAnalyzer(), new ClientFileNameFixer());
        Assert.Contains("var path = Path.Combine(folder, $\"{Guid.NewGuid():N}\");", fixedSource);
        Assert.Contains("using System;", fixedSource);

        var before = await UploadAsync(FixRunner.CompileAndLoad(Source, "UploadsBefore_" + Guid.NewGuid().ToString("N")));
        try
        {
            Assert.True(File.Exists(Path.Combine(before.Root, "outside.txt")), "the original should write outside the upload folder");
            Assert.Equal("escape", File.ReadAllText(Path.Combine(before.Root, "outside.txt")));
            var inside = Directory.GetFiles(before.Uploads);
            Assert.Single(inside);
            Assert.Equal("same.txt", Path.GetFileName(inside[0]));
            Assert.Equal("second", File.ReadAllText(inside[0]));
        }
        finally
        {
            Directory.Delete(before.Root, recursive: true);
        }

        var after = await UploadAsync(FixRunner.CompileAndLoad(fixedSource, "UploadsAfter_" + Guid.NewGuid().ToString("N")));
        try
        {
            Assert.False(File.Exists(Path.Combine(after.Root, "outside.txt")));
            Assert.All(Directory.GetFiles(after.Root, "*", SearchOption.AllDirectories), f => Assert.Equal(after.Uploads, Path.GetDirectoryName(f)));
            var inside = Directory.GetFiles(after.Uploads);
            Assert.Equal(3, inside.Length);
            Assert.All(inside, f => Assert.Matches(new Regex("^[0-9a-f]{32}$"), Path.GetFileName(f)));
            Assert.Equal(new[] { "escape", "first", "second" }, inside.Select(File.ReadAllText).OrderBy(t => t, StringComparer.Ordinal).ToArray());
        }
        finally
        {
            Directory.Delete(after.Root, recursive: true);
        }
    }

    private static async Task<(string Root, string Uploads)> UploadAsync(Assembly site)
    {
        var root = Path.Combine(Path.GetTempPath(), "br0014-" + Guid.NewGuid().ToString("N"));
        var uploads = Path.Combine(root, "site", "uploads");
        Directory.CreateDirectory(uploads);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        site.GetType("Uploads", throwOnError: true)!.GetMethod("Map")!.Invoke(null, new object[] { app, uploads });
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
            foreach (var (name, text) in new[] { ("../../outside.txt", "escape"), ("same.txt", "first"), ("same.txt", "second") })
            {
                using var form = new MultipartFormDataContent();
                form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", name);
                using var response = await client.PostAsync("/files", form);
                Assert.True(response.IsSuccessStatusCode, $"upload of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            await app.StopAsync();
        }

        return (root, uploads);
    }
}
