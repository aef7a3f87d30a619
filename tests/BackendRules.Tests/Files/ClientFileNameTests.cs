using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Files.ClientFileNameAnalyzer, BackendRules.Files.ClientFileNameFixer>;

namespace BackendRules.Tests.Files;

public sealed class ClientFileNameTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Components.Forms;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Net.Http.Headers;

        public sealed class Document { public string OriginalName { get; set; } = ""; public string StoredName { get; set; } = ""; }

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    // ---- Reports and fixes --------------------------------------------------------------------------------------

    [Fact]
    public Task Form_file_name_in_path_combine_becomes_a_generated_name() => Fix(
        """
        public sealed class Avatars
        {
            private readonly string _root = "/srv/avatars";

            public async Task SaveAsync(IFormFile file)
            {
                var path = Path.Combine(_root, [|file.FileName|]);
                await using var stream = File.Create(path);
                await file.CopyToAsync(stream);
            }
        }
        """,
        """
        public sealed class Avatars
        {
            private readonly string _root = "/srv/avatars";

            public async Task SaveAsync(IFormFile file)
            {
                var path = Path.Combine(_root, $"{Guid.NewGuid():N}");
                await using var stream = File.Create(path);
                await file.CopyToAsync(stream);
            }
        }
        """);

    [Fact]
    public Task Name_after_get_file_name_has_its_own_message_and_stays_in_its_local_for_metadata() => Fix(
        """
        public sealed class Invoices
        {
            public async Task SaveAsync(IFormFile upload, string folder)
            {
                var fileName = Path.GetFileName({|BR0014:upload.FileName|});
                var path = Path.Combine(folder, fileName);
                using var stream = new FileStream(path, FileMode.Create);
                await upload.CopyToAsync(stream);
            }
        }
        """,
        """
        public sealed class Invoices
        {
            public async Task SaveAsync(IFormFile upload, string folder)
            {
                var fileName = Path.GetFileName(upload.FileName);
                var path = Path.Combine(folder, $"{Guid.NewGuid():N}");
                using var stream = new FileStream(path, FileMode.Create);
                await upload.CopyToAsync(stream);
            }
        }
        """);

    [Fact]
    public Task Extension_checked_against_an_allow_list_is_kept() => Fix(
        """
        public sealed class Photos
        {
            private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg" };

            public async Task<bool> SaveAsync(IFormFile photo, string folder)
            {
                var extension = Path.GetExtension(photo.FileName).ToLowerInvariant();
                if (!Allowed.Contains(extension))
                {
                    return false;
                }

                await File.WriteAllBytesAsync(Path.Combine(folder, [|photo.FileName|]), new byte[photo.Length]);
                return true;
            }
        }
        """,
        """
        public sealed class Photos
        {
            private static readonly HashSet<string> Allowed = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg" };

            public async Task<bool> SaveAsync(IFormFile photo, string folder)
            {
                var extension = Path.GetExtension(photo.FileName).ToLowerInvariant();
                if (!Allowed.Contains(extension))
                {
                    return false;
                }

                await File.WriteAllBytesAsync(Path.Combine(folder, $"{Guid.NewGuid():N}{extension}"), new byte[photo.Length]);
                return true;
            }
        }
        """);

    [Fact]
    public Task Name_in_an_interpolated_path_becomes_a_generated_hole() => Fix(
        """
        public static class Exports
        {
            public static Task SaveAsync(IFormFile file, string root, byte[] data)
                => File.WriteAllBytesAsync($"{root}/imports/{[|file.FileName|]}", data);
        }
        """,
        """
        public static class Exports
        {
            public static Task SaveAsync(IFormFile file, string root, byte[] data)
                => File.WriteAllBytesAsync($"{root}/imports/{Guid.NewGuid():N}", data);
        }
        """);

    [Fact]
    public Task Content_disposition_file_name_through_locals_and_trimming() => Fix(
        """
        public static class Multipart
        {
            public static Stream Open(ContentDispositionHeaderValue disposition, string target)
            {
                var original = [|disposition.FileName|].Value.Trim('"');
                var path = Path.Combine(target, original);
                return File.OpenWrite(path);
            }
        }
        """,
        """
        public static class Multipart
        {
            public static Stream Open(ContentDispositionHeaderValue disposition, string target)
            {
                var original = disposition.FileName.Value.Trim('"');
                var path = Path.Combine(target, $"{Guid.NewGuid():N}");
                return File.OpenWrite(path);
            }
        }
        """);

    [Fact]
    public Task Blazor_browser_file_name_in_a_file_stream() => Fix(
        """
        public static class Uploader
        {
            public static async Task SaveAsync(IBrowserFile file, string folder)
            {
                await using FileStream fs = new(Path.Combine(folder, "unsafe_uploads", [|file.Name|]), FileMode.Create);
                await file.OpenReadStream().CopyToAsync(fs);
            }
        }
        """,
        """
        public static class Uploader
        {
            public static async Task SaveAsync(IBrowserFile file, string folder)
            {
                await using FileStream fs = new(Path.Combine(folder, "unsafe_uploads", $"{Guid.NewGuid():N}"), FileMode.Create);
                await file.OpenReadStream().CopyToAsync(fs);
            }
        }
        """);

    [Fact]
    public Task Name_built_into_a_longer_name_is_replaced_where_it_enters() => Fix(
        """
        public static class Attachments
        {
            public static FileInfo Target(IFormFile file, string folder)
            {
                var stored = DateTime.UtcNow.Ticks + "_" + [|file.FileName|];
                return new FileInfo(Path.Combine(folder, stored));
            }
        }
        """,
        """
        public static class Attachments
        {
            public static FileInfo Target(IFormFile file, string folder)
            {
                var stored = DateTime.UtcNow.Ticks + "_" + $"{Guid.NewGuid():N}";
                return new FileInfo(Path.Combine(folder, stored));
            }
        }
        """);

    [Fact]
    public Task Every_file_of_a_loop_concatenated_after_a_deny_list_test() => Fix(
        """
        public static class Gallery
        {
            public static async Task SaveAsync(IFormFileCollection files, string folder)
            {
                foreach (var formFile in files)
                {
                    if (formFile.FileName.Contains(".png") && !formFile.FileName.Contains(".."))
                    {
                        var target = string.Concat(folder, "/", [|formFile.FileName|]);
                        await using var stream = new FileStream(target, FileMode.Create);
                        await formFile.CopyToAsync(stream);
                    }
                }
            }
        }
        """,
        """
        public static class Gallery
        {
            public static async Task SaveAsync(IFormFileCollection files, string folder)
            {
                foreach (var formFile in files)
                {
                    if (formFile.FileName.Contains(".png") && !formFile.FileName.Contains(".."))
                    {
                        var target = string.Concat(folder, "/", $"{Guid.NewGuid():N}");
                        await using var stream = new FileStream(target, FileMode.Create);
                        await formFile.CopyToAsync(stream);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Web_api_multipart_name_moved_into_place() => Fix(
        """
        public static class LegacyUpload
        {
            public static void Keep(System.Net.Http.Headers.ContentDispositionHeaderValue disposition, string localFile, string root)
            {
                var name = [|disposition.FileName|].Trim('"');
                var target = root;
                target += "/" + name;
                File.Move(localFile, target);
            }
        }
        """,
        """
        public static class LegacyUpload
        {
            public static void Keep(System.Net.Http.Headers.ContentDispositionHeaderValue disposition, string localFile, string root)
            {
                var name = disposition.FileName.Trim('"');
                var target = root;
                target += "/" + $"{Guid.NewGuid():N}";
                File.Move(localFile, target);
            }
        }
        """);

    [Fact]
    public Task Name_kept_as_metadata_too_is_reported_without_a_fix() => NoFix(
        """
        public static class Library
        {
            public static async Task<Document> SaveAsync(IFormFile file, string folder)
            {
                var name = file.FileName;
                await using var stream = File.Create(Path.Combine(folder, name));
                await file.CopyToAsync(stream);
                return new Document { OriginalName = name, StoredName = name };
            }
        }
        """.Replace("file.FileName;", "[|file.FileName|];"));

    [Fact]
    public Task Extension_checked_without_a_local_is_reported_without_a_fix() => NoFix(
        """
        public static class Plugins
        {
            public static async Task UploadAsync(IFormFile plugin, string folder)
            {
                var destination = Path.Combine(folder, [|plugin.FileName|]);
                if (Path.GetExtension(destination) == ".plugin")
                {
                    await using var stream = new FileStream(destination, FileMode.Create);
                    await plugin.CopyToAsync(stream);
                }
            }

            public static void Theme(IFormFile theme, string folder, byte[] data)
            {
                if (!theme.FileName.EndsWith(".css")) return;
                File.WriteAllBytes(Path.Combine(folder, [|theme.FileName|]), data);
            }
        }
        """);

    [Fact]
    public Task Name_in_two_paths_is_reported_without_a_fix() => NoFix(
        """
        public static class Thumbnails
        {
            public static void Save(IFormFile file, string images, string thumbs, byte[] data)
            {
                var name = Path.GetFileName({|BR0014:file.FileName|});
                File.WriteAllBytes(Path.Combine(images, name), data);
                File.WriteAllBytes(Path.Combine(thumbs, name), data);
            }
        }
        """);

    [Fact]
    public Task Blob_and_object_names_are_storage_paths() => Fix(
        """
        namespace Azure.Storage.Blobs { public class BlobClient { } public class BlobContainerClient { public BlobClient GetBlobClient(string blobName) => new(); } }
        namespace Amazon.S3.Model { public class PutObjectRequest { public string BucketName { get; set; } = ""; public string Key { get; set; } = ""; } }

        public static class Cloud
        {
            public static Azure.Storage.Blobs.BlobClient Blob(Azure.Storage.Blobs.BlobContainerClient container, IFormFile file)
                => container.GetBlobClient([|file.FileName|]);

            public static Amazon.S3.Model.PutObjectRequest Object(IFormFile file)
                => new() { BucketName = "uploads", Key = "docs/" + [|file.FileName|] };
        }
        """,
        """
        namespace Azure.Storage.Blobs { public class BlobClient { } public class BlobContainerClient { public BlobClient GetBlobClient(string blobName) => new(); } }
        namespace Amazon.S3.Model { public class PutObjectRequest { public string BucketName { get; set; } = ""; public string Key { get; set; } = ""; } }

        public static class Cloud
        {
            public static Azure.Storage.Blobs.BlobClient Blob(Azure.Storage.Blobs.BlobContainerClient container, IFormFile file)
                => container.GetBlobClient($"{Guid.NewGuid():N}");

            public static Amazon.S3.Model.PutObjectRequest Object(IFormFile file)
                => new() { BucketName = "uploads", Key = "docs/" + $"{Guid.NewGuid():N}" };
        }
        """);

    [Fact]
    public Task Using_system_is_added_where_guid_is_not_visible()
        => Verify.VerifyCodeFixAsync(
            """
            using System.IO;
            using Microsoft.AspNetCore.Http;

            public static class Plain
            {
                public static Stream Open(IFormFile file) => File.Create(Path.Join("/data", [|file.FileName|]));
            }
            """,
            """
            using System;
            using System.IO;
            using Microsoft.AspNetCore.Http;

            public static class Plain
            {
                public static Stream Open(IFormFile file) => File.Create(Path.Join("/data", $"{Guid.NewGuid():N}"));
            }
            """);

    [Fact]
    public async Task Fix_all_in_a_document_fixes_every_fixable_upload()
    {
        var source = Usings + """
            public static class Bulk
            {
                public static void Save(IFormFile a, IFormFile b, string root, byte[] data)
                {
                    File.WriteAllBytes(Path.Combine(root, a.FileName), data);
                    File.WriteAllBytes(Path.Combine(root, Path.GetFileName(b.FileName)), data);
                }
            }
            """;
        var fixedSource = await Infrastructure.FixRunner.FixAllFromFirstDiagnosticAsync(source, new BackendRules.Files.ClientFileNameAnalyzer(), new BackendRules.Files.ClientFileNameFixer(), FixAllScope.Document);
        Assert.DoesNotContain(".FileName", fixedSource);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(fixedSource, @"Path\.Combine\(root, \$""\{Guid\.NewGuid\(\):N\}""\)").Count);
    }

    // ---- Never reported -----------------------------------------------------------------------------------------

    [Fact]
    public Task Server_generated_names_are_not_reported() => None(
        """
        public static class Good
        {
            public static void Save(IFormFile file, string root, byte[] data)
            {
                File.WriteAllBytes(Path.Combine(root, Guid.NewGuid() + Path.GetExtension(file.FileName)), data);
                File.WriteAllBytes(Path.Combine(root, Path.GetRandomFileName()), data);
                var stored = $"{Guid.NewGuid():N}{Path.GetExtension(file.FileName).ToLowerInvariant()}";
                File.WriteAllBytes(Path.Combine(root, stored), data);
            }
        }
        """);

    [Fact]
    public Task Client_name_kept_only_as_metadata_is_not_reported() => None(
        """
        public static class Good
        {
            public static Document Save(IFormFile file, string root, byte[] data)
            {
                var document = new Document { OriginalName = file.FileName, StoredName = Guid.NewGuid().ToString("N") };
                File.WriteAllBytes(Path.Combine(root, document.StoredName), data);
                return document;
            }

            public static void Download(HttpResponse response, Document document)
            {
                var disposition = new ContentDispositionHeaderValue("attachment") { FileName = document.OriginalName };
                response.Headers.ContentDisposition = disposition.ToString();
            }
        }
        """);

    [Fact]
    public Task Names_checked_against_an_allow_list_are_not_reported() => None(
        """
        public static class Templates
        {
            private static readonly string[] Known = { "invoice.html", "receipt.html" };

            public static void Replace(IFormFile file, string root, byte[] data)
            {
                if (!Known.Contains(file.FileName))
                {
                    return;
                }

                File.WriteAllBytes(Path.Combine(root, file.FileName), data);
            }

            public static void Theme(IFormFile file, string root, byte[] data)
            {
                var name = file.FileName.ToLowerInvariant();
                switch (name)
                {
                    case "light.css":
                    case "dark.css":
                        File.WriteAllBytes(Path.Combine(root, name), data);
                        break;
                }
            }

            public static void Logo(IFormFile file, string root, byte[] data)
            {
                if (file.FileName is "logo.png" or "logo.svg")
                {
                    File.WriteAllBytes(Path.Combine(root, file.FileName), data);
                }
            }
        }
        """);

    [Fact]
    public Task Overwritten_names_and_other_destinations_are_not_reported() => None(
        """
        public interface IStorage { Task SaveAsync(string name, Stream content); }

        public static class Elsewhere
        {
            public static async Task<string> Save(IFormFile file, IStorage storage, string root, byte[] data)
            {
                var name = file.FileName;
                name = Guid.NewGuid().ToString("N");
                File.WriteAllBytes(Path.Combine(root, name), data);
                await storage.SaveAsync(file.FileName, file.OpenReadStream());
                return file.FileName.EndsWith(".pdf") ? "pdf" : file.FileName;
            }
        }
        """);

    [Fact]
    public Task Other_name_properties_are_not_sources() => None(
        """
        public sealed class Upload { public string FileName { get; set; } = ""; public string Name { get; set; } = ""; }

        public static class Others
        {
            public static void Save(Upload upload, IFormFile file, string root, byte[] data)
            {
                File.WriteAllBytes(Path.Combine(root, upload.FileName), data);
                File.WriteAllBytes(Path.Combine(root, upload.Name, file.Name), data);
            }
        }
        """);
}
