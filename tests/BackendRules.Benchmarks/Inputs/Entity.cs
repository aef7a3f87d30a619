using System;
using System.Collections.Generic;
using System.Linq;

namespace BackendRules.Benchmarks.Inputs;

/// <summary>A property of a generated entity, with what each layer needs to write it.</summary>
internal sealed record Property(string Name, string Type, string ReaderCall, string Initializer, PropertyKind Kind)
{
    public string Camel => char.ToLowerInvariant(Name[0]) + Name.Substring(1);

    public bool IsNullable => Type.EndsWith("?", StringComparison.Ordinal);

    public string Read(int ordinal) => ReaderCall.Replace("{i}", ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}

internal enum PropertyKind
{
    Text,
    OptionalText,
    Email,
    Money,
    Count,
    Timestamp,
    Flag,
    Identifier,
    BigNumber,
    Ratio,
}

/// <summary>An entity of the synthetic domain: its names and its properties (always Id and Name first).</summary>
internal sealed class Entity
{
    private static readonly string[] Nouns =
    {
        "Order", "Invoice", "Customer", "Product", "Shipment", "Payment", "Refund", "Coupon", "Warehouse", "Supplier",
        "Employee", "Ticket", "Review", "Subscription", "Plan", "Account", "Ledger", "Budget", "Campaign", "Lead",
        "Contract", "Asset", "Device", "Sensor", "Reading", "Booking", "Room", "Guest", "Course", "Lesson",
        "Student", "Grade", "Article", "Comment", "Tag", "Category", "Vendor", "Claim", "Policy", "Quote",
    };

    private static readonly string[] Areas =
    {
        "Sales", "Billing", "Catalog", "Logistics", "Support", "Identity", "Marketing", "Finance", "Inventory", "Scheduling",
    };

    private static readonly Property[] Pool =
    {
        new("Email", "string", "reader.GetString({i})", " = \"\";", PropertyKind.Email),
        new("Status", "string", "reader.GetString({i})", " = \"new\";", PropertyKind.Text),
        new("Code", "string", "reader.GetString({i})", " = \"\";", PropertyKind.Text),
        new("Description", "string?", "reader.IsDBNull({i}) ? null : reader.GetString({i})", "", PropertyKind.OptionalText),
        new("Price", "decimal", "reader.GetDecimal({i})", "", PropertyKind.Money),
        new("Quantity", "int", "reader.GetInt32({i})", "", PropertyKind.Count),
        new("CreatedAt", "DateTime", "reader.GetDateTime({i})", "", PropertyKind.Timestamp),
        new("IsActive", "bool", "reader.GetBoolean({i})", "", PropertyKind.Flag),
        new("ExternalId", "Guid", "reader.GetGuid({i})", "", PropertyKind.Identifier),
        new("Version", "long", "reader.GetInt64({i})", "", PropertyKind.BigNumber),
        new("Score", "double", "reader.GetDouble({i})", "", PropertyKind.Ratio),
        new("Notes", "string?", "reader.IsDBNull({i}) ? null : reader.GetString({i})", "", PropertyKind.OptionalText),
    };

    public static readonly Property Id = new("Id", "int", "reader.GetInt32({i})", "", PropertyKind.Count);

    public static readonly Property NameProperty = new("Name", "string", "reader.GetString({i})", " = \"\";", PropertyKind.Text);

    public Entity(int index, Random random)
    {
        var round = index / Nouns.Length;
        Name = Nouns[index % Nouns.Length] + (round == 0 ? string.Empty : (round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Plural = Name.EndsWith("y", StringComparison.Ordinal) ? Name.Substring(0, Name.Length - 1) + "ies" : Name + "s";
        var areaIndex = index / 10;
        Area = Areas[areaIndex % Areas.Length] + (areaIndex < Areas.Length ? string.Empty : (areaIndex / Areas.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Namespace = $"Backend.{Area}.{Plural}";
        Table = Plural.ToLowerInvariant();
        Route = Plural.ToLowerInvariant();
        Camel = char.ToLowerInvariant(Name[0]) + Name.Substring(1);

        var extra = random.Next(3, 10);
        var chosen = Pool.OrderBy(_ => random.Next()).Take(extra).OrderBy(property => Array.IndexOf(Pool, property)).ToList();
        Properties = new[] { Id, NameProperty }.Concat(chosen).ToList();
    }

    public string Name { get; }

    public string Plural { get; }

    public string Area { get; }

    public string Namespace { get; }

    public string Table { get; }

    public string Route { get; }

    public string Camel { get; }

    /// <summary>Id, Name and a random selection of the pool.</summary>
    public IReadOnlyList<Property> Properties { get; }

    /// <summary>Every property but Id.</summary>
    public IEnumerable<Property> Data => Properties.Skip(1);

    public string Columns => string.Join(", ", Properties.Select(property => property.Name));

    public string DataColumns => string.Join(", ", Data.Select(property => property.Name));
}
