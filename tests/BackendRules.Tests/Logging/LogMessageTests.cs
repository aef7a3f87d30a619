using System.Threading.Tasks;
using Xunit;
using Verify = BackendRules.Tests.Infrastructure.CSharpVerifier<BackendRules.Logging.LogMessageAnalyzer, BackendRules.Logging.LogMessageFixer>;

namespace BackendRules.Tests.Logging;

public sealed class LogMessageTests
{
    private const string Usings = """
        using System;
        using System.Text;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        public sealed record Parcel(int Id, string Carrier, decimal Weight);
        public sealed record Courier(string Name, string Email);

        """;

    private static Task Fix(string body, string fixedBody) => Verify.VerifyCodeFixAsync(Usings + body, Usings + fixedBody);

    private static Task NoFix(string body) => Verify.VerifyCodeFixAsync(Usings + body, Usings + body);

    private static Task None(string body) => Verify.VerifyAnalyzerAsync(Usings + body);

    // ---- Reports and fixes --------------------------------------------------------------------------------------

    [Fact]
    public Task Interpolated_message_becomes_a_template_with_the_values_in_order() => Fix(
        """
        public sealed class Dispatch
        {
            private readonly ILogger<Dispatch> _log;
            public Dispatch(ILogger<Dispatch> log) => _log = log;

            public void Sent(Parcel parcel, Courier courier)
                => _log.LogInformation([|$"Parcel {parcel.Id} handed to {courier.Email}"|]);
        }
        """,
        """
        public sealed class Dispatch
        {
            private readonly ILogger<Dispatch> _log;
            public Dispatch(ILogger<Dispatch> log) => _log = log;

            public void Sent(Parcel parcel, Courier courier)
                => _log.LogInformation("Parcel {ParcelId} handed to {CourierEmail}", parcel.Id, courier.Email);
        }
        """);

    [Fact]
    public Task Exception_keeps_its_place_and_format_alignment_and_braces_survive() => Fix(
        """
        public static class Billing
        {
            public static void Failed(ILogger log, Exception error, decimal total, string code)
                => log.LogError(error, [|$"Charge of {total,10:N2} for {{batch}} {code} failed"|]);
        }
        """,
        """
        public static class Billing
        {
            public static void Failed(ILogger log, Exception error, decimal total, string code)
                => log.LogError(error, "Charge of {Total,10:N2} for {{batch}} {Code} failed", total, code);
        }
        """);

    [Fact]
    public Task Duplicate_names_are_made_distinct_and_calls_name_their_value() => Fix(
        """
        public static class Sync
        {
            private static string GetRegion() => "eu";

            public static void Moved(ILogger log, Parcel from, Parcel to)
                => log.LogWarning([|$"Moved {from.Id} to {to.Id} in {GetRegion()} ({to.Carrier.ToString()})"|]);
        }
        """,
        """
        public static class Sync
        {
            private static string GetRegion() => "eu";

            public static void Moved(ILogger log, Parcel from, Parcel to)
                => log.LogWarning("Moved {FromId} to {ToId} in {Region} ({ToCarrier})", from.Id, to.Id, GetRegion(), to.Carrier.ToString());
        }
        """);

    [Fact]
    public Task One_letter_receivers_are_left_out_of_names() => Fix(
        """
        public static class Sweep
        {
            public static void Run(ILogger log, Parcel[] parcels)
            {
                foreach (var p in parcels)
                {
                    log.LogDebug([|$"Parcel {p.Id} weighs {p.Weight}"|]);
                }
            }
        }
        """,
        """
        public static class Sweep
        {
            public static void Run(ILogger log, Parcel[] parcels)
            {
                foreach (var p in parcels)
                {
                    log.LogDebug("Parcel {Id} weighs {Weight}", p.Id, p.Weight);
                }
            }
        }
        """);

    [Fact]
    public Task Concatenation_becomes_a_template() => Fix(
        """
        public static class Imports
        {
            public static void Done(ILogger log, int rows, TimeSpan took)
            {
                log.LogDebug([|"Imported " + rows + " rows in " + took.TotalMilliseconds + " ms"|]);
            }
        }
        """,
        """
        public static class Imports
        {
            public static void Done(ILogger log, int rows, TimeSpan took)
            {
                log.LogDebug("Imported {Rows} rows in {TookTotalMilliseconds} ms", rows, took.TotalMilliseconds);
            }
        }
        """);

    [Fact]
    public Task Numeric_addition_inside_a_concatenation_stays_one_value() => Fix(
        """
        public static class Counter
        {
            public static void Total(ILogger log, int a, int b)
                => log.LogInformation([|"Sum: " + (a + b)|]);
        }
        """,
        """
        public static class Counter
        {
            public static void Total(ILogger log, int a, int b)
                => log.LogInformation("Sum: {Value}", a + b);
        }
        """);

    [Fact]
    public Task String_format_with_values_in_order_becomes_a_template() => Fix(
        """
        public static class Quotas
        {
            public static void Exceeded(ILogger log, string tenant, int used)
                => log.Log(LogLevel.Warning, [|string.Format("Tenant {0} used {1:N0} of its quota", tenant, used)|]);
        }
        """,
        """
        public static class Quotas
        {
            public static void Exceeded(ILogger log, string tenant, int used)
                => log.Log(LogLevel.Warning, "Tenant {Tenant} used {Used:N0} of its quota", tenant, used);
        }
        """);

    [Fact]
    public Task Scopes_and_event_ids_are_covered() => Fix(
        """
        public static class Jobs
        {
            public static IDisposable? Run(ILogger log, Guid jobId, string name)
            {
                log.LogInformation(new EventId(7), [|$"Starting {name}"|]);
                return log.BeginScope([|$"Job {jobId}"|]);
            }
        }
        """,
        """
        public static class Jobs
        {
            public static IDisposable? Run(ILogger log, Guid jobId, string name)
            {
                log.LogInformation(new EventId(7), "Starting {Name}", name);
                return log.BeginScope("Job {JobId}", jobId);
            }
        }
        """);

    [Fact]
    public Task Serilog_calls_are_fixed_and_string_values_render_without_quotes() => Fix(
        """
        public static class Shipping
        {
            public static void Label(Serilog.ILogger log, Parcel parcel)
            {
                log.Information([|$"Label for {parcel.Id} via {parcel.Carrier}"|]);
                Serilog.Log.ForContext("Area", "labels").Warning([|"Weight " + parcel.Weight + " over limit"|]);
                log.Write(Serilog.Events.LogEventLevel.Debug, [|$"Parcel {parcel.Id} weighed"|]);
            }
        }
        """,
        """
        public static class Shipping
        {
            public static void Label(Serilog.ILogger log, Parcel parcel)
            {
                log.Information("Label for {ParcelId} via {ParcelCarrier:l}", parcel.Id, parcel.Carrier);
                Serilog.Log.ForContext("Area", "labels").Warning("Weight {ParcelWeight} over limit", parcel.Weight);
                log.Write(Serilog.Events.LogEventLevel.Debug, "Parcel {ParcelId} weighed", parcel.Id);
            }
        }
        """);

    // ---- Reports without a fix ----------------------------------------------------------------------------------

    [Fact]
    public Task StringBuilder_text_and_locals_are_reported_without_a_fix() => NoFix(
        """
        public static class Report
        {
            public static void Write(ILogger log, string[] names, int count)
            {
                var text = new StringBuilder();
                foreach (var name in names) text.Append(name).Append(',');
                log.LogInformation([|text.ToString()|]);

                var message = $"Processed {count} names";
                log.LogInformation([|message|]);
            }
        }
        """);

    [Fact]
    public Task Format_strings_that_cannot_be_mapped_are_reported_without_a_fix() => NoFix(
        """
        public static class Audit
        {
            public static void Changes(ILogger log, string format, string who, int n)
            {
                log.LogInformation([|string.Format(format, who)|]);
                log.LogInformation([|string.Format("{1} changed by {0}", who, n)|]);
                log.LogInformation([|string.Format("{0} and {0} again", who)|]);
            }
        }
        """);

    [Fact]
    public Task Named_arguments_and_span_values_decline() => NoFix(
        """
        public static class Parser
        {
            public static void Read(ILogger log, string line, int at)
            {
                log.LogWarning(message: [|$"Bad line at {at}"|]);
                ReadOnlySpan<char> head = line.AsSpan(0, 1);
                log.LogWarning([|$"Bad head {head} at {at}"|]);
            }
        }
        """);

    // ---- Never reports ------------------------------------------------------------------------------------------

    [Fact]
    public Task Templates_constants_and_values_from_elsewhere_are_not_reported() => None(
        """
        public static class Quiet
        {
            private const string Area = "billing";

            public static void Run(ILogger log, Serilog.ILogger slog, string message, Exception error, int id)
            {
                log.LogInformation("Order {OrderId} shipped", id);
                log.LogInformation("Started");
                log.LogInformation($"{nameof(Quiet)} started in {Area}");
                log.LogInformation("Area " + Area + " ready");
                log.LogInformation(message);
                log.LogError(error, error.Message);
                log.LogInformation("Line one" + Environment.NewLine + "line two");
                slog.Information("Order {OrderId} shipped", id);
                slog.Information("Ready");
            }
        }
        """);

    [Fact]
    public Task A_call_that_already_passes_values_is_not_reported() => None(
        """
        public static class Mixed
        {
            public static void Run(ILogger log, Serilog.ILogger slog, string area, int id)
            {
                log.LogInformation($"[{area}] Order {{OrderId}} shipped", id);
                slog.Information("[" + area + "] Order {OrderId} shipped", id);
            }
        }
        """);

    [Fact]
    public Task Other_types_methods_named_like_log_calls_are_not_reported() => None(
        """
        public sealed class Journal
        {
            public void Log(string text) { }
            public void LogInformation(string text) { }
            public void Information(string text) { }
            public void Debug(string text) { }
        }

        public static class Caller
        {
            public static void Run(Journal journal, int id)
            {
                journal.Log($"Order {id}");
                journal.LogInformation($"Order {id}");
                journal.Information("Order " + id);
                journal.Debug(string.Format("Order {0}", id));
                System.Diagnostics.Debug.WriteLine($"Order {id}");
            }
        }
        """);

    [Fact]
    public Task Reassigned_locals_and_conditional_messages_are_not_reported() => None(
        """
        public static class Branches
        {
            public static void Run(ILogger log, bool ok, int id)
            {
                var text = "none";
                if (ok) text = $"Order {id}";
                log.LogInformation(text);
                log.LogInformation(ok ? "fine" : "broken");
            }
        }
        """);

    [Fact]
    public Task The_message_names_the_method_and_the_shape()
        => Verify.VerifyAnalyzerAsync(
            Usings + """
            public static class Named
            {
                public static void Run(ILogger log, int id) => log.LogCritical({|#0:"Lost " + id|});
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("LogCritical", "string concatenation"));
}
