using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IpIqa.Cli.Tests.Deployment;

/// <summary>
/// Evaluates the few ARM template functions that a compiled Bicep argument or environment list uses
/// (<c>parameters</c>, <c>variables</c> with their <c>copy</c> loops and <c>copyIndex</c>, <c>string</c>,
/// <c>concat</c>, <c>format</c>, <c>createArray</c>, <c>createObject</c>, <c>length</c>, <c>empty</c>,
/// <c>equals</c>, <c>if</c>, <c>true</c>, <c>false</c>, <c>range</c>, <c>int</c>, <c>sub</c>, <c>max</c> on whole numbers, and
/// <c>x[i]</c> / <c>x.name</c> access) with given parameter values. Any other function is an error
/// naming it, so the test fails loudly rather than guess when the template grows a new construct.
/// </summary>
internal sealed class ArmExpression(JsonElement template, IReadOnlyDictionary<string, object> parameters)
{
    /// <summary>The index of each <c>copy</c> loop being evaluated, by loop name (innermost last).</summary>
    private readonly List<(string Loop, long Index)> loops = [];

    /// <summary>
    /// A template value: a string (an expression when in [brackets]), a number, a bool, an object
    /// (a dictionary) or an array of those.
    /// </summary>
    public object Evaluate(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => EvaluateString(value.GetString()!),
        JsonValueKind.Array => value.EnumerateArray().Select(Evaluate).ToList(),
        JsonValueKind.Object => value.EnumerateObject().ToDictionary(p => p.Name, p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
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
        return Access(text, ref position, Call(word, arguments));
    }

    /// <summary>Any <c>[index]</c> and <c>.property</c> after a value.</summary>
    private object Access(string text, ref int position, object value)
    {
        for (Skip(text, ref position); position < text.Length - 1; Skip(text, ref position))
        {
            if (text[position] == '[')
            {
                position++;
                var index = Expression(text, ref position);
                Skip(text, ref position);
                position++; // ']'
                value = Index(value, index);
            }
            else if (text[position] == '.')
            {
                var start = ++position;
                while (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_')
                {
                    position++;
                }

                value = Index(value, text[start..position]);
            }
            else
            {
                break;
            }
        }

        return value;
    }

    private static object Index(object value, object index) => (value, index) switch
    {
        (List<object> list, long i) => list[checked((int)i)],
        (Dictionary<string, object> map, string name) => map[name],
        _ => throw new NotSupportedException($"Cannot index {value.GetType().Name} with {index}"),
    };

    private object Call(string function, List<object> arguments) => function switch
    {
        "parameters" => Parameter((string)arguments[0]),
        "true" => true,
        "false" => false,
        "variables" => Variable((string)arguments[0]),
        "copyIndex" => CopyIndex(arguments),
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
        "createObject" => arguments.Chunk(2).ToDictionary(pair => (string)pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase),
        "length" => (long)Count(arguments[0]),
        "empty" => Count(arguments[0]) == 0,
        "equals" => Equals(arguments[0], arguments[1]),
        "if" => (bool)arguments[0] ? arguments[1] : arguments[2],
        "range" => Enumerable.Range(0, checked((int)(long)arguments[1])).Select(i => (object)((long)arguments[0] + i)).ToList(),
        "int" => arguments[0] is string s ? long.Parse(s, CultureInfo.InvariantCulture) : (long)arguments[0],
        "sub" => (long)arguments[0] - (long)arguments[1],
        "max" => arguments.Cast<long>().Max(),
        _ => throw new NotSupportedException($"The test's ARM evaluator does not know '{function}()'; teach it or keep the argument list simple."),
    };

    private static int Count(object value) => value switch
    {
        string s => s.Length,
        List<object> list => list.Count,
        Dictionary<string, object> map => map.Count,
        _ => throw new NotSupportedException($"length() of a {value.GetType().Name}"),
    };

    /// <summary>A variable, or the array a variable <c>copy</c> loop builds: its input evaluated once per index.</summary>
    private object Variable(string name)
    {
        var variables = template.GetProperty("variables");
        if (variables.TryGetProperty(name, out var value))
        {
            return Evaluate(value);
        }

        var loop = variables.GetProperty("copy").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var count = (long)Evaluate(loop.GetProperty("count"));
        var items = new List<object>();
        for (var index = 0L; index < count; index++)
        {
            loops.Add((name, index));
            items.Add(Evaluate(loop.GetProperty("input")));
            loops.RemoveAt(loops.Count - 1);
        }

        return items;
    }

    private long CopyIndex(List<object> arguments)
    {
        var name = arguments.OfType<string>().FirstOrDefault();
        var offset = arguments.OfType<long>().FirstOrDefault();
        var loop = loops.LastOrDefault(l => name is null || l.Loop == name);
        return loop.Loop is not null ? loop.Index + offset : throw new InvalidOperationException($"copyIndex({name}) outside its copy loop");
    }

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
