using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using BackendRules.Internal;

namespace BackendRules.Sql;

internal enum SqlPieceKind
{
    /// <summary>Text from a string literal (or interpolated-string text) written in the source.</summary>
    Literal,

    /// <summary>A compile-time constant that is not a literal here (const field, nameof, constant expression).</summary>
    Constant,

    /// <summary>A value not known at compile time.</summary>
    Hole,
}

/// <summary>One piece of SQL text and where it came from.</summary>
internal readonly struct SqlPiece
{
    public SqlPiece(SqlPieceKind kind, int start, int length, SyntaxToken token, IOperation? operation)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Token = token;
        Operation = operation;
    }

    public SqlPieceKind Kind { get; }
    public int Start { get; }
    public int Length { get; }
    public int End => Start + Length;

    /// <summary>For <see cref="SqlPieceKind.Literal"/>: the string token the text was written in.</summary>
    public SyntaxToken Token { get; }

    /// <summary>For holes and constants: the operation that produces the value.</summary>
    public IOperation? Operation { get; }
}

/// <summary>
/// The SQL text an expression produces, as far as it is known at compile time: literals, constants, and holes
/// (written into <see cref="Text"/> as <see cref="HoleMarker"/>) for values that are not. Locals are followed
/// when they are assigned once, in their declaration, inside the same body.
/// </summary>
internal sealed class SqlText
{
    public const char HoleMarker = '\u0001';
    private const int MaxDepth = 32;

    private SqlText(string text, ImmutableArray<SqlPiece> pieces)
    {
        Text = text;
        Pieces = pieces;
    }

    public string Text { get; }
    public ImmutableArray<SqlPiece> Pieces { get; }

    private ImmutableArray<SqlToken> _tokens;

    /// <summary>The lexed <see cref="Text"/>, lexed once for every rule that reads it.</summary>
    public ImmutableArray<SqlToken> Tokens
    {
        get
        {
            var tokens = _tokens;
            if (tokens.IsDefault)
            {
                // A race lexes twice and keeps either result: both are the same tokens.
                tokens = SqlLexer.Lex(Text);
                _tokens = tokens;
            }

            return tokens;
        }
    }

    public bool HasHoles
    {
        get
        {
            foreach (var piece in Pieces)
            {
                if (piece.Kind == SqlPieceKind.Hole)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <param name="value">The expression that produces the SQL.</param>
    /// <param name="followLocals">Expand locals assigned once; off when the pieces must be expressions written at the site.</param>
    public static SqlText Build(IOperation value, bool followLocals = true)
        => followLocals ? Built.GetValue(value, BuildFollowingLocals) : BuildCore(value, followLocals: false);

    // The driver hands every rule the same operation tree of a body, so the text of a sink is built (and lexed, see
    // Tokens) once for BR0001, BR0002 and BR0015 together. Weak: an entry lives as long as its operation tree.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOperation, SqlText> Built = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOperation, SqlText>.CreateValueCallback BuildFollowingLocals =
        value => BuildCore(value, followLocals: true);

    private static SqlText BuildCore(IOperation value, bool followLocals)
    {
        var builder = new Builder(followLocals);
        builder.Add(value, 0);
        return new SqlText(builder.Text.ToString(), builder.Pieces.ToImmutable());
    }

    /// <summary>
    /// Whether the text <see cref="Build"/> would produce may contain <paramref name="c"/>: the same walk, without
    /// assembling text or pieces. Never false when the built text would hold it (a rule can skip the build).
    /// </summary>
    public static bool MayContain(IOperation value, char c) => MayContainAny(value, new[] { c });

    /// <summary>
    /// Whether the text <see cref="Build"/> would produce may contain any of <paramref name="chars"/>: one walk for all
    /// of them. When another rule has built the text already, the built text answers.
    /// </summary>
    public static bool MayContainAny(IOperation value, char[] chars)
        => Built.TryGetValue(value, out var built) ? built.Text.IndexOfAny(chars) >= 0 : MayContain(value, chars, 0);

    private static bool MayContain(IOperation? operation, char[] chars, int depth)
    {
        if (operation is null || depth > MaxDepth)
        {
            return false;
        }

        operation = Operations.Unwrap(operation);

        // A concatenation is read part by part even when it is constant: its folded value is assembled anew on each read.
        if (operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation && concatenation.Type?.SpecialType == SpecialType.System_String)
        {
            return MayContain(concatenation.LeftOperand, chars, depth + 1) || MayContain(concatenation.RightOperand, chars, depth + 1);
        }

        // A constant (literal, constant interpolation, const field or local) builds to its own text.
        if (operation.ConstantValue.HasValue)
        {
            return FormatConstant(operation.ConstantValue.Value).IndexOfAny(chars) >= 0;
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    var found = part switch
                    {
                        IInterpolatedStringTextOperation text => (text.Text.ConstantValue.Value as string ?? string.Empty).IndexOfAny(chars) >= 0,
                        IInterpolationOperation { Alignment: null, FormatString: null } interpolation => MayContainValue(interpolation.Expression, chars, depth),
                        IInterpolatedStringAppendOperation { Syntax: InterpolatedStringTextSyntax text } => text.TextToken.ValueText.IndexOfAny(chars) >= 0,
                        IInterpolatedStringAppendOperation { AppendCall: IInvocationOperation { Arguments.Length: > 0 } call } => MayContainValue(call.Arguments[0].Value, chars, depth),
                        _ => false,
                    };

                    if (found)
                    {
                        return true;
                    }
                }

                return false;

            case IInterpolatedStringHandlerCreationOperation handler:
                return MayContain(handler.Content, chars, depth + 1);

            case ILocalReferenceOperation local when TryGetSingleInitializer(local, out var initializer):
                return MayContain(initializer, chars, depth + 1);

            case IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, IsStatic: true, Name: "Concat" or "Format" } } call
                when TryGetStringArguments(call, out var arguments):
                // Concat's parts are built as they are; Format's as interpolated values, its (constant) pattern as text.
                var format = call.TargetMethod.Name == "Format";
                foreach (var argument in arguments)
                {
                    if (format ? MayContainValue(argument, chars, depth) : MayContain(argument, chars, depth + 1))
                    {
                        return true;
                    }
                }

                return false;

            default:
                return false;
        }
    }

    private static bool MayContainValue(IOperation value, char[] chars, int depth)
    {
        var unwrapped = Operations.Unwrap(value);
        return unwrapped.ConstantValue.HasValue
            ? FormatConstant(unwrapped.ConstantValue.Value).IndexOfAny(chars) >= 0
            : unwrapped.Type?.SpecialType == SpecialType.System_String && MayContain(unwrapped, chars, depth + 1);
    }

    public SqlPiece? PieceAt(int offset)
    {
        foreach (var piece in Pieces)
        {
            if (offset >= piece.Start && offset < piece.End)
            {
                return piece;
            }
        }

        return null;
    }

    /// <summary>
    /// The source span of the character at <paramref name="offset"/> when it sits in a literal piece and can be
    /// located unambiguously (escape sequences that produce the same character make it ambiguous).
    /// </summary>
    public bool TryMapToSource(int offset, out TextSpan span)
    {
        span = default;
        if (PieceAt(offset) is not { Kind: SqlPieceKind.Literal } piece)
        {
            return false;
        }

        var c = Text[offset];
        var occurrence = Count(Text, piece.Start, offset, c);
        var total = Count(Text, piece.Start, piece.End, c);
        var tokenText = piece.Token.Text;
        GetContentBounds(piece.Token, out var contentStart, out var contentEnd);
        if (contentEnd > tokenText.Length || contentStart > contentEnd || Count(tokenText, contentStart, contentEnd, c) != total)
        {
            return false;
        }

        for (var i = contentStart; i < contentEnd; i++)
        {
            if (tokenText[i] == c && occurrence-- == 0)
            {
                span = new TextSpan(piece.Token.SpanStart + i, 1);
                return true;
            }
        }

        return false;
    }

    private static int Count(string s, int start, int end, char c)
    {
        var count = 0;
        for (var i = start; i < end; i++)
        {
            if (s[i] == c)
            {
                count++;
            }
        }

        return count;
    }

    private static void GetContentBounds(SyntaxToken token, out int start, out int end)
    {
        var text = token.Text;
        start = 0;
        end = text.Length;
        if (token.IsKind(SyntaxKind.InterpolatedStringTextToken))
        {
            return;
        }

        while (start < end && (text[start] == '@' || text[start] == '"'))
        {
            start++;
        }

        // Trailing quotes, then a utf-8 suffix if any.
        if (end >= 2 && text.EndsWith("u8", System.StringComparison.OrdinalIgnoreCase))
        {
            end -= 2;
        }

        while (end > start && text[end - 1] == '"')
        {
            end--;
        }
    }

    private sealed class Builder
    {
        private readonly bool _followLocals;

        public Builder(bool followLocals) => _followLocals = followLocals;

        public readonly StringBuilder Text = new();
        public readonly ImmutableArray<SqlPiece>.Builder Pieces = ImmutableArray.CreateBuilder<SqlPiece>();

        public void Add(IOperation? operation, int depth)
        {
            if (operation is null)
            {
                return;
            }

            operation = Operations.Unwrap(operation);
            if (depth > MaxDepth)
            {
                AddHole(operation);
                return;
            }

            switch (operation)
            {
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } literal
                    when literal.Syntax is LiteralExpressionSyntax literalSyntax:
                    AddText(SqlPieceKind.Literal, text, literalSyntax.Token, null);
                    return;

                case IInterpolatedStringOperation interpolated:
                    foreach (var part in interpolated.Parts)
                    {
                        AddInterpolationPart(part, depth);
                    }

                    return;

                case IInterpolatedStringHandlerCreationOperation handler:
                    Add(handler.Content, depth + 1);
                    return;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } binary
                    when binary.Type?.SpecialType == SpecialType.System_String:
                    Add(binary.LeftOperand, depth + 1);
                    Add(binary.RightOperand, depth + 1);
                    return;

                case ILocalReferenceOperation localReference when _followLocals && TryGetSingleInitializer(localReference, out var initializer):
                    Add(initializer, depth + 1);
                    return;

                case IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, IsStatic: true, Name: "Concat" } } concat
                    when !operation.ConstantValue.HasValue && TryGetStringArguments(concat, out var parts):
                    foreach (var part in parts)
                    {
                        Add(part, depth + 1);
                    }

                    return;

                case IInvocationOperation { TargetMethod: { ContainingType.SpecialType: SpecialType.System_String, IsStatic: true, Name: "Format" } } format
                    when TryAddFormat(format, depth):
                    return;
            }

            if (operation.ConstantValue.HasValue)
            {
                AddText(SqlPieceKind.Constant, FormatConstant(operation.ConstantValue.Value), default, operation);
                return;
            }

            AddHole(operation);
        }

        /// <summary>string.Format with a constant format and no provider: literal text and the arguments it names.</summary>
        private bool TryAddFormat(IInvocationOperation format, int depth)
        {
            // string.Format(provider, format, ...) formats the same pieces; the provider only shapes numbers and dates.
            var first = format.Arguments.Length > 0 && format.Arguments[0].Parameter?.Type.Name == "IFormatProvider" ? 1 : 0;
            if (format.Arguments.Length < first + 1 || format.Arguments[first].Parameter?.Type.SpecialType != SpecialType.System_String
                || format.Arguments[first].Value.ConstantValue.Value is not string pattern
                || !TryGetStringArguments(format, out var all))
            {
                return false;
            }

            var formatArgument = format.Arguments[first];
            var arguments = all.RemoveAt(0);
            var segments = ImmutableArray.CreateBuilder<(string? Text, int Index, bool Plain)>();
            var text = new StringBuilder();
            for (var i = 0; i < pattern.Length; i++)
            {
                var c = pattern[i];
                if ((c == '{' || c == '}') && i + 1 < pattern.Length && pattern[i + 1] == c)
                {
                    text.Append(c);
                    i++;
                    continue;
                }

                if (c == '}')
                {
                    return false;
                }

                if (c != '{')
                {
                    text.Append(c);
                    continue;
                }

                var close = pattern.IndexOf('}', i);
                if (close < 0)
                {
                    return false;
                }

                var spec = pattern.Substring(i + 1, close - i - 1);
                var end = 0;
                while (end < spec.Length && char.IsDigit(spec[end]))
                {
                    end++;
                }

                if (end == 0 || !int.TryParse(spec.Substring(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= arguments.Length)
                {
                    return false;
                }

                if (text.Length > 0)
                {
                    segments.Add((text.ToString(), -1, true));
                    text.Clear();
                }

                segments.Add((null, index, end == spec.Length));
                i = close;
            }

            if (text.Length > 0)
            {
                segments.Add((text.ToString(), -1, true));
            }

            foreach (var (segmentText, index, plain) in segments)
            {
                if (segmentText is not null)
                {
                    AddText(SqlPieceKind.Constant, segmentText, default, formatArgument.Value);
                }
                else if (plain)
                {
                    AddInterpolatedValue(arguments[index], depth);
                }
                else
                {
                    AddHole(arguments[index]);
                }
            }

            return true;
        }

        private void AddInterpolationPart(IOperation part, int depth)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation text when text.Syntax is InterpolatedStringTextSyntax textSyntax:
                    AddText(SqlPieceKind.Literal, text.Text.ConstantValue.Value as string ?? string.Empty, textSyntax.TextToken, null);
                    return;

                case IInterpolationOperation { Alignment: null, FormatString: null } interpolation:
                    AddInterpolatedValue(interpolation.Expression, depth);
                    return;

                case IInterpolatedStringAppendOperation append when append.Syntax is InterpolatedStringTextSyntax appendText:
                    AddText(SqlPieceKind.Literal, appendText.TextToken.ValueText, appendText.TextToken, null);
                    return;

                case IInterpolatedStringAppendOperation append
                    when append.Syntax is InterpolationSyntax { AlignmentClause: null, FormatClause: null } interpolationSyntax
                         && append.AppendCall is IInvocationOperation { Arguments.Length: > 0 } call:
                    AddInterpolatedValue(call.Arguments[0].Value, depth);
                    return;

                default:
                    AddHole(part);
                    return;
            }
        }

        private void AddInterpolatedValue(IOperation value, int depth)
        {
            var unwrapped = Operations.Unwrap(value);
            if (unwrapped.ConstantValue.HasValue)
            {
                AddText(SqlPieceKind.Constant, FormatConstant(unwrapped.ConstantValue.Value), default, unwrapped);
            }
            else if (unwrapped.Type?.SpecialType == SpecialType.System_String)
            {
                Add(unwrapped, depth + 1);
            }
            else
            {
                AddHole(unwrapped);
            }
        }

        private void AddText(SqlPieceKind kind, string text, SyntaxToken token, IOperation? operation)
        {
            Pieces.Add(new SqlPiece(kind, Text.Length, text.Length, token, operation));
            Text.Append(text);
        }

        private void AddHole(IOperation operation)
        {
            Pieces.Add(new SqlPiece(SqlPieceKind.Hole, Text.Length, 1, default, operation));
            Text.Append(HoleMarker);
        }
    }

    /// <summary>The arguments of a string.Concat/Format call, with a params array flattened; false when one is not visible.</summary>
    public static bool TryGetStringArguments(IInvocationOperation invocation, out ImmutableArray<IOperation> values)
    {
        var builder = ImmutableArray.CreateBuilder<IOperation>();
        values = default;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                if (argument.Value is not IArrayCreationOperation { Initializer: { } initializer })
                {
                    return false;
                }

                builder.AddRange(initializer.ElementValues);
            }
            else if (argument.Value.Type is IArrayTypeSymbol || argument.Parameter?.Type.SpecialType == SpecialType.System_Object && argument.Parameter.Name == "provider")
            {
                return false;
            }
            else if (argument.ArgumentKind == ArgumentKind.Explicit)
            {
                if (argument.Parameter?.Type is INamedTypeSymbol { Name: "IFormatProvider" })
                {
                    continue;
                }

                if (argument.Parameter?.Type is INamedTypeSymbol { Name: "ReadOnlySpan" } or INamedTypeSymbol { Name: "CompositeFormat" })
                {
                    return false;
                }

                builder.Add(argument.Value);
            }
        }

        values = builder.ToImmutable();
        return true;
    }

    private static string FormatConstant(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        System.IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// The initializer of a non-const local that is never written after its declaration in the same body.
    /// </summary>
    /// <summary>The value a local is declared with, when nothing writes it afterwards (not even inside a wider target).</summary>
    public static bool TryGetSingleInitializer(ILocalReferenceOperation reference, out IOperation initializer)
    {
        initializer = null!;
        var local = reference.Local;
        if (local.IsRef)
        {
            return false;
        }

        var facts = LocalWrites.For(local, reference);
        if (facts.WrittenDirectly || facts.WrittenWithin || facts.Initializer is not { } found)
        {
            return false;
        }

        initializer = found;
        return true;
    }
}
