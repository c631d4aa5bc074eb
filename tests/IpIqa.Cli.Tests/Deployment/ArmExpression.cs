using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IpIqa.Cli.Tests.Deployment;

/// <summary>
/// Evaluates the few ARM template functions that a compiled Bicep argument or environment list uses
/// (<c>parameters</c>, <c>variables</c>, <c>string</c>, <c>concat</c>, <c>format</c>,
/// <c>createArray</c>, and <c>int</c>, <c>sub</c>, <c>max</c> on whole numbers) with given parameter
/// values. Any other function is an error naming it, so the test fails loudly rather than guess when
/// the template grows a new construct.
/// </summary>
internal sealed class ArmExpression(JsonElement template, IReadOnlyDictionary<string, object> parameters)
{
    /// <summary>A template value: a string (an expression when in [brackets]), a number, a bool or an array of those.</summary>
    public object Evaluate(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => EvaluateString(value.GetString()!),
        JsonValueKind.Array => value.EnumerateArray().Select(Evaluate).ToList(),
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new NotSupportedException($"Cannot evaluate a template {value.ValueKind}: {value}"),
    };

    private object EvaluateString(string text)
    {
        if (text.StartsWith("[[", StringComparison.Ordinal))
        {
            return text[1..]; // an escaped literal that starts with '['
        }

        if (!text.StartsWith('[') || !text.EndsWith(']'))
        {
            return text;
        }

        var position = 1;
        var result = Expression(text, ref position);
        Skip(text, ref position);
        return position == text.Length - 1 ? result : throw new NotSupportedException($"Unexpected '{text[position..]}' in {text}");
    }

    private object Expression(string text, ref int position)
    {
        Skip(text, ref position);
        if (text[position] == '\'')
        {
            var literal = new StringBuilder();
            for (position++; ; position++)
            {
                if (text[position] == '\'' && (position + 1 >= text.Length || text[position + 1] != '\''))
                {
                    position++;
                    return literal.ToString();
                }

                literal.Append(text[position]);
                position += text[position] == '\'' ? 1 : 0; // '' is one quote
            }
        }

        var start = position;
        while (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '-')
        {
            position++;
        }

        var word = text[start..position];
        if (long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Skip(text, ref position);
        if (text[position] != '(')
        {
            throw new NotSupportedException($"Expected '(' after '{word}' in {text}");
        }

        var arguments = new List<object>();
        position++;
        Skip(text, ref position);
        while (text[position] != ')')
        {
            arguments.Add(Expression(text, ref position));
            Skip(text, ref position);
            if (text[position] == ',')
            {
                position++;
            }
        }

        position++;
        return Call(word, arguments);
    }

    private object Call(string function, List<object> arguments) => function switch
    {
        "parameters" => Parameter((string)arguments[0]),
        "variables" => Evaluate(template.GetProperty("variables").GetProperty((string)arguments[0])),
        "string" => arguments[0] switch
        {
            string s => s,
            long n => n.ToString(CultureInfo.InvariantCulture),
            var other => JsonSerializer.Serialize(other),
        },
        "concat" when arguments.All(a => a is List<object>) => arguments.Cast<List<object>>().SelectMany(a => a).ToList(),
        "concat" => string.Concat(arguments.Select(a => a.ToString())),
        "format" => string.Format(CultureInfo.InvariantCulture, (string)arguments[0], [.. arguments.Skip(1)]),
        "createArray" => arguments,
        "int" => arguments[0] is string s ? long.Parse(s, CultureInfo.InvariantCulture) : (long)arguments[0],
        "sub" => (long)arguments[0] - (long)arguments[1],
        "max" => arguments.Cast<long>().Max(),
        _ => throw new NotSupportedException($"The test's ARM evaluator does not know '{function}()'; teach it or keep the argument list simple."),
    };

    private object Parameter(string name)
    {
        if (parameters.TryGetValue(name, out var value))
        {
            return value;
        }

        var declared = template.GetProperty("parameters").GetProperty(name);
        return declared.TryGetProperty("defaultValue", out var fallback)
            ? Evaluate(fallback)
            : throw new InvalidOperationException($"No value given for parameter '{name}', and it has no default.");
    }

    private static void Skip(string text, ref int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
