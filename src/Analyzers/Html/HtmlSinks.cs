using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Html;

internal enum HtmlSinkKind
{
    /// <summary>Html.Raw(x), new HtmlString(x), new MarkupString(x), (MarkupString)x: any unencoded value is reported.</summary>
    Wrapper,

    /// <summary>AppendHtml/AppendHtmlLine/SetHtmlContent, RenderTreeBuilder.AddMarkupContent: any unencoded value is reported.</summary>
    Builder,

    /// <summary>A text/html response: reported only when its HTML is built here from unencoded values.</summary>
    Response,
}

/// <summary>One place where a string is written into HTML as markup.</summary>
internal readonly struct HtmlSink
{
    public HtmlSink(HtmlSinkKind kind, IOperation operation, IOperation value, SyntaxNode reportNode)
    {
        Kind = kind;
        Operation = operation;
        Value = value;
        ReportNode = reportNode;
    }

    public HtmlSinkKind Kind { get; }

    /// <summary>The invocation, creation, conversion or initializer assignment that writes the markup.</summary>
    public IOperation Operation { get; }

    /// <summary>The value written as markup.</summary>
    public IOperation Value { get; }

    public SyntaxNode ReportNode { get; }
}

/// <summary>The ASP.NET Core and Blazor types the rule looks for, resolved once per compilation.</summary>
internal sealed class HtmlSinks
{
    private HtmlSinks(WellKnownTypes types)
    {
        HtmlHelper = types.Get("Microsoft.AspNetCore.Mvc.Rendering.IHtmlHelper");
        HtmlString = types.Get("Microsoft.AspNetCore.Html.HtmlString");
        HtmlContent = types.Get("Microsoft.AspNetCore.Html.IHtmlContent");
        HtmlContentBuilder = types.Get("Microsoft.AspNetCore.Html.IHtmlContentBuilder");
        HtmlContentBuilderExtensions = types.Get("Microsoft.AspNetCore.Html.HtmlContentBuilderExtensions");
        MarkupString = types.Get("Microsoft.AspNetCore.Components.MarkupString");
        RenderTreeBuilder = types.Get("Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder");
        ControllerBase = types.Get("Microsoft.AspNetCore.Mvc.ControllerBase");
        ContentResult = types.Get("Microsoft.AspNetCore.Mvc.ContentResult");
        Results = types.Get("Microsoft.AspNetCore.Http.Results");
        TypedResults = types.Get("Microsoft.AspNetCore.Http.TypedResults");
        HttpResponse = types.Get("Microsoft.AspNetCore.Http.HttpResponse");
        HeaderDictionary = types.Get("Microsoft.AspNetCore.Http.IHeaderDictionary");
        ResponseWriting = types.Get("Microsoft.AspNetCore.Http.HttpResponseWritingExtensions");
        Regex = types.Get("System.Text.RegularExpressions.Regex");
        TagHelperOutput = types.Get("Microsoft.AspNetCore.Razor.TagHelpers.TagHelperOutput");
        StringWriter = types.Get("System.IO.StringWriter");
        Encoders = new HtmlEncoders(types);
    }

    public INamedTypeSymbol? HtmlHelper { get; }
    public INamedTypeSymbol? HtmlString { get; }
    public INamedTypeSymbol? HtmlContent { get; }
    public INamedTypeSymbol? HtmlContentBuilder { get; }
    public INamedTypeSymbol? HtmlContentBuilderExtensions { get; }
    public INamedTypeSymbol? MarkupString { get; }
    public INamedTypeSymbol? RenderTreeBuilder { get; }
    public INamedTypeSymbol? ControllerBase { get; }
    public INamedTypeSymbol? ContentResult { get; }
    public INamedTypeSymbol? Results { get; }
    public INamedTypeSymbol? TypedResults { get; }
    public INamedTypeSymbol? HttpResponse { get; }
    public INamedTypeSymbol? HeaderDictionary { get; }
    public INamedTypeSymbol? ResponseWriting { get; }
    public INamedTypeSymbol? Regex { get; }
    public INamedTypeSymbol? TagHelperOutput { get; }
    public INamedTypeSymbol? StringWriter { get; }
    public HtmlEncoders Encoders { get; }

    /// <summary>Null when the compilation references neither ASP.NET Core's HTML types nor Blazor nor HTTP responses.</summary>
    public static HtmlSinks? Create(Compilation compilation)
    {
        var sinks = new HtmlSinks(WellKnownTypes.Of(compilation));
        return sinks.HtmlContent is null && sinks.MarkupString is null && sinks.HttpResponse is null && sinks.ControllerBase is null ? null : sinks;
    }

    /// <summary>
    /// Whether the operation could be a sink, told from names alone (no type looked up): most operations of a
    /// compilation are not, and a compilation with no candidate never looks the sink types up.
    /// </summary>
    public static bool MayBeSink(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => IsSinkMethodName(invocation.TargetMethod.Name),

        // The wrappers take the markup as their one string: other creations are turned away before their base types are read.
        IObjectCreationOperation { Arguments.Length: 1, Constructor.Parameters.Length: 1 } creation
            when creation.Constructor.Parameters[0].Type.SpecialType == SpecialType.System_String
            => Named(creation.Type, "HtmlString") || Named(creation.Type, "MarkupString"),
        IConversionOperation { IsImplicit: false, OperatorMethod: { } conversionOperator } => conversionOperator.ContainingType?.Name == "MarkupString",
        IDynamicInvocationOperation { Operation: IDynamicMemberReferenceOperation { MemberName: "Raw" } } => true,
        IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation created } => Named(created.Type, "ContentResult"),
        _ => false,
    };

    /// <summary>
    /// Raw, AppendHtml, AppendHtmlLine, SetHtmlContent, AddMarkupContent, Content, Text or WriteAsync. Every invocation
    /// of the compilation is asked: the length turns nearly all names away before any comparison.
    /// </summary>
    private static bool IsSinkMethodName(string name) => name.Length switch
    {
        3 => name == "Raw",
        4 => name == "Text",
        7 => name == "Content",
        10 => name == "AppendHtml" || name == "WriteAsync",
        14 => name == "AppendHtmlLine" || name == "SetHtmlContent",
        16 => name == "AddMarkupContent",
        _ => false,
    };

    /// <summary>Whether the type or one of its base classes has that name.</summary>
    private static bool Named(ITypeSymbol? type, string name)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    public bool TryGetSink(IOperation operation, out HtmlSink sink)
    {
        sink = default;
        switch (operation)
        {
            case IInvocationOperation invocation:
                return TryGetInvocationSink(invocation, out sink);

            case IObjectCreationOperation creation when creation.Constructor is { } constructor:
                if ((WellKnownTypes.IsOrDerivesFrom(constructor.ContainingType, HtmlString) || Is(constructor.ContainingType, MarkupString))
                    && creation.Arguments.Length == 1 && creation.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String)
                {
                    sink = new HtmlSink(HtmlSinkKind.Wrapper, creation, creation.Arguments[0].Value, creation.Syntax);
                    return true;
                }

                return false;

            case IConversionOperation { IsImplicit: false, OperatorMethod: { } conversionOperator } conversion
                when Is(conversionOperator.ContainingType, MarkupString) && MarkupString is not null:
                sink = new HtmlSink(HtmlSinkKind.Wrapper, conversion, conversion.Operand, conversion.Syntax);
                return true;

            // Html.Raw(ViewBag.Message): a dynamic argument binds the call at run time, to the same Raw.
            case IDynamicInvocationOperation { Operation: IDynamicMemberReferenceOperation { MemberName: "Raw", Instance: { } instance }, Arguments.Length: 1 } dynamicCall
                when HtmlHelper is not null && WellKnownTypes.Implements(instance.Type, HtmlHelper):
                sink = new HtmlSink(HtmlSinkKind.Wrapper, dynamicCall, dynamicCall.Arguments[0], dynamicCall.Syntax);
                return true;

            case IObjectOrCollectionInitializerOperation initializer when initializer.Parent is IObjectCreationOperation created
                && ContentResult is not null && WellKnownTypes.IsOrDerivesFrom(created.Type, ContentResult):
                return TryGetContentResultSink(initializer, out sink);

            default:
                return false;
        }
    }

    private bool TryGetInvocationSink(IInvocationOperation invocation, out HtmlSink sink)
    {
        sink = default;
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Raw" when HtmlHelper is not null && WellKnownTypes.Implements(method.ContainingType, HtmlHelper) && invocation.Arguments.Length == 1:
                sink = new HtmlSink(HtmlSinkKind.Wrapper, invocation, invocation.Arguments[0].Value, invocation.Syntax);
                return true;

            case "AppendHtml" or "AppendHtmlLine" or "SetHtmlContent" when HtmlContentBuilder is not null:
                var receiver = invocation.Instance?.Type ?? (method.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null);
                if (!WellKnownTypes.Implements(receiver, HtmlContentBuilder) && !Is(method.ContainingType, HtmlContentBuilderExtensions))
                {
                    return false;
                }

                return TryGetStringArgument(invocation, null, HtmlSinkKind.Builder, out sink);

            case "AddMarkupContent" when Is(method.ContainingType, RenderTreeBuilder):
                return TryGetStringArgument(invocation, "markupContent", HtmlSinkKind.Builder, out sink);

            case "Content" when ControllerBase is not null && WellKnownTypes.IsOrDerivesFrom(method.ContainingType, ControllerBase):
            case "Content" or "Text" when Is(method.ContainingType, Results) || Is(method.ContainingType, TypedResults):
                return IsHtmlContentType(Argument(invocation, "contentType")) && TryGetStringArgument(invocation, "content", HtmlSinkKind.Response, out sink);

            case "WriteAsync" when Is(method.ContainingType, ResponseWriting) && invocation.Arguments.Length > 1:
                return HandlerSetsHtmlContentType(invocation) && TryGetStringArgument(invocation, "text", HtmlSinkKind.Response, out sink);

            default:
                return false;
        }
    }

    /// <summary>
    /// A tag helper that turns its element into a <c>&lt;script&gt;</c> (<c>output.TagName = "script"</c> in the same
    /// body) and writes its content: that content is JavaScript, which HTML encoding neither protects (a value can
    /// end a statement without any markup character) nor keeps working. It is not judged as HTML.
    /// </summary>
    public bool WritesScriptElement(HtmlSink sink)
    {
        if (sink.Kind != HtmlSinkKind.Builder || TagHelperOutput is null || sink.Operation is not IInvocationOperation call)
        {
            return false;
        }

        var builder = call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
        if (builder is null || Operations.Unwrap(builder) is not IPropertyReferenceOperation { Property.Name: "Content" or "PreContent" or "PostContent", Instance: { } output }
            || !WellKnownTypes.IsOrDerivesFrom(output.Type, TagHelperOutput) || SymbolOf(output) is not { } outputSymbol)
        {
            return false;
        }

        foreach (var operation in Handler(call).Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "TagName", Instance: { } target } } assignment
                && SymbolEqualityComparer.Default.Equals(SymbolOf(target), outputSymbol)
                && Operations.Unwrap(assignment.Value).ConstantValue is { HasValue: true, Value: string tag }
                && string.Equals(tag, "script", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? SymbolOf(IOperation operation) => Operations.Unwrap(operation) switch
    {
        IParameterReferenceOperation parameter => parameter.Parameter,
        ILocalReferenceOperation local => local.Local,
        _ => null,
    };

    private bool TryGetContentResultSink(IObjectOrCollectionInitializerOperation initializer, out HtmlSink sink)
    {
        sink = default;
        ISimpleAssignmentOperation? content = null;
        var html = false;
        foreach (var member in initializer.Initializers)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
            {
                if (property.Property.Name == "ContentType")
                {
                    html = IsHtmlContentType(assignment.Value);
                }
                else if (property.Property.Name == "Content")
                {
                    content = assignment;
                }
            }
        }

        if (!html || content is null)
        {
            return false;
        }

        sink = new HtmlSink(HtmlSinkKind.Response, content, content.Value, content.Syntax);
        return true;
    }

    private static bool TryGetStringArgument(IInvocationOperation invocation, string? parameterName, HtmlSinkKind kind, out HtmlSink sink)
    {
        sink = default;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Type.SpecialType: SpecialType.System_String } parameter
                && (parameterName is null ? !parameter.IsThis && parameter.Ordinal == (invocation.TargetMethod.IsExtensionMethod ? 1 : 0) : parameter.Name == parameterName))
            {
                sink = new HtmlSink(kind, invocation, argument.Value, invocation.Syntax);
                return true;
            }
        }

        return false;
    }

    private static IOperation? Argument(IInvocationOperation invocation, string name)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>A constant media type of text/html (parameters such as <c>; charset=utf-8</c> allowed) or XHTML.</summary>
    internal static bool IsHtmlContentType(IOperation? value)
    {
        if (value is null || Operations.Unwrap(value).ConstantValue is not { HasValue: true, Value: string text })
        {
            return false;
        }

        var semicolon = text.IndexOf(';');
        var media = (semicolon < 0 ? text : text.Substring(0, semicolon)).Trim();
        return string.Equals(media, "text/html", StringComparison.OrdinalIgnoreCase)
            || string.Equals(media, "application/xhtml+xml", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The handler (lambda, local function or member) around the write set a text/html content type before it, on an
    /// HttpResponse or on the response headers.
    /// </summary>
    private bool HandlerSetsHtmlContentType(IInvocationOperation write)
    {
        var handler = Handler(write);
        foreach (var operation in handler.Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ContentType" } property } assignment
                && operation.Syntax.SpanStart < write.Syntax.SpanStart
                && (WellKnownTypes.IsOrDerivesFrom(property.Property.ContainingType, HttpResponse) || WellKnownTypes.Implements(property.Property.ContainingType, HeaderDictionary))
                && IsHtmlContentType(assignment.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation Handler(IOperation operation)
    {
        for (var current = operation; current.Parent is not null; current = current.Parent)
        {
            if (current.Parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current.Parent;
            }
        }

        return Operations.Root(operation);
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
