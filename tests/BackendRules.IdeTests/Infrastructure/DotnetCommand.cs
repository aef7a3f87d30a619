using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace BackendRules.IdeTests.Infrastructure;

/// <summary>The outcome of one <c>dotnet</c> command: what ran, where, how it ended and all it printed.</summary>
public sealed record CommandOutcome(string CommandLine, string Directory, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"> {CommandLine}{Environment.NewLine}  in {Directory}: exit code {ExitCode} after {Elapsed.TotalSeconds:F0} s{Environment.NewLine}{Output}";

    /// <summary>Throws with the whole output unless the command exited with 0.</summary>
    public CommandOutcome EnsureSuccess(string what)
    {
        if (ExitCode != 0)
        {
            throw new XunitException($"{what} failed.{Environment.NewLine}{this}");
        }

        return this;
    }
}

/// <summary>
/// Runs the dotnet CLI as a child process: no build servers or reusable nodes (nothing outlives the command), an
/// English console, and none of the MSBuild variables that <c>dotnet test</c> hands this process, so the child finds
/// its own SDK. A command that runs past its time limit is killed with the processes it started.
/// </summary>
public static class DotnetCommand
{
    private static readonly TimeSpan TimeLimit = TimeSpan.FromMinutes(8);

    public static async Task<CommandOutcome> RunAsync(string directory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetPath())
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(key => key.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["MSBUILDTERMINALLOGGER"] = "off";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var commandLine = "dotnet " + string.Join(" ", arguments.Select(argument => argument.Contains(' ') ? "\"" + argument + "\"" : argument));
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + commandLine);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);

        using var limit = new CancellationTokenSource(TimeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new XunitException($"Killed after {TimeLimit.TotalMinutes:F0} minutes: {commandLine}{Environment.NewLine}{Snapshot(output)}");
        }

        // The pipes close when the last process holding them exits; with node reuse off that is the CLI itself.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        return new CommandOutcome(commandLine, directory, process.ExitCode, Snapshot(output), stopwatch.Elapsed);
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>The CLI that runs this test run (dotnet test names it in DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string DotnetPath()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists) ?? name;
    }
}
