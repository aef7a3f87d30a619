using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace BackendRules.Files;

/// <summary>
/// The names BR0014 knows, matched by name and namespace so nothing is bound up front: where a client's file name comes
/// from, the calls that keep it a name, and where a name becomes a storage path.
/// </summary>
internal static class UploadNames
{
    /// <summary>A property read that is a file name the client chose; null otherwise.</summary>
    public static bool IsSource(IPropertyReferenceOperation reference)
    {
        var property = reference.Property;
        switch (property.Name)
        {
            case "FileName":
            case "FileNameStar":
                var type = property.ContainingType;
                if (type is null)
                {
                    return false;
                }

                if (type.Name == "ContentDispositionHeaderValue")
                {
                    return InNamespace(type, "Microsoft.Net.Http.Headers") || InNamespace(type, "System.Net.Http.Headers");
                }

                return property.Name == "FileName" && IsOrImplements(type, "IFormFile", "Microsoft.AspNetCore.Http");
            case "Name":
                return property.ContainingType is { } browserType && IsOrImplements(browserType, "IBrowserFile", "Microsoft.AspNetCore.Components.Forms");
            default:
                return false;
        }
    }

    /// <summary>What the argument makes the name part of: a path, a file opened or written, a blob or object name; null otherwise.</summary>
    public static string? SinkOf(IArgumentOperation argument)
    {
        if (argument.Parameter is not { } parameter)
        {
            return null;
        }

        switch (argument.Parent)
        {
            case IInvocationOperation invocation:
            {
                var method = invocation.TargetMethod;
                var type = method.ContainingType;
                if (type is null)
                {
                    return null;
                }

                if (IsSystemIO(type, "Path"))
                {
                    return method.Name is "Combine" or "Join" ? "Path." + method.Name : null;
                }

                if (IsSystemIO(type, "File"))
                {
                    return method.Name != "Exists" && parameter.Type.SpecialType == SpecialType.System_String ? "File." + method.Name : null;
                }

                return IsObjectName(type, parameter.Name) ? type.Name + "." + method.Name : null;
            }

            case IObjectCreationOperation { Type: INamedTypeSymbol created }:
                if (created.Name is "FileStream" or "FileInfo" or "StreamWriter" && IsSystemIO(created, created.Name))
                {
                    return parameter.Type.SpecialType == SpecialType.System_String ? "new " + created.Name : null;
                }

                return IsObjectName(created, parameter.Name) ? "new " + created.Name : null;
            default:
                return null;
        }
    }

    /// <summary>An S3 request's object key (<c>new PutObjectRequest { Key = name }</c>).</summary>
    public static string? SinkOf(ISimpleAssignmentOperation assignment)
        => assignment.Target is IPropertyReferenceOperation { Property: { Name: "Key" or "DestinationKey" } property }
            && property.ContainingType is { } type
            && IsS3(type)
            ? type.Name + "." + property.Name
            : null;

    /// <summary>A blob name (Azure Storage, both SDKs) or an object key (AWS S3) parameter.</summary>
    private static bool IsObjectName(INamedTypeSymbol type, string parameterName)
        => parameterName switch
        {
            "blobName" => IsBlobs(type),
            "key" or "destinationKey" => IsS3(type),
            _ => false,
        };

    private static bool IsBlobs(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.StartsWith("Azure.Storage.Blobs", System.StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.Azure.Storage.Blob", System.StringComparison.Ordinal)
            || ns.StartsWith("Microsoft.WindowsAzure.Storage.Blob", System.StringComparison.Ordinal);
    }

    private static bool IsS3(INamedTypeSymbol type)
        => (type.ContainingNamespace?.ToDisplayString() ?? string.Empty).StartsWith("Amazon.S3", System.StringComparison.Ordinal);

    /// <summary>A System.IO.Path method that keeps the value a name the client chose, and whether it is GetFileName(WithoutExtension).</summary>
    public static bool IsPath(IInvocationOperation invocation, string name)
        => invocation.TargetMethod.Name == name && invocation.TargetMethod.ContainingType is { } type && IsSystemIO(type, "Path");

    public static bool IsSystemIO(INamedTypeSymbol type, string name)
        => type.Name == name
            && type.ContainingType is null
            && type.ContainingNamespace is { Name: "IO" } io
            && io.ContainingNamespace is { Name: "System" } system
            && system.ContainingNamespace is { IsGlobalNamespace: true };

    public static bool InNamespace(INamedTypeSymbol type, string ns)
        => type.ContainingNamespace?.ToDisplayString() == ns;

    private static bool IsOrImplements(INamedTypeSymbol type, string name, string ns)
    {
        if (type.Name == name && InNamespace(type, ns))
        {
            return true;
        }

        if (type.TypeKind == TypeKind.Interface)
        {
            return false;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (candidate.Name == name && InNamespace(candidate, ns))
            {
                return true;
            }
        }

        return false;
    }
}
