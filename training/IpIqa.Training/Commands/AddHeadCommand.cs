using System.CommandLine;
using IpIqa.Training.Bundles;

namespace IpIqa.Training.Commands;

/// <summary>
/// <c>ipiqa-train add-head --bundle DIR</c>: gives an fp32 bundle exported before head graphs existed its head graph
/// (<see cref="HeadGraphAdder"/>), in place and without its checkpoint, so per-word attribution runs the image graph once per image.
/// </summary>
internal static class AddHeadCommand
{
    public static Command Create()
    {
        var bundle = new Option<DirectoryInfo>("--bundle") { Description = "fp32 model bundle folder to give a head graph (rewritten in place).", Required = true };
        var command = new Command("add-head", "Split an fp32 bundle's image graph at the prompt into the image graph and a head graph, in place; scores do not change.")
        {
            bundle,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var folder = parse.GetValue(bundle)!.FullName;
            try
            {
                var manifest = HeadGraphAdder.AddHead(folder, cancellationToken);
                var head = manifest.Graphs.Head!;
                parse.InvocationConfiguration.Output.WriteLine(
                    $"{manifest.Name} {manifest.Version}: wrote {head.File} (inputs {string.Join(", ", head.Inputs)}) and {manifest.Graphs.Image.File} to {folder}");
                return Task.FromResult(0);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"add-head failed: {ex.Message}");
                return Task.FromResult(1);
            }
        });
        return command;
    }
}
