using System.Text.Json;
using Micro.HostTools;
using Micro.Runtime.Format;

namespace Micro.HostTools.Tests.Commands;

/// <summary>inspect labels the blob format version and the model's own version apart (QA item 20).</summary>
[TestClass]
public class InspectVersionTests
{
    private static string HeartRateBlob => Path.Combine(CliHarness.RepoRoot(), "models", "heart-rate", "heart-rate.mblob");

    [TestMethod]
    public void TextNamesBothVersions()
    {
        var (code, stdout, err) = CliHarness.Run("inspect", HeartRateBlob);
        Assert.AreEqual(ExitCodes.Ok, code, err);
        string first = stdout.Split('\n')[0];
        StringAssert.Contains(first, $"blob format version {BlobLayout.FormatVersion}");
        StringAssert.Contains(first, "model version 1 (the model's own metadata)");
    }

    [TestMethod]
    public void JsonHasFormatVersionAndModelVersionAndNoAmbiguousVersion()
    {
        byte[] blob = File.ReadAllBytes(HeartRateBlob);
        var (code, stdout, err) = CliHarness.Run("inspect", HeartRateBlob, "--json");
        Assert.AreEqual(ExitCodes.Ok, code, err);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.AreEqual(BitConverter.ToUInt16(blob, BlobLayout.OffVersion), root.GetProperty("formatVersion").GetInt32());
        Assert.AreEqual(BlobLayout.FormatVersion, root.GetProperty("formatVersion").GetInt32());
        Assert.AreEqual(Micro.Runtime.Model.Load(blob).Version, root.GetProperty("modelVersion").GetString());
        Assert.AreEqual("1", root.GetProperty("modelVersion").GetString());
        Assert.IsFalse(root.TryGetProperty("version", out _), "a bare 'version' does not say which one");
    }
}
