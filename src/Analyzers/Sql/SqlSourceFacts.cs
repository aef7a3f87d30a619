using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using BackendRules.Internal;

namespace BackendRules.Sql;

/// <summary>
/// What the code of this compilation fixes about a value that reaches SQL text, judged once per symbol and kept for
/// the compilation: members set only at construction (configuration, not input), helpers that return only text
/// written in the code, parameters every caller passes a constant, and SQL or names EF Core generates itself. These
/// are read from the declarations' syntax (no semantic model of other files); whatever that cannot settle counts
/// as input.
/// </summary>
internal sealed class SqlSourceFacts
{
    private const int MaxDepth = 12;

    private readonly Compilation? _compilation;
    private readonly ConcurrentDictionary<ISymbol, bool> _members = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _methods = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _parameters = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _historyRepository;
    private readonly INamedTypeSymbol? _migrator;
    private readonly INamedTypeSymbol? _sqlGenerationHelper;

    /// <param name="compilation">The compilation; null only for an operation without a semantic model (then no call is seen).</param>
    public SqlSourceFacts(Compilation? compilation)
    {
        _compilation = compilation;
        if (compilation is not null)
        {
            var types = WellKnownTypes.Of(compilation);
            _historyRepository = types.Get("Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository");
            _migrator = types.Get("Microsoft.EntityFrameworkCore.Migrations.IMigrator");
            _sqlGenerationHelper = types.Get("Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper");
        }
    }

    // ---- EF Core's own SQL and names ----------------------------------------------------------------

    /// <summary>
    /// SQL EF Core writes itself (history-table and migration scripts), identifiers it quotes
    /// (<c>ISqlGenerationHelper.DelimitIdentifier</c>), and table, schema and column names of its model.
    /// </summary>
    public bool IsEfCoreGenerated(IOperation value)
    {
        switch (value)
        {
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
                if (method.ReturnType.SpecialType != SpecialType.System_String || method.ContainingType is not { } type)
                {
                    return false;
                }

                if (WellKnownTypes.Implements(type, _historyRepository) || WellKnownTypes.Implements(type, _migrator)
                    || WellKnownTypes.Implements(type, _sqlGenerationHelper))
                {
                    return true;
                }

                // entityType.GetTableName(), property.GetColumnName(): EF Core's extensions over its model.
                if (method.IsExtensionMethod && !method.Parameters.IsEmpty && IsInMetadata(method)
                    && IsEntityFrameworkCore(type.ContainingNamespace) && IsModelType(method.Parameters[0].Type))
                {
                    return true;
                }

                return !method.IsStatic && IsInMetadata(method) && IsModelType(type);

            case IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_String } property }:
                // table.Name, column.Name, table.Schema of the relational model.
                return IsInMetadata(property) && property.ContainingType is { } owner && IsModelType(owner);

            default:
                return false;
        }
    }

    private static bool IsInMetadata(ISymbol symbol) => symbol.DeclaringSyntaxReferences.IsEmpty;

    private static bool IsModelType(ITypeSymbol type)
        => type.ContainingNamespace is { Name: "Metadata" } ns && IsEntityFrameworkCore(ns.ContainingNamespace);

    /// <summary>Microsoft.EntityFrameworkCore itself.</summary>
    private static bool IsEntityFrameworkCore(INamespaceSymbol? ns)
        => ns is { Name: "EntityFrameworkCore", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } };

    // ---- Members fixed at construction ---------------------------------------------------------------

    /// <summary>
    /// A field or property whose value is fixed when the object (or type) is constructed: a const; a readonly field,
    /// a get-only or private-set auto-property written only by initializers and constructors, from text written in
    /// the code, constructor parameters, <c>typeof(T).Name</c> or <c>nameof</c>; or a non-virtual computed property
    /// that returns only such values.
    /// </summary>
    public bool IsFixedMember(ISymbol member) => IsFixedMember(member, new Guard());

    /// <summary>A non-virtual method or local function of this compilation whose every return is text written in the code.</summary>
    public bool ReturnsFixedText(IMethodSymbol method) => ReturnsFixedText(method, new Guard());

    private bool IsFixedMember(ISymbol member, Guard guard)
    {
        member = member.OriginalDefinition;
        if (member is IFieldSymbol { IsConst: true })
        {
            return true;
        }

        if (_members.TryGetValue(member, out var known))
        {
            return known;
        }

        if (!guard.Enter(member))
        {
            return false;
        }

        var result = member switch
        {
            IFieldSymbol field => IsFixedField(field, guard),
            IPropertySymbol property => IsFixedProperty(property, guard),
            _ => false,
        };
        guard.Exit(member);
        if (!guard.Cycle)
        {
            _members.TryAdd(member, result);
        }

        return result;
    }

    private bool IsFixedField(IFieldSymbol field, Guard guard)
    {
        if (!field.IsReadOnly || field.IsImplicitlyDeclared || field.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
                && !IsFixedText(initializer, InitializerScope(field.ContainingType, declarator), guard, 0))
            {
                return false;
            }
        }

        // Constructors, and init accessors of the type, can write a readonly field: every member is read.
        return WritesAreFixed(field, field.Name, field.IsStatic, onlyConstructorsCanWrite: false, guard);
    }

    private bool IsFixedProperty(IPropertySymbol property, Guard guard)
    {
        if (property.IsIndexer || property.IsAbstract || property.IsVirtual || property.GetMethod is null
            || (property.IsOverride && !property.IsSealed && !property.ContainingType.IsSealed)
            || property.DeclaringSyntaxReferences.Length != 1
            || property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax declaration)
        {
            return false;
        }

        var isAuto = declaration.ExpressionBody is null && declaration.AccessorList is { } accessors
            && System.Linq.Enumerable.All(accessors.Accessors, a => a.Body is null && a.ExpressionBody is null);
        if (!isAuto)
        {
            // A computed property: what its getter returns decides.
            return property.GetMethod is { } getter && ReturnsFixedText(getter, guard);
        }

        var setter = property.SetMethod;
        if (setter is not null && (setter.IsInitOnly || setter.DeclaredAccessibility != Accessibility.Private))
        {
            return false;
        }

        if (declaration.Initializer is { Value: { } initializer } && !IsFixedText(initializer, InitializerScope(property.ContainingType, declaration), guard, 0))
        {
            return false;
        }

        return WritesAreFixed(property, property.Name, property.IsStatic, onlyConstructorsCanWrite: setter is null, guard);
    }

    /// <summary>
    /// Every write to the member in its type's declarations is in one of the type's constructors (not in a lambda
    /// there) and writes fixed text. <paramref name="onlyConstructorsCanWrite"/>: the language already keeps other
    /// members from writing it, so only constructors are read.
    /// </summary>
    private bool WritesAreFixed(ISymbol member, string name, bool isStatic, bool onlyConstructorsCanWrite, Guard guard)
    {
        var type = member.ContainingType;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
            {
                return false;
            }

            IEnumerable<SyntaxNode> scope = onlyConstructorsCanWrite
                ? System.Linq.Enumerable.OfType<ConstructorDeclarationSyntax>(declaration.Members)
                : new SyntaxNode[] { declaration };
            foreach (var root in scope)
            {
                foreach (var node in root.DescendantNodes())
                {
                    switch (node)
                    {
                        case AssignmentExpressionSyntax assignment when Targets(assignment.Left, name):
                            if (ConstructorOf(assignment, declaration, isStatic) is not { } constructor
                                || !IsFixedText(assignment.Right, ConstructorScope(type, constructor), guard, 0))
                            {
                                return false;
                            }

                            break;
                        case AssignmentExpressionSyntax { Left: TupleExpressionSyntax tuple } when System.Linq.Enumerable.Any(tuple.Arguments, a => Targets(a.Expression, name)):
                        case ArgumentSyntax argument when !argument.RefKindKeyword.IsKind(SyntaxKind.None) && Targets(argument.Expression, name):
                        case PrefixUnaryExpressionSyntax prefix when Targets(prefix.Operand, name):
                        case PostfixUnaryExpressionSyntax postfix when Targets(postfix.Operand, name):
                            return false;
                    }
                }
            }
        }

        return true;
    }

    private static bool Targets(ExpressionSyntax target, string name) => target switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == name,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText == name,
        ParenthesizedExpressionSyntax parenthesized => Targets(parenthesized.Expression, name),
        _ => false,
    };

    /// <summary>The constructor of <paramref name="type"/> the node is written in, directly (not in a lambda or local function).</summary>
    private static ConstructorDeclarationSyntax? ConstructorOf(SyntaxNode node, TypeDeclarationSyntax type, bool isStatic)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                case BaseTypeDeclarationSyntax:
                    return null;
                case ConstructorDeclarationSyntax constructor:
                    return constructor.Parent == type && constructor.Modifiers.Any(SyntaxKind.StaticKeyword) == isStatic ? constructor : null;
                case MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    // ---- Helpers that return fixed text --------------------------------------------------------------

    private bool ReturnsFixedText(IMethodSymbol method, Guard guard)
    {
        method = method.OriginalDefinition;
        if (_methods.TryGetValue(method, out var known))
        {
            return known;
        }

        if (!guard.Enter(method))
        {
            return false;
        }

        var result = ComputeReturnsFixedText(method, guard);
        guard.Exit(method);
        if (!guard.Cycle)
        {
            _methods.TryAdd(method, result);
        }

        return result;
    }

    private bool ComputeReturnsFixedText(IMethodSymbol method, Guard guard)
    {
        if (method.IsAbstract || method.IsVirtual || method.IsExtern || method.IsAsync
            || (method.IsOverride && !method.IsSealed && method.ContainingType?.IsSealed != true)
            || method.ReturnType.SpecialType != SpecialType.System_String
            || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet)
            || method.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = method.DeclaringSyntaxReferences[0].GetSyntax();
        var (expressionBody, body) = declaration switch
        {
            MethodDeclarationSyntax m => (m.ExpressionBody?.Expression, (SyntaxNode?)m.Body),
            LocalFunctionStatementSyntax f => (f.ExpressionBody?.Expression, f.Body),
            AccessorDeclarationSyntax a => (a.ExpressionBody?.Expression, a.Body),
            ArrowExpressionClauseSyntax arrow => (arrow.Expression, null),
            _ => (null, null),
        };

        // A local function also sees the locals of the member around it: those hide the type's members too.
        var member = method.MethodKind == MethodKind.LocalFunction ? EnclosingMember(declaration) : declaration;
        var scope = new Scope(method.ContainingType, member, ImmutableHashSet<string>.Empty);
        if (expressionBody is not null)
        {
            return IsFixedText(expressionBody, scope, guard, 0);
        }

        if (body is null)
        {
            return false;
        }

        var returns = 0;
        foreach (var node in body.DescendantNodes(n => n == body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            switch (node)
            {
                case YieldStatementSyntax:
                    return false;
                case ReturnStatementSyntax { Expression: { } returned }:
                    if (!IsFixedText(returned, scope, guard, 0))
                    {
                        return false;
                    }

                    returns++;
                    break;
            }
        }

        return returns > 0;
    }

    // ---- Parameters every caller passes a constant ---------------------------------------------------

    /// <summary>
    /// A parameter of a local function or private method whose every call in the code passes text written there
    /// (or leaves a constant default); for other non-overridable methods, only a parameter that declares a constant
    /// default (an option with a known value), when every call in this compilation passes a constant. A method with
    /// no call here is called from elsewhere: its parameters are input.
    /// </summary>
    public bool IsAlwaysPassedConstant(IParameterSymbol parameter)
    {
        parameter = parameter.OriginalDefinition;
        if (_parameters.TryGetValue(parameter, out var known))
        {
            return known;
        }

        var result = ComputeAlwaysPassedConstant(parameter);
        _parameters.TryAdd(parameter, result);
        return result;
    }

    private bool ComputeAlwaysPassedConstant(IParameterSymbol parameter)
    {
        if (parameter.IsParams || parameter.RefKind != RefKind.None || parameter.Type.SpecialType != SpecialType.System_String
            || parameter.ContainingSymbol is not IMethodSymbol { ContainingType: not null } method || method.DeclaringSyntaxReferences.Length != 1
            || method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsExtern)
        {
            return false;
        }

        IEnumerable<SyntaxNode> scopes;
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            // Callers of a local function are in the member that declares it.
            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax();
            SyntaxNode? owner = null;
            foreach (var ancestor in declaration.Ancestors())
            {
                if (ancestor is MemberDeclarationSyntax)
                {
                    owner = ancestor;
                    break;
                }
            }

            if (owner is null)
            {
                return false;
            }

            scopes = new[] { owner };
        }
        else if (method.MethodKind == MethodKind.Ordinary && method.DeclaredAccessibility == Accessibility.Private
                 && method.ContainingType.GetMembers(method.Name).Length == 1)
        {
            scopes = System.Linq.Enumerable.Select(method.ContainingType.DeclaringSyntaxReferences, r => r.GetSyntax());
        }
        else if (method.MethodKind == MethodKind.Ordinary && parameter.HasExplicitDefaultValue && parameter.ExplicitDefaultValue is string
                 && !IsInterfaceImplementation(method) && !MayBeCalledByAFramework(method) && _compilation is not null)
        {
            scopes = System.Linq.Enumerable.Select(_compilation.SyntaxTrees, t => t.GetRoot());
        }
        else
        {
            return false;
        }

        var calls = 0;
        foreach (var scope in scopes)
        {
            // The method's name is found in the text, and only the tokens there are looked at: most files never
            // mention it, and no file is walked whole. A mention in a comment leads to a token once at most.
            var seen = new HashSet<int>();
            foreach (var position in TextSearch.Positions(scope.SyntaxTree.GetText(), scope.Span, method.Name))
            {
                var token = scope.FindToken(position);
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != method.Name || token.Parent is not SimpleNameSyntax name
                    || !seen.Add(token.SpanStart))
                {
                    continue;
                }

                if (IsInNameof(name))
                {
                    continue;
                }

                // Anything but a call (a method group, another member with the same name) may pass anything.
                if (CallOf(name) is not { } call || !ArgumentIsConstant(call, name, method, parameter))
                {
                    return false;
                }

                calls++;
            }
        }

        return calls > 0;
    }

    /// <summary>
    /// A method a framework may call with input: one with attributes (routes, HTTP methods, JS interop, functions),
    /// or an action of a controller, page model, hub or component. Calls seen in the code say nothing of those.
    /// </summary>
    private static bool MayBeCalledByAFramework(IMethodSymbol method)
    {
        if (!method.GetAttributes().IsEmpty)
        {
            return true;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.Name.EndsWith("Controller", System.StringComparison.Ordinal)
                || type.Name is "ControllerBase" or "PageModel" or "Hub" or "ComponentBase")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInterfaceImplementation(IMethodSymbol method)
    {
        foreach (var candidate in method.ContainingType.AllInterfaces)
        {
            foreach (var member in candidate.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsInNameof(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } })
            {
                return true;
            }

            if (ancestor is StatementSyntax or MemberDeclarationSyntax)
            {
                return false;
            }
        }

        return false;
    }

    private static InvocationExpressionSyntax? CallOf(SimpleNameSyntax name)
    {
        var callee = name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name => access,
            MemberBindingExpressionSyntax binding when binding.Name == name => binding,
            _ => (ExpressionSyntax)name,
        };
        return callee.Parent is InvocationExpressionSyntax invocation && invocation.Expression == callee ? invocation : null;
    }

    private bool ArgumentIsConstant(InvocationExpressionSyntax call, SimpleNameSyntax name, IMethodSymbol method, IParameterSymbol parameter)
    {
        // In x.Method(...) an extension method's first parameter is the receiver.
        var shift = method.IsExtensionMethod && name.Parent is MemberAccessExpressionSyntax or MemberBindingExpressionSyntax ? 1 : 0;
        ArgumentSyntax? found = null;
        var arguments = call.ArgumentList.Arguments;

        // Calls are matched by name, whatever their receiver: a call of another method with that name can only make
        // the verdict stricter, and one whose arguments do not fit this method is not understood, so not constant.
        if (arguments.Count + shift > method.Parameters.Length || arguments.Count + shift < RequiredParameters(method))
        {
            return false;
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.NameColon is { } nameColon ? nameColon.Name.Identifier.ValueText == parameter.Name : i + shift == parameter.Ordinal)
            {
                found = argument;
                break;
            }
        }

        if (found is null)
        {
            return parameter.HasExplicitDefaultValue;
        }

        if (!found.RefKindKeyword.IsKind(SyntaxKind.None))
        {
            return false;
        }

        var member = EnclosingMember(call);
        var type = member?.Parent is TypeDeclarationSyntax callerType && IsDeclarationOf(callerType, method.ContainingType) ? method.ContainingType : null;
        return IsFixedText(found.Expression, new Scope(type, member, ImmutableHashSet<string>.Empty), new Guard(), 0);
    }

    private static int RequiredParameters(IMethodSymbol method)
    {
        var required = 0;
        foreach (var parameter in method.Parameters)
        {
            if (!parameter.IsOptional && !parameter.IsParams)
            {
                required++;
            }
        }

        return required;
    }

    private static bool IsDeclarationOf(TypeDeclarationSyntax declaration, INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == declaration.SyntaxTree && reference.Span == declaration.Span)
            {
                return true;
            }
        }

        return false;
    }

    private static MemberDeclarationSyntax? EnclosingMember(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is MemberDeclarationSyntax member and not BaseTypeDeclarationSyntax)
            {
                return member;
            }
        }

        return null;
    }

    // ---- Text written in the code ------------------------------------------------------------------

    /// <summary>Where an expression is read: the type whose members its names may be, the member it sits in, the parameters that count as configuration.</summary>
    private readonly struct Scope
    {
        public Scope(INamedTypeSymbol? type, SyntaxNode? member, ImmutableHashSet<string> configurationParameters)
        {
            Type = type;
            Member = member;
            ConfigurationParameters = configurationParameters;
        }

        public INamedTypeSymbol? Type { get; }
        public SyntaxNode? Member { get; }
        public ImmutableHashSet<string> ConfigurationParameters { get; }
    }

    private static Scope InitializerScope(INamedTypeSymbol type, SyntaxNode member)
        => new(type, member, PrimaryConstructorParameters(member));

    private static Scope ConstructorScope(INamedTypeSymbol type, ConstructorDeclarationSyntax constructor)
    {
        // A constructor parameter is configuration (what the object was built with) unless the constructor reassigns it.
        var names = ImmutableHashSet.CreateBuilder<string>();
        foreach (var parameter in constructor.ParameterList.Parameters)
        {
            if (parameter.Modifiers.Count == 0)
            {
                names.Add(parameter.Identifier.ValueText);
            }
        }

        foreach (var node in constructor.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax target })
            {
                names.Remove(target.Identifier.ValueText);
            }
        }

        return new Scope(type, constructor, names.ToImmutable());
    }

    private static ImmutableHashSet<string> PrimaryConstructorParameters(SyntaxNode member)
    {
        if (member.FirstAncestorOrSelf<TypeDeclarationSyntax>() is { ParameterList: { } parameters } type)
        {
            var names = ImmutableHashSet.CreateBuilder<string>();
            foreach (var parameter in parameters.Parameters)
            {
                if (!IsAssignedIn(type, parameter.Identifier.ValueText))
                {
                    names.Add(parameter.Identifier.ValueText);
                }
            }

            return names.ToImmutable();
        }

        return ImmutableHashSet<string>.Empty;
    }

    private static bool IsAssignedIn(SyntaxNode scope, string name)
    {
        foreach (var node in scope.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } && target.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the expression can only produce text written in the code (or configuration, see <see cref="Scope"/>).</summary>
    private bool IsFixedText(ExpressionSyntax expression, Scope scope, Guard guard, int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        depth++;
        switch (expression)
        {
            case LiteralExpressionSyntax:
            case ThrowExpressionSyntax:
            case DefaultExpressionSyntax:
                return true;
            case ParenthesizedExpressionSyntax parenthesized:
                return IsFixedText(parenthesized.Expression, scope, guard, depth);
            case CastExpressionSyntax cast:
                return IsFixedText(cast.Expression, scope, guard, depth);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) || binary.IsKind(SyntaxKind.CoalesceExpression):
                return IsFixedText(binary.Left, scope, guard, depth) && IsFixedText(binary.Right, scope, guard, depth);
            case ConditionalExpressionSyntax conditional:
                return IsFixedText(conditional.WhenTrue, scope, guard, depth) && IsFixedText(conditional.WhenFalse, scope, guard, depth);
            case SwitchExpressionSyntax switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    if (!IsFixedText(arm.Expression, scope, guard, depth))
                    {
                        return false;
                    }
                }

                return true;
            case InterpolatedStringExpressionSyntax interpolated:
                foreach (var content in interpolated.Contents)
                {
                    if (content is InterpolationSyntax interpolation && !IsFixedText(interpolation.Expression, scope, guard, depth))
                    {
                        return false;
                    }
                }

                return true;
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } }:
                return true;
            case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } invocation:
                return IsFixedCall(invocation, scope, guard, depth);
            case MemberAccessExpressionSyntax access:
                return IsFixedAccess(access, scope, guard);
            case IdentifierNameSyntax identifier:
                var name = identifier.Identifier.ValueText;
                if (scope.ConfigurationParameters.Contains(name))
                {
                    return true;
                }

                return !IsDeclaredIn(scope.Member, name) && IsFixedName(name, scope, guard, instance: true);
            default:
                return false;
        }
    }

    private bool IsFixedCall(InvocationExpressionSyntax invocation, Scope scope, Guard guard, int depth)
    {
        switch (invocation.Expression)
        {
            // typeof(T).Name.ToLowerInvariant(), Table.Trim(): a fixed text, reshaped.
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToLower" or "ToLowerInvariant" or "ToUpper" or "ToUpperInvariant" or "Trim" or "ToString" } access:
                return IsFixedText(access.Expression, scope, guard, depth);

            // Helper() or this.Helper(): a helper of this type that returns fixed text.
            case IdentifierNameSyntax { Identifier.ValueText: var name } when !IsDeclaredIn(scope.Member, name):
                return IsFixedHelper(name, scope, guard);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: var name }:
                return IsFixedHelper(name, scope, guard);
            default:
                return false;
        }
    }

    private bool IsFixedHelper(string name, Scope scope, Guard guard)
    {
        for (var type = scope.Type; type is not null; type = type.BaseType)
        {
            var methods = type.GetMembers(name);
            if (methods.IsEmpty)
            {
                continue;
            }

            var parameterless = (IMethodSymbol?)null;
            foreach (var candidate in methods)
            {
                if (candidate is IMethodSymbol { Parameters.IsEmpty: true, IsGenericMethod: false } method)
                {
                    parameterless = method;
                }
            }

            return parameterless is not null && ReturnsFixedText(parameterless, guard);
        }

        return false;
    }

    private bool IsFixedAccess(MemberAccessExpressionSyntax access, Scope scope, Guard guard)
    {
        var name = access.Name.Identifier.ValueText;
        switch (access.Expression)
        {
            case TypeOfExpressionSyntax:
                return name is "Name" or "FullName" or "Namespace";
            case PredefinedTypeSyntax { Keyword.ValueText: "string" }:
            case IdentifierNameSyntax { Identifier.ValueText: "String" }:
                if (name == "Empty")
                {
                    return true;
                }

                break;
            case ThisExpressionSyntax:
                return IsFixedName(name, scope, guard, instance: true);
        }

        // Type.Member: a static member of this type or of a type that contains it.
        if (access.Expression is IdentifierNameSyntax { Identifier.ValueText: var typeName } && !IsDeclaredIn(scope.Member, typeName))
        {
            for (var type = scope.Type; type is not null; type = type.ContainingType)
            {
                if (type.Name == typeName)
                {
                    return IsFixedName(name, new Scope(type, scope.Member, scope.ConfigurationParameters), guard, instance: false);
                }
            }
        }

        return false;
    }

    /// <summary>A name of a member of the scope's type (or its base or containing types) that holds fixed text.</summary>
    private bool IsFixedName(string name, Scope scope, Guard guard, bool instance)
    {
        if (scope.Type is null)
        {
            // The caller's type is not known as a symbol: a const declared in the enclosing type declarations.
            return scope.Member is not null && IsConstDeclaredAround(scope.Member, name);
        }

        for (var outer = scope.Type; outer is not null; outer = outer.ContainingType)
        {
            for (var type = outer; type is not null; type = type.BaseType)
            {
                foreach (var member in type.GetMembers(name))
                {
                    if (member is IFieldSymbol or IPropertySymbol)
                    {
                        return (instance || member.IsStatic) && IsFixedMember(member, guard);
                    }

                    return false;
                }
            }

            // Members of containing types are reachable by simple name only when static.
            instance = false;
        }

        return false;
    }

    private static bool IsConstDeclaredAround(SyntaxNode node, string name)
    {
        foreach (var type in node.Ancestors())
        {
            if (type is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            foreach (var member in declaration.Members)
            {
                if (member is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.ConstKeyword))
                {
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Identifier.ValueText == name)
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Whether a local, parameter or range variable of that name is declared in the member (it hides the type's members).</summary>
    private static bool IsDeclaredIn(SyntaxNode? member, string name)
    {
        if (member is null)
        {
            return false;
        }

        foreach (var node in member.DescendantNodesAndSelf())
        {
            var declared = node switch
            {
                ParameterSyntax parameter => parameter.Identifier,
                VariableDeclaratorSyntax variable => variable.Identifier,
                SingleVariableDesignationSyntax designation => designation.Identifier,
                ForEachStatementSyntax forEach => forEach.Identifier,
                CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier,
                LocalFunctionStatementSyntax function => function.Identifier,
                FromClauseSyntax from => from.Identifier,
                LetClauseSyntax let => let.Identifier,
                JoinClauseSyntax join => join.Identifier,
                QueryContinuationSyntax into => into.Identifier,
                _ => default,
            };
            if (declared.ValueText == name && !declared.IsKind(SyntaxKind.None))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The symbols being judged, so that members that refer to each other end the walk (as not fixed).</summary>
    private sealed class Guard
    {
        private readonly HashSet<ISymbol> _active = new(SymbolEqualityComparer.Default);

        /// <summary>A cycle was cut: verdicts that depended on it are not cached.</summary>
        public bool Cycle { get; private set; }

        public bool Enter(ISymbol symbol)
        {
            if (_active.Add(symbol))
            {
                return true;
            }

            Cycle = true;
            return false;
        }

        public void Exit(ISymbol symbol) => _active.Remove(symbol);
    }
}
