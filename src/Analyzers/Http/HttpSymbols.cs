using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using BackendRules.Internal;

namespace BackendRules.Http;

/// <summary>
/// The types BR0003 looks for, resolved once per compilation by the first callback that needs them.
/// </summary>
internal sealed class HttpSymbols
{
    private HttpSymbols(WellKnownTypes types, INamedTypeSymbol httpClient)
    {
        Compilation = types.Compilation;
        HttpClient = httpClient;
        Handler = types.Get("System.Net.Http.HttpMessageHandler");
        ClientHandler = types.Get("System.Net.Http.HttpClientHandler");
        SocketsHandler = types.Get("System.Net.Http.SocketsHttpHandler");
        DelegatingHandler = types.Get("System.Net.Http.DelegatingHandler");
        FactoryExtensions = types.Get("Microsoft.Extensions.DependencyInjection.HttpClientFactoryServiceCollectionExtensions");
        Builder = types.Get("Microsoft.Extensions.DependencyInjection.IHttpClientBuilder");
        ClientFactory = types.Get("System.Net.Http.IHttpClientFactory");
        ClientFactoryExtensions = types.Get("System.Net.Http.HttpClientFactoryExtensions");
        CancellationToken = types.Get("System.Threading.CancellationToken");
        CancellationTokenSource = types.Get("System.Threading.CancellationTokenSource");
    }

    public static HttpSymbols? Create(Compilation compilation)
    {
        var types = WellKnownTypes.Of(compilation);
        var httpClient = types.Get("System.Net.Http.HttpClient");
        return httpClient is null ? null : new HttpSymbols(types, httpClient);
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol HttpClient { get; }
    public INamedTypeSymbol? Handler { get; }
    public INamedTypeSymbol? ClientHandler { get; }
    public INamedTypeSymbol? SocketsHandler { get; }
    public INamedTypeSymbol? DelegatingHandler { get; }
    public INamedTypeSymbol? FactoryExtensions { get; }
    public INamedTypeSymbol? Builder { get; }
    public INamedTypeSymbol? ClientFactory { get; }
    public INamedTypeSymbol? ClientFactoryExtensions { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? CancellationTokenSource { get; }

    public bool IsHttpClient(ITypeSymbol? type) => WellKnownTypes.IsOrDerivesFrom(type, HttpClient);

    /// <summary>
    /// The semantic model of another tree of this compilation. During analysis the driver's semantic model provider
    /// hands out the model it already caches for that tree, so binding a few calls there repeats no work.
    /// </summary>
    public SemanticModel ModelFor(SyntaxTree tree, IOperation near)
    {
        if (near.SemanticModel is { } model && model.SyntaxTree == tree)
        {
            return model;
        }

#pragma warning disable RS1030 // Needed to read registrations and uses in other files; the driver caches these models.
        return Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
    }
}
