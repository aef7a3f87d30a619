using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace BackendRules.PackageTests.Infrastructure;

/// <summary>What one child process did: its command line, exit code and everything it printed.</summary>
public sealed record CommandResult(string CommandLine, string WorkingDirectory, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration)
{
    public string Output => StandardError.Length == 0 ? StandardOutput : StandardOutput + Environment.NewLine + StandardError;

    public bool Succeeded => ExitCode == 0;

    /// <summary>The whole run, for failure messages and the test log.</summary>
    public string Describe() =>
        $"> {CommandLine}{Environment.NewLine}" +
        $"  (in {WorkingDirectory}; exit code {ExitCode}; {Duration.TotalSeconds:F1} s){Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{StandardError}{Environment.NewLine}--- end ---";

    public CommandResult AssertSucceeded()
    {
        if (!Succeeded)
        {
            throw new XunitException("Expected the command to succeed." + Environment.NewLine + Describe());
        }

        return this;
    }

    public CommandResult AssertFailed()
    {
        if (Succeeded)
        {
            throw new XunitException("Expected the command to fail." + Environment.NewLine + Describe());
        }

        return this;
    }
}

/// <summary>
/// Runs the dotnet CLI as a real child process with a timeout. Every child carries a marker environment variable
/// that its own children inherit, so processes that outlive the command (build servers, MSBuild nodes) can be found
/// afterwards; only processes carrying the marker are ever killed, so nothing this suite did not start is touched.
/// </summary>
public static class DotnetCli
{
    public const string RunMarkerVariable = "BACKENDRULES_PACKAGETESTS_RUN";
    public const string CommandMarkerVariable = "BACKENDRULES_PACKAGETESTS_COMMAND";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan LingerGrace = TimeSpan.FromSeconds(15);

    /// <summary>One id per test run, so the fixture can sweep whatever the whole run may have left behind.</summary>
    public static string RunId { get; } = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "-" + Environment.ProcessId;

    public static string Executable { get; } = FindDotnet();

    public static async Task<CommandResult> RunAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null)
    {
        var commandId = RunId + "-" + Guid.NewGuid().ToString("N");
        var startInfo = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        PrepareEnvironment(startInfo.Environment);
        if (environment is not null)
        {
            foreach (var pair in environment)
            {
                if (pair.Value is null)
                {
                    startInfo.Environment.Remove(pair.Key);
                }
                else
                {
                    startInfo.Environment[pair.Key] = pair.Value;
                }
            }
        }

        startInfo.Environment[RunMarkerVariable] = RunId;
        startInfo.Environment[CommandMarkerVariable] = commandId;

        var commandLine = Executable + " " + string.Join(" ", arguments.Select(Quote));
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start " + commandLine);
        process.StandardInput.Close();

        // Own read tasks rather than the OutputDataReceived events: waiting for the process then does not also wait for
        // a pipe that a lingering grandchild may still hold open.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        var limit = timeout ?? DefaultTimeout;
        using (var cancellation = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited in the meantime.
                }

                process.WaitForExit();
                KillMarked(CommandMarkerVariable, commandId);
                var timedOut = new CommandResult(commandLine, workingDirectory, -1, await Drain(stdout), await Drain(stderr), stopwatch.Elapsed);
                throw new XunitException($"Timed out after {limit.TotalMinutes:F0} min; the process tree was killed." + Environment.NewLine + timedOut.Describe());
            }
        }

        var exitCode = process.ExitCode;
        var duration = stopwatch.Elapsed;

        // Anything still alive with this command's marker was started by this command and outlived it.
        var lingering = WaitForMarkedToExit(CommandMarkerVariable, commandId, LingerGrace);
        if (lingering.Count > 0)
        {
            KillMarked(CommandMarkerVariable, commandId);
        }

        var result = new CommandResult(commandLine, workingDirectory, exitCode, await Drain(stdout), await Drain(stderr), duration);
        if (lingering.Count > 0)
        {
            throw new XunitException(
                $"{lingering.Count} process(es) started by the command were still running {LingerGrace.TotalSeconds:F0} s after it exited (now killed):" + Environment.NewLine +
                string.Join(Environment.NewLine, lingering.Select(p => $"  pid {p.Pid}: {p.CommandLine}")) + Environment.NewLine + result.Describe());
        }

        return result;
    }

    /// <summary>Processes alive now whose environment holds <paramref name="variable"/>=<paramref name="value"/> (Linux only; elsewhere none).</summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> FindMarked(string variable, string value)
    {
        var found = new List<(int, string)>();
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }

        var needle = variable + "=" + value;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllBytes(Path.Combine(directory, "environ"));
                if (environ.Length == 0)
                {
                    continue; // a zombie or a kernel thread
                }

                var entries = Encoding.Latin1.GetString(environ).Split('\0');
                if (Array.IndexOf(entries, needle) < 0)
                {
                    continue;
                }

                var commandLine = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "cmdline"))).Replace('\0', ' ').Trim();
                found.Add((pid, commandLine));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone already, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>Kills the processes that carry the marker; they can only have been started by this suite.</summary>
    public static void KillMarked(string variable, string value)
    {
        foreach (var (pid, _) in FindMarked(variable, value))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited in the meantime.
            }
        }
    }

    private static IReadOnlyList<(int Pid, string CommandLine)> WaitForMarkedToExit(string variable, string value, TimeSpan grace)
    {
        var deadline = DateTime.UtcNow + grace;
        while (true)
        {
            var marked = FindMarked(variable, value);
            if (marked.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return marked;
            }

            Thread.Sleep(250);
        }
    }

    private static async Task<string> Drain(Task<string> read)
    {
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        return finished == read ? await read.ConfigureAwait(false) : "(output not closed 30 s after exit)";
    }

    private static void PrepareEnvironment(IDictionary<string, string?> environment)
    {
        // 'dotnet test' runs this process with MSBuild's own variables (MSBuildExtensionsPath, MSBuildSDKsPath,
        // MSBUILD_EXE_PATH, ...) pointing into the SDK that hosts it; a child CLI must resolve its own.
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(key);
            }
        }

        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        // No long-lived helpers: no MSBuild server, no reusable MSBuild nodes, no compiler server.
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["UseSharedCompilation"] = "false";
        environment["MSBUILDTERMINALLOGGER"] = "off";
        environment["NUGET_XMLDOC_MODE"] = "skip";
    }

    private static string FindDotnet()
    {
        // The CLI that runs 'dotnet test' tells its children where it is; fall back to PATH.
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var executableName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, executableName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return executableName;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '"', '\'' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";
}
