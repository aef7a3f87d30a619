using System.Linq;
using BackendRules.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace BackendRules.Tests.Internal;

/// <summary>
/// What a compilation references is read from its reference list; another compilation object with the very same list
/// (a second object of the same project, the IDE's next compilation) reuses the answer, and any change to the list is
/// read again.
/// </summary>
public sealed class ReferencesTests
{
    private static readonly MetadataReference Runtime = MetadataReference.CreateFromFile(typeof(object).Assembly.Location);
    private static readonly MetadataReference Linq = MetadataReference.CreateFromFile(typeof(Enumerable).Assembly.Location);
    private static readonly MetadataReference Roslyn = MetadataReference.CreateFromFile(typeof(Compilation).Assembly.Location);

    private static string NameOf(MetadataReference reference) => System.IO.Path.GetFileNameWithoutExtension(((PortableExecutableReference)reference).FilePath!);

    [Fact]
    public void Compilations_with_the_same_list_answer_alike_and_a_changed_list_is_read_again()
    {
        var first = CSharpCompilation.Create("Shop", references: new[] { Runtime, Linq });
        var twin = first.WithOptions(first.Options.WithConcurrentBuild(false));
        Assert.NotSame(first, twin);

        Assert.True(References.Contains(first, NameOf(Linq)));
        Assert.True(References.Contains(twin, NameOf(Linq)));
        Assert.False(References.Contains(twin, NameOf(Roslyn)));

        // Same first reference, one more after it: the new list is read, not the twin's answer.
        var grown = twin.AddReferences(Roslyn);
        Assert.True(References.Contains(grown, NameOf(Roslyn)));

        // Same first reference and length, another reference in second place.
        var swapped = CSharpCompilation.Create("Shop", references: new[] { Runtime, Roslyn });
        Assert.True(References.Contains(swapped, NameOf(Roslyn)));
        Assert.False(References.Contains(swapped, NameOf(Linq)));

        // The first list's answer is unchanged by the others.
        Assert.True(References.Contains(first, NameOf(Linq)));
        Assert.False(References.Contains(first, NameOf(Roslyn)));
    }
}
