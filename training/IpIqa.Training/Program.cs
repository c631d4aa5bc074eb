using System.CommandLine;
using IpIqa.Training.Commands;

var root = new RootCommand("ipiqa-train: import checkpoints, make data, train, evaluate and export IP-IQA bundles.");
foreach (var command in TrainCommands.All())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
