using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using BackendRules.Logging;
using BackendRules.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Xunit;

namespace BackendRules.Tests.Logging;

/// <summary>
/// The BR0007 fix with real loggers: a <see cref="LoggerFactory"/> with a provider that keeps what it is given, and a
/// Serilog logger with a sink that keeps its events. Before the fix the values exist only inside the text; after it
/// they are named properties with their original values, and the rendered message is the same text.
/// </summary>
public sealed class LogMessageBehaviourTests
{
    private const string Source = """
        using System;
        using Microsoft.Extensions.Logging;

        public static class Shipping
        {
            public static void Shipped(ILogger log, int orderId, string email, decimal total, Exception? error)
                => log.LogWarning(error, $"Order {orderId} shipped to {email} for {total:0.00} ({{sic}})");

            public static void Counted(ILogger log, int boxes)
                => log.LogInformation("Packed " + boxes + " boxes");

            public static void Labelled(Serilog.ILogger log, int orderId, string carrier, char grade, bool express)
                => log.Information($"Label for {orderId} printed by {carrier} (grade {grade}, express {express})");
        }
        """;

    [Fact]
    public async Task Values_become_properties_and_the_text_stays_the_same()
    {
        var fixedSource = await FixRunner.ApplyAllFixesAsync(Source, new LogMessageAnalyzer(), new LogMessageFixer());
        Assert.Contains("log.LogWarning(error, \"Order {OrderId} shipped to {Email} for {Total:0.00} ({{sic}})\", orderId, email, total)", fixedSource);
        Assert.Contains("log.LogInformation(\"Packed {Boxes} boxes\", boxes)", fixedSource);
        Assert.Contains("log.Information(\"Label for {OrderId} printed by {Carrier:l} (grade {Grade:l}, express {Express})\", orderId, carrier, grade, express)", fixedSource);

        // Microsoft.Extensions.Logging formats values with the invariant culture (rules.md says so); the comparison runs there.
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            var before = Run(FixRunner.CompileAndLoad(Source, "LogBefore_" + Guid.NewGuid().ToString("N")));
            var after = Run(FixRunner.CompileAndLoad(fixedSource, "LogAfter_" + Guid.NewGuid().ToString("N")));

            // The same text, level and exception.
            Assert.Equal(new[] { "Order 42 shipped to ada@example.com for 12.50 ({sic})", "Packed 3 boxes" }, before.Entries.Select(e => e.Message));
            Assert.Equal(before.Entries.Select(e => e.Message), after.Entries.Select(e => e.Message));
            Assert.Equal(before.Entries.Select(e => (e.Level, e.Error)), after.Entries.Select(e => (e.Level, e.Error)));
            Assert.Equal("Label for 42 printed by DHL (grade A, express True)", before.Serilog.RenderMessage(CultureInfo.InvariantCulture));
            Assert.Equal(before.Serilog.RenderMessage(CultureInfo.InvariantCulture), after.Serilog.RenderMessage(CultureInfo.InvariantCulture));

            // Before: the message is the template; no value is a property.
            Assert.All(before.Entries, e => Assert.Equal(new[] { "{OriginalFormat}" }, e.State.Keys));
            Assert.Empty(before.Serilog.Properties);

            // After: each value under its name, with its type and value, beside the template.
            var shipped = after.Entries[0].State;
            Assert.Equal(42, shipped["OrderId"]);
            Assert.Equal("ada@example.com", shipped["Email"]);
            Assert.Equal(12.5m, shipped["Total"]);
            Assert.Equal("Order {OrderId} shipped to {Email} for {Total:0.00} ({{sic}})", shipped["{OriginalFormat}"]);
            Assert.Equal(3, after.Entries[1].State["Boxes"]);
            Assert.Equal(42, ((ScalarValue)after.Serilog.Properties["OrderId"]).Value);
            Assert.Equal("DHL", ((ScalarValue)after.Serilog.Properties["Carrier"]).Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static (List<Entry> Entries, LogEvent Serilog) Run(Assembly assembly)
    {
        var shipping = assembly.GetType("Shipping")!;
        var provider = new KeepingProvider();
        using (var factory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(provider)))
        {
            var log = factory.CreateLogger("Shipping");
            shipping.GetMethod("Shipped")!.Invoke(null, new object?[] { log, 42, "ada@example.com", 12.5m, new TimeoutException("slow") });
            shipping.GetMethod("Counted")!.Invoke(null, new object?[] { log, 3 });
        }

        var sink = new KeepingSink();
        using (var serilog = new Serilog.LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(sink).CreateLogger())
        {
            shipping.GetMethod("Labelled")!.Invoke(null, new object?[] { serilog, 42, "DHL", 'A', true });
        }

        return (provider.Entries, Assert.Single(sink.Events));
    }

    private sealed record Entry(LogLevel Level, string Message, string? Error, IReadOnlyDictionary<string, object?> State);

    private sealed class KeepingProvider : ILoggerProvider
    {
        public List<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new KeepingLogger(Entries);

        public void Dispose()
        {
        }
    }

    private sealed class KeepingLogger : ILogger
    {
        private readonly List<Entry> _entries;

        public KeepingLogger(List<Entry> entries) => _entries = entries;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var pairs = state as IEnumerable<KeyValuePair<string, object?>> ?? Array.Empty<KeyValuePair<string, object?>>();
            _entries.Add(new Entry(logLevel, formatter(state, exception), exception?.Message, pairs.ToDictionary(p => p.Key, p => p.Value)));
        }
    }

    private sealed class KeepingSink : ILogEventSink
    {
        public List<LogEvent> Events { get; } = new();

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
