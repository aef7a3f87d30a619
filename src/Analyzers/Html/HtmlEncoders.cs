using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Html;

/// <summary>Calls whose result is already safe to write into HTML: encoders, and JSON serialized with the default (HTML-escaping) encoder.</summary>
internal sealed class HtmlEncoders
{
    private readonly INamedTypeSymbol? _textEncoder;
    private readonly INamedTypeSymbol? _htmlEncoder;
    private readonly INamedTypeSymbol? _urlEncoder;
    private readonly INamedTypeSymbol? _webUtility;
    private readonly INamedTypeSymbol? _httpUtility;
    private readonly INamedTypeSymbol? _uri;
    private readonly INamedTypeSymbol? _htmlHelper;
    private readonly INamedTypeSymbol? _jsonSerializer;
    private readonly INamedTypeSymbol? _sanitizer;
    private readonly INamedTypeSymbol? _sanitizerInterface;

    public HtmlEncoders(WellKnownTypes types)
    {
        _textEncoder = types.Get("System.Text.Encodings.Web.TextEncoder");
        _htmlEncoder = types.Get("System.Text.Encodings.Web.HtmlEncoder");
        _urlEncoder = types.Get("System.Text.Encodings.Web.UrlEncoder");
        _webUtility = types.Get("System.Net.WebUtility");
        _httpUtility = types.Get("System.Web.HttpUtility");
        _uri = types.Get("System.Uri");
        _htmlHelper = types.Get("Microsoft.AspNetCore.Mvc.Rendering.IHtmlHelper");
        _jsonSerializer = types.Get("System.Text.Json.JsonSerializer");
        _sanitizer = types.Get("Ganss.Xss.HtmlSanitizer");
        _sanitizerInterface = types.Get("Ganss.Xss.IHtmlSanitizer");
    }

    public bool IsEncoding(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        switch (method.Name)
        {
            // HtmlEncoder.Default.Encode(x), UrlEncoder.Default.Encode(x): the receiver's type picks the encoding.
            case "Encode" when WellKnownTypes.IsOrDerivesFrom(type, _textEncoder):
                var receiver = invocation.Instance?.Type;
                return WellKnownTypes.IsOrDerivesFrom(receiver, _htmlEncoder) || WellKnownTypes.IsOrDerivesFrom(receiver, _urlEncoder);
            case "HtmlEncode" or "UrlEncode" when Is(type, _webUtility):
            case "HtmlEncode" or "HtmlAttributeEncode" or "UrlEncode" or "UrlPathEncode" when Is(type, _httpUtility):
            case "EscapeDataString" when Is(type, _uri):
            case "Encode" when WellKnownTypes.Implements(type, _htmlHelper):
            case "Sanitize" or "SanitizeDocument" when Is(type, _sanitizer) || WellKnownTypes.Implements(type, _sanitizerInterface):
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

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
