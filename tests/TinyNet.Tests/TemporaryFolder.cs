namespace TinyNet.Tests;

/// <summary>A fixture base that gives each test a fresh temporary folder and removes it afterwards.</summary>
public abstract class TemporaryFolder
{
    protected string Folder { get; private set; } = string.Empty;

    [SetUp]
    public void CreateFolder() => Folder = Directory.CreateTempSubdirectory("tinynet-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(Folder, recursive: true);
}
