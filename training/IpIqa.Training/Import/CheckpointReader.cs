using System.Collections;
using System.IO.Compression;
using System.Text;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace IpIqa.Training.Import;

/// <summary>
/// Reads a state dict from a <c>torch.save</c> zip archive (optionally wrapped as
/// <c>{"model": ...}</c> or <c>{"state_dict": ...}</c>) or a <c>.safetensors</c> file. TorchScript
/// archives and pre-1.6 pickles are recognised and refused with the conversion to run.
/// </summary>
public static class CheckpointReader
{
    private static readonly string[] WrapperKeys = ["model", "state_dict"];

    /// <summary>Key -> tensor. The caller disposes the tensors.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CheckpointException($"{path}: checkpoint file not found.");
        }

        var header = new byte[16];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read >= 4 && header[0] == 'P' && header[1] == 'K' && header[2] == 3 && header[3] == 4)
        {
            return ReadTorchZip(path);
        }

        if (read >= 9 && LooksLikeSafetensors(header, new FileInfo(path).Length))
        {
            return ReadSafetensors(path);
        }

        if (read >= 2 && header[0] == 0x80 && header[1] <= 5)
        {
            throw new CheckpointException(
                $"{path}: a legacy (pre-zip) torch.save pickle. Re-save it in Python with torch.save(torch.load(path), new_path) under PyTorch 1.6 or later.");
        }

        throw new CheckpointException($"{path}: not a checkpoint (neither a torch.save zip archive nor a safetensors file).");
    }

    private static bool LooksLikeSafetensors(byte[] header, long fileLength)
    {
        var jsonLength = BitConverter.ToUInt64(header, 0);
        return jsonLength > 1 && jsonLength <= (ulong)(fileLength - 8) && header[8] == (byte)'{';
    }

    private static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Safetensors.LoadStateDict(stream);
        }
        catch (Exception e) when (e is not CheckpointException and not OutOfMemoryException)
        {
            throw new CheckpointException($"{path}: unreadable safetensors file: {e.Message}", e);
        }
    }

    private static Dictionary<string, Tensor> ReadTorchZip(string path)
    {
        using (var archive = OpenZip(path))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            if (names.Any(n => n.EndsWith("constants.pkl", StringComparison.Ordinal) || n.Contains("/code/", StringComparison.Ordinal)))
            {
                throw new CheckpointException(
                    $"{path}: a TorchScript archive (it holds code/ and constants.pkl), such as OpenAI's RN50.pt. TorchSharp cannot read its " +
                    "state through PyBridge. Convert it once in Python: sd = torch.jit.load(path, map_location='cpu').state_dict(); " +
                    "torch.save({k: v.float() for k, v in sd.items()}, 'RN50-state-dict.pt'); then import that file with --format clip.");
            }

            if (!names.Any(n => n.EndsWith("data.pkl", StringComparison.Ordinal)))
            {
                throw new CheckpointException($"{path}: a zip archive without data.pkl, so not a torch.save checkpoint.");
            }
        }

        Hashtable root;
        try
        {
            using var stream = File.OpenRead(path);
            root = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(
                $"{path}: the pickle could not be read as a state dict ({e.Message}). Save the weights with torch.save(model.state_dict(), path).", e);
        }

        return Flatten(root, path);
    }

    private static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"{path}: a damaged zip archive: {e.Message}", e);
        }
    }

    /// <summary>Unwraps <c>{"model": ...}</c> / <c>{"state_dict": ...}</c> and keeps the tensors.</summary>
    internal static Dictionary<string, Tensor> Flatten(Hashtable root, string path)
    {
        foreach (var wrapper in WrapperKeys)
        {
            if (root[wrapper] is Hashtable inner)
            {
                root = inner;
                break;
            }
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var skipped = new StringBuilder();
        foreach (DictionaryEntry entry in root)
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                result[key] = tensor;
            }
            else
            {
                skipped.Append(' ').Append(entry.Key);
            }
        }

        if (result.Count == 0)
        {
            throw new CheckpointException($"{path}: no tensors found (top-level keys:{skipped}).");
        }

        return result;
    }
}
