using IpIqa.Cli.Commands;

return await CliCommands.RunAsync(args);
