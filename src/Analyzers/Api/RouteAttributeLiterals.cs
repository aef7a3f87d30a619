using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace BackendRules.Api;

/// <summary>
/// A syntax-only pre-check shared by the route rules. A controller diagnostic about a route always sits in a string
/// literal of an attribute written in the type's own declarations (segments of constants and other expressions have
/// no location), so a type none of whose attribute string literals passes the rule's test has nothing to report, and
/// never needs the endpoint model, whose answer binds the attributes of every method.
/// </summary>
internal static class RouteAttributeLiterals
{
    /// <summary>
    /// Whether a string literal argument of an attribute on the type, its members or its nested types (which lie inside
    /// the declaration's span) passes the test made for its file; true when a declaration cannot be read as a type.
    /// </summary>
    public static bool Any(INamedTypeSymbol type, Func<SyntaxTree, Func<string, bool>> testFor, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                return true;
            }

            if (Any(declaration, testFor(declaration.SyntaxTree)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Like <see cref="Any(INamedTypeSymbol, Func{SyntaxTree, Func{string, bool}}, CancellationToken)"/>, with the literals
    /// of the type's own attributes (class level, every declaration) and those of its members and nested types tested
    /// apart: <paramref name="memberTestFor"/> is told whether the type has a <c>[Route("...")]</c> of its own.
    /// </summary>
    public static bool Any(INamedTypeSymbol type, Func<string, bool> classTest, Func<bool, Func<string, bool>> memberTestFor, CancellationToken cancellationToken)
    {
        var declarations = new List<TypeDeclarationSyntax>();
        var classLiteral = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration)
            {
                return true;
            }

            declarations.Add(declaration);
            classLiteral |= HasRouteLiteral(declaration.AttributeLists);
            if (Any(declaration.AttributeLists, classTest))
            {
                return true;
            }
        }

        var memberTest = memberTestFor(classLiteral);
        foreach (var declaration in declarations)
        {
            foreach (var member in declaration.Members)
            {
                if (member is TypeDeclarationSyntax nested ? Any(nested, memberTest) : Any(member.AttributeLists, memberTest))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether an attribute named <c>Route</c> (or <c>RouteAttribute</c>, qualified or not) has a string literal argument.</summary>
    private static bool HasRouteLiteral(SyntaxList<AttributeListSyntax> lists)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                var name = attribute.Name switch
                {
                    QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
                    AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    _ => string.Empty,
                };
                if ((name == "Route" || name == "RouteAttribute") && attribute.ArgumentList is { } arguments)
                {
                    foreach (var argument in arguments.Arguments)
                    {
                        if (argument.Expression is LiteralExpressionSyntax { Token.Value: string })
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static bool Any(TypeDeclarationSyntax declaration, Func<string, bool> test)
    {
        if (Any(declaration.AttributeLists, test))
        {
            return true;
        }

        foreach (var member in declaration.Members)
        {
            if (member is TypeDeclarationSyntax nested ? Any(nested, test) : Any(member.AttributeLists, test))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Any(SyntaxList<AttributeListSyntax> lists, Func<string, bool> test)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (attribute.ArgumentList is not { } arguments)
                {
                    continue;
                }

                foreach (var argument in arguments.Arguments)
                {
                    if (argument.Expression is LiteralExpressionSyntax { Token.Value: string text } && test(text))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
