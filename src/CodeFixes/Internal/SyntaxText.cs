using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BackendRules.Internal;

internal static class SyntaxText
{
    /// <summary>The line break the file already uses (its first one), so inserted lines match it.</summary>
    public static string NewLine(SyntaxTree tree, System.Threading.CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken);
        foreach (var line in text.Lines)
        {
            if (line.EndIncludingLineBreak > line.End)
            {
                return text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak));
            }
        }

        return "\n";
    }
}
