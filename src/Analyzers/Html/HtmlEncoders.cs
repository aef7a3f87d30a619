using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Html;

/// <summary>
/// Calls whose result is already safe to write into HTML: encoders and sanitizers, JSON serialized with the default
/// (HTML-escaping) encoder, text that cannot hold markup (Base64, hex), and the HTML the framework rendered.
/// </summary>
internal sealed class HtmlEncoders
{
    private readonly INamedTypeSymbol? _textEncoder;
    private readonly INamedTypeSymbol? _htmlEncoder;
    private readonly INamedTypeSymbol? _urlEncoder;
    private readonly INamedTypeSymbol? _javaScriptEncoder;
    private readonly INamedTypeSymbol? _webUtility;
    private readonly INamedTypeSymbol? _httpUtility;
    private readonly INamedTypeSymbol? _uri;
    private readonly INamedTypeSymbol? _htmlHelper;
    private readonly INamedTypeSymbol? _jsonSerializer;
    private readonly INamedTypeSymbol? _sanitizer;
    private readonly INamedTypeSymbol? _sanitizerInterface;
    private readonly INamedTypeSymbol? _convert;
    private readonly INamedTypeSymbol? _bitConverter;
    private readonly INamedTypeSymbol? _webEncoders;
    private readonly INamedTypeSymbol? _base64Url;
    private readonly INamedTypeSymbol? _tagHelperContent;
    private readonly INamedTypeSymbol? _linkGenerator;
    private readonly INamedTypeSymbol? _urlHelper;

    public HtmlEncoders(WellKnownTypes types)
    {
        _textEncoder = types.Get("System.Text.Encodings.Web.TextEncoder");
        _htmlEncoder = types.Get("System.Text.Encodings.Web.HtmlEncoder");
        _urlEncoder = types.Get("System.Text.Encodings.Web.UrlEncoder");
        _javaScriptEncoder = types.Get("System.Text.Encodings.Web.JavaScriptEncoder");
        _webUtility = types.Get("System.Net.WebUtility");
        _httpUtility = types.Get("System.Web.HttpUtility");
        _uri = types.Get("System.Uri");
        _htmlHelper = types.Get("Microsoft.AspNetCore.Mvc.Rendering.IHtmlHelper");
        _jsonSerializer = types.Get("System.Text.Json.JsonSerializer");
        _sanitizer = types.Get("Ganss.Xss.HtmlSanitizer");
        _sanitizerInterface = types.Get("Ganss.Xss.IHtmlSanitizer");
        _convert = types.Get("System.Convert");
        _bitConverter = types.Get("System.BitConverter");
        _webEncoders = types.Get("Microsoft.AspNetCore.WebUtilities.WebEncoders");
        _base64Url = types.Get("System.Buffers.Text.Base64Url");
        _tagHelperContent = types.Get("Microsoft.AspNetCore.Razor.TagHelpers.TagHelperContent");
        _linkGenerator = types.Get("Microsoft.AspNetCore.Routing.LinkGenerator");
        _urlHelper = types.Get("Microsoft.AspNetCore.Mvc.IUrlHelper");
    }

    public bool IsEncoding(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        switch (method.Name)
        {
            // HtmlEncoder.Default.Encode(x), UrlEncoder.Default.Encode(x): the receiver's type picks the encoding.
            // JavaScriptEncoder escapes <, >, &, ' and " too, except the one named unsafe.
            case "Encode" when WellKnownTypes.IsOrDerivesFrom(type, _textEncoder):
                var receiver = invocation.Instance?.Type;
                return WellKnownTypes.IsOrDerivesFrom(receiver, _htmlEncoder) || WellKnownTypes.IsOrDerivesFrom(receiver, _urlEncoder)
                    || (WellKnownTypes.IsOrDerivesFrom(receiver, _javaScriptEncoder)
                        && invocation.Instance is not IPropertyReferenceOperation { Property.Name: "UnsafeRelaxedJsonEscaping" });
            case "HtmlEncode" or "UrlEncode" when Is(type, _webUtility):
            case "HtmlEncode" or "HtmlAttributeEncode" or "UrlEncode" or "UrlPathEncode" when Is(type, _httpUtility):
            case "EscapeDataString" when Is(type, _uri):
            case "Encode" when WellKnownTypes.Implements(type, _htmlHelper):
            case "Sanitize" or "SanitizeDocument" when Is(type, _sanitizer) || WellKnownTypes.Implements(type, _sanitizerInterface):
                return method.ReturnType.SpecialType == SpecialType.System_String;

            // Base64 and hex digits: letters, digits, +, /, =, - and _.
            case "ToBase64String" or "ToHexString" or "ToHexStringLower" when Is(type, _convert):
            case "ToString" when Is(type, _bitConverter):
            case "Base64UrlEncode" when Is(type, _webEncoders):
            case "EncodeToString" when Is(type, _base64Url):
                return method.ReturnType.SpecialType == SpecialType.System_String;

            // Convert.ToString(42): a number's text.
            case "ToString" when Is(type, _convert) && invocation.Arguments.Length > 0:
                return HtmlValueSafety.CannotCarryMarkup(Operations.Unwrap(invocation.Arguments[0].Value).Type);

            // A tag helper's content as the framework renders it: text encoded, HTML as it was judged where it was added.
            case "GetContent" when WellKnownTypes.IsOrDerivesFrom(type, _tagHelperContent):
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value.Type?.Name == "NullHtmlEncoder")
                    {
                        return false;
                    }
                }

                return method.ReturnType.SpecialType == SpecialType.System_String;

            // System.Text.Json's default encoder escapes <, >, &, ' and "; with options, the encoder may be relaxed.
            case "Serialize" when Is(type, _jsonSerializer):
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind != ArgumentKind.DefaultValue && !argument.Value.ConstantValue.HasValue
                        && argument.Parameter?.Type.Name is "JsonSerializerOptions" or "JsonTypeInfo" or "JsonSerializerContext")
                    {
                        return false;
                    }
                }

                return method.ReturnType.SpecialType == SpecialType.System_String;
            default:
                return false;
        }
    }

    /// <summary>
    /// A URL the routing system generates (LinkGenerator's GetPathBy.../GetUriBy..., IUrlHelper's Action, RouteUrl,
    /// Page, Link and their ...Link forms): it escapes route values and paths. A fragment or an IUrlHelper host is put in
    /// as it is, so the caller judges those arguments (<paramref name="hostUnescaped"/> for the host).
    /// </summary>
    public bool IsUrlGeneration(IMethodSymbol method, out bool hostUnescaped)
    {
        hostUnescaped = false;
        var type = method.ContainingType;
        var receiver = method.IsExtensionMethod && method.Parameters.Length > 0 ? method.Parameters[0].Type : type;
        if (method.Name.StartsWith("GetPathBy", System.StringComparison.Ordinal) || method.Name.StartsWith("GetUriBy", System.StringComparison.Ordinal))
        {
            return method.ReturnType.SpecialType == SpecialType.System_String && WellKnownTypes.IsOrDerivesFrom(receiver, _linkGenerator);
        }

        if (method.Name is not ("Action" or "RouteUrl" or "Page" or "Link" or "ActionLink" or "PageLink")
            || method.ReturnType.SpecialType != SpecialType.System_String || !WellKnownTypes.Implements(receiver, _urlHelper))
        {
            return false;
        }

        // Url.Action(new UrlActionContext { Fragment = ... }): what the context holds is not looked into.
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.Name is "UrlActionContext" or "UrlRouteContext")
            {
                return false;
            }
        }

        hostUnescaped = true;
        return true;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
