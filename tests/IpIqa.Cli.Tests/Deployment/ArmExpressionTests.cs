using System.Text.Json;

namespace IpIqa.Cli.Tests.Deployment;

/// <summary>The deployment tests' ARM evaluator on the constructs Bicep compiles loops, conditions and objects to.</summary>
public sealed class ArmExpressionTests
{
    private const string Template = """
        {
          "parameters": { "roles": { "type": "array", "defaultValue": [] }, "port": { "type": "int", "defaultValue": 8081 } },
          "variables": {
            "copy": [
              {
                "name": "roleEnvironment",
                "count": "[length(parameters('roles'))]",
                "input": {
                  "name": "[format('IpIqa__Http__Roles__{0}', copyIndex('roleEnvironment'))]",
                  "value": "[parameters('roles')[copyIndex('roleEnvironment')]]"
                }
              }
            ],
            "fixed": { "name": "PORT", "value": "[string(parameters('port'))]" }
          }
        }
        """;

    [Fact]
    public void A_variable_copy_loop_builds_one_item_per_index()
    {
        var evaluated = Evaluate("[concat(createArray(variables('fixed')), variables('roleEnvironment'))]", new() { ["roles"] = new List<object> { "Scorer", "Admin" } });

        var items = Assert.IsType<List<object>>(evaluated).Cast<Dictionary<string, object>>().ToArray();
        Assert.Equal(["PORT", "IpIqa__Http__Roles__0", "IpIqa__Http__Roles__1"], items.Select(i => i["name"]));
        Assert.Equal(["8081", "Scorer", "Admin"], items.Select(i => i["value"]));
    }

    [Fact]
    public void An_empty_array_gives_an_empty_loop()
    {
        Assert.Empty(Assert.IsType<List<object>>(Evaluate("[variables('roleEnvironment')]", [])));
        Assert.Equal(true, Evaluate("[empty(parameters('roles'))]", []));
    }

    [Theory]
    [InlineData("[if(equals(parameters('port'), 8081), 'api', 'other')]", "api")]
    [InlineData("[if(empty(createArray()), 'none', 'some')]", "none")]
    [InlineData("[createObject('a', 'x', 'b', 'y').b]", "y")]
    [InlineData("[string(length(range(3, 4)))]", "4")]
    [InlineData("[string(range(3, 4)[3])]", "6")]
    [InlineData("[variables('fixed').value]", "8081")]
    public void Conditions_objects_ranges_and_member_access_evaluate(string expression, string expected) =>
        Assert.Equal(expected, Evaluate(expression, []));

    [Fact]
    public void An_unknown_function_is_an_error_naming_it() =>
        Assert.Contains("'toLower()'", Assert.Throws<NotSupportedException>(() => Evaluate("[toLower('A')]", [])).Message, StringComparison.Ordinal);

    private static object Evaluate(string expression, Dictionary<string, object> parameters)
    {
        using var template = JsonDocument.Parse(Template);
        using var value = JsonDocument.Parse(JsonSerializer.Serialize(expression));
        return new ArmExpression(template.RootElement, parameters).Evaluate(value.RootElement);
    }
}
