using Papyra.Docs.Tests.Infrastructure;

namespace Papyra.Docs.Tests;

/// <summary>Every C# example of the guide is a compiled region of samples/Guide, word for word.</summary>
public sealed class SnippetTests
{
    public static TheoryData<string> CSharpBlocks => GuideDocument.Named("csharp");

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void A_csharp_block_is_a_compiled_sample_region_word_for_word(string block)
    {
        CodeBlock code = GuideDocument.Find(block);

        Assert.True(code.Snippet is not null, $"{code}: a C# block must be a snippet of samples/Guide: put <!-- guide: name --> before it and // guide:begin name ... // guide:end around the code.");
        Assert.True(GuideSamples.Regions.TryGetValue(code.Snippet, out string? region), $"{code}: samples/Guide has no region '{code.Snippet}'.");
        Assert.Equal(region, code.Text);
    }

    [Fact]
    public void Every_sample_region_appears_in_the_guide()
    {
        string[] embedded = [.. GuideDocument.Blocks.Select(b => b.Snippet).OfType<string>()];

        Assert.NotEmpty(GuideSamples.Regions);
        Assert.Empty(GuideSamples.Regions.Keys.Except(embedded, StringComparer.Ordinal));
    }
}
