using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Logging;

/// <summary>Which logging API a call belongs to: the fix writes placeholders the way each renders them.</summary>
internal enum LogApi
{
    MicrosoftExtensionsLogging,
    Serilog,
}

/// <summary>A call that takes a message template: its API, the template argument and the template arguments passed.</summary>
internal sealed class LogCall
{
    public LogCall(IInvocationOperation invocation, LogApi api, IArgumentOperation message, IArgumentOperation? values)
    {
        Invocation = invocation;
        Api = api;
        Message = message;
        Values = values;
    }

    public IInvocationOperation Invocation { get; }
    public LogApi Api { get; }

    /// <summary>The argument given for the template parameter (<c>message</c>, <c>messageFormat</c>, <c>messageTemplate</c>).</summary>
    public IArgumentOperation Message { get; }

    /// <summary>The <c>params</c> argument of template values, when the overload has one.</summary>
    public IArgumentOperation? Values { get; }

    /// <summary>
    /// Whether the call already passes values for the template: an explicit array or at least one element in the
    /// params array, or any argument after the template of a generic Serilog overload (<c>Information&lt;T&gt;(template, value)</c>).
    /// </summary>
    public bool PassesValues
    {
        get
        {
            if (Values is { } values)
            {
                return values.ArgumentKind != ArgumentKind.ParamArray
                    || values.Value is not IArrayCreationOperation { Initializer.ElementValues.IsEmpty: true };
            }

            var passedMessage = false;
            foreach (var argument in Invocation.Arguments)
            {
                if (argument == Message)
                {
                    passedMessage = true;
                }
                else if (passedMessage && argument.ArgumentKind != ArgumentKind.DefaultValue)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// The logging methods whose string parameter is a message template: Microsoft.Extensions.Logging's
/// <c>LoggerExtensions</c> (<c>LogTrace</c> … <c>LogCritical</c>, <c>Log(level, ...)</c>, <c>BeginScope</c>) and
/// Serilog's <c>ILogger</c> and static <c>Log</c> (<c>Verbose</c> … <c>Fatal</c>, <c>Write</c>). Create once per
/// compilation; null when neither library is referenced.
/// </summary>
internal sealed class LogCalls
{
    private readonly INamedTypeSymbol? _loggerExtensions;
    private readonly INamedTypeSymbol? _logger;
    private readonly INamedTypeSymbol? _serilogLogger;
    private readonly INamedTypeSymbol? _serilogLog;

    private LogCalls(INamedTypeSymbol? loggerExtensions, INamedTypeSymbol? logger, INamedTypeSymbol? serilogLogger, INamedTypeSymbol? serilogLog)
    {
        _loggerExtensions = loggerExtensions;
        _logger = logger;
        _serilogLogger = serilogLogger;
        _serilogLog = serilogLog;
    }

    /// <summary>Whether the compilation can call either library: asked at compilation start, nothing bound.</summary>
    public static bool Referenced(Compilation compilation)
        => References.Contains(compilation, "Microsoft.Extensions.Logging.Abstractions") || References.Contains(compilation, "Serilog");

    public static LogCalls? Create(Compilation compilation)
    {
        var extensions = WellKnownTypes.Of(compilation).Get("Microsoft.Extensions.Logging.LoggerExtensions");
        var logger = WellKnownTypes.Of(compilation).Get("Microsoft.Extensions.Logging.ILogger");
        var serilogLogger = WellKnownTypes.Of(compilation).Get("Serilog.ILogger");
        var serilogLog = WellKnownTypes.Of(compilation).Get("Serilog.Log");
        return extensions is null && serilogLogger is null && serilogLog is null ? null : new LogCalls(extensions, logger, serilogLogger, serilogLog);
    }

    /// <summary>A name test that needs no symbol: most invocations are no logging call.</summary>
    public static bool MayBeLogCall(IInvocationOperation invocation)
        => invocation.TargetMethod.Name switch
        {
            "LogTrace" or "LogDebug" or "LogInformation" or "LogWarning" or "LogError" or "LogCritical" or "Log" or "BeginScope" => true,
            "Verbose" or "Debug" or "Information" or "Warning" or "Error" or "Fatal" or "Write" => true,
            _ => false,
        };

    public LogCall? TryGet(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return null;
        }

        if (_loggerExtensions is not null && SymbolEqualityComparer.Default.Equals(type, _loggerExtensions))
        {
            return method.Name.StartsWith("Log", System.StringComparison.Ordinal) || method.Name == "BeginScope"
                ? Build(invocation, LogApi.MicrosoftExtensionsLogging, "message", "messageFormat", "args")
                : null;
        }

        // logger.BeginScope($"Job {id}") binds to ILogger.BeginScope<string>(state): a scope whose state is one string.
        // With values passed after a template it binds to LoggerExtensions.BeginScope, whose state has the properties.
        if (method is { Name: "BeginScope", TypeArguments.Length: 1 } && method.TypeArguments[0].SpecialType == SpecialType.System_String
            && _logger is not null && SymbolEqualityComparer.Default.Equals(type, _logger))
        {
            return Build(invocation, LogApi.MicrosoftExtensionsLogging, "state", null, "args");
        }

        if ((_serilogLogger is not null || _serilogLog is not null)
            && method.Name is "Verbose" or "Debug" or "Information" or "Warning" or "Error" or "Fatal" or "Write"
            && (SymbolEqualityComparer.Default.Equals(type, _serilogLog)
                || SymbolEqualityComparer.Default.Equals(type, _serilogLogger)
                || (_serilogLogger is not null && type.TypeKind == TypeKind.Class && WellKnownTypes.Implements(type, _serilogLogger))))
        {
            return Build(invocation, LogApi.Serilog, "messageTemplate", null, "propertyValues");
        }

        return null;
    }

    private static LogCall? Build(IInvocationOperation invocation, LogApi api, string messageName, string? otherMessageName, string valuesName)
    {
        IArgumentOperation? message = null;
        IArgumentOperation? values = null;
        foreach (var argument in invocation.Arguments)
        {
            var name = argument.Parameter?.Name;
            if (name == messageName || (otherMessageName is not null && name == otherMessageName))
            {
                message = argument;
            }
            else if (name == valuesName)
            {
                values = argument;
            }
        }

        return message is null || message.Parameter?.Type.SpecialType != SpecialType.System_String ? null : new LogCall(invocation, api, message, values);
    }
}
