using System.CommandLine;
using IpIqa.Cli.Commands;

var root = new RootCommand("ipiqa: score AI-generated images against their prompts with IP-IQA.");
foreach (var command in CliCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
