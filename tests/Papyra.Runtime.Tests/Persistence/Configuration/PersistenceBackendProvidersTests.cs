using Papyra.Persistence;
using Papyra.Persistence.Configuration;
using Papyra.Persistence.Memory;
using Papyra.Runtime.Tests.Persistence.Files;

namespace Papyra.Runtime.Tests.Persistence.Configuration;

public sealed class PersistenceBackendProvidersTests
{
    [Fact]
    public void The_built_in_set_has_json_rotating_and_memory()
    {
        Assert.Equal(["json", "rotating", "memory"], PersistenceBackendProviders.BuiltIn.Names);
    }

    [Theory]
    [InlineData("JSON", "json")]
    [InlineData(" Rotating ", "rotating")]
    [InlineData("memory", "memory")]
    public void Names_are_found_whatever_their_case(string typed, string name)
    {
        Assert.True(PersistenceBackendProviders.BuiltIn.TryGet(typed, out IPersistenceBackendProvider? provider));
        Assert.Equal(name, provider.Name);
    }

    [Fact]
    public void An_unknown_name_is_refused_naming_it_and_the_known_ones()
    {
        var error = Assert.Throws<PersistenceConfigurationException>(() => PersistenceBackendProviders.BuiltIn.Get("cassandra"));

        Assert.Equal("Unknown persistence backend 'cassandra': expected one of json, rotating, memory.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_backend_name_is_refused_naming_it(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new PersistenceBackendSettings(name));

        Assert.StartsWith($"Invalid backend name '{name}': give the name of a backend", error.Message, StringComparison.Ordinal);
        Assert.False(PersistenceBackendProviders.BuiltIn.TryGet(name, out _));
    }

    [Fact]
    public async Task A_file_backend_without_a_path_is_refused()
    {
        var error = await Assert.ThrowsAsync<PersistenceConfigurationException>(
            async () => await PersistenceBackendProviders.BuiltIn.OpenAsync(new PersistenceBackendSettings("json")));

        Assert.Contains("needs a store path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_as_store_path_is_refused()
    {
        await Assert.ThrowsAsync<IOException>(
            async () => await PersistenceBackendProviders.BuiltIn.OpenAsync(new PersistenceBackendSettings("json") { Path = Path.GetTempPath() }));
    }

    [Fact]
    public async Task The_json_provider_opens_a_store_that_writes_and_reads_back()
    {
        using var store = new TempStore("events.ndjson");
        string path = store.Path;
        var settings = new PersistenceBackendSettings("Json") { Path = path, Durability = PersistenceDurability.Flush };

        await using (IPersistenceBackend backend = await PersistenceBackendProviders.BuiltIn.OpenAsync(settings))
        {
            await backend.RecordEventAsync(new PersistedEvent("local", new ActorAddress("local", 1), "ActorStarted", null, 1.5));
        }

        await using IPersistenceBackend reopened = await PersistenceBackendProviders.BuiltIn.OpenAsync(settings);
        var events = await reopened.ReadEventsAsync();
        Assert.Equal("ActorStarted", Assert.Single(events.Records).EventType);
        Assert.Equal(new PersistenceStoreLocation(path), PersistenceBackendProviders.BuiltIn.Locate(settings));
    }

    [Fact]
    public void A_rotating_option_out_of_range_is_a_configuration_error_naming_it()
    {
        using var store = new TempStore();
        var settings = new PersistenceBackendSettings("rotating") { Path = store.Path, RotatingMaxFiles = 0 };

        var error = Assert.Throws<PersistenceConfigurationException>(() => PersistenceBackendProviders.BuiltIn.OpenAsync(settings).AsTask().GetAwaiter().GetResult());
        Assert.Contains("MaxFiles", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_third_party_provider_plugs_in_by_name_and_reads_its_own_options()
    {
        PersistenceBackendProviders providers = PersistenceBackendProviders.BuiltIn.With(new TapeProvider());
        var settings = new PersistenceBackendSettings("Tape-Store") { Options = new Dictionary<string, string> { ["REEL"] = "7" } };

        Assert.Equal(["json", "rotating", "memory", "tape_store"], providers.Names);
        Assert.Equal("tape_store", settings.Backend);
        Assert.Equal(new PersistenceStoreLocation("reel 7"), providers.Locate(settings));
        await using IPersistenceBackend backend = await providers.OpenAsync(settings);
        Assert.IsType<InMemoryPersistenceBackend>(backend);

        // The built-in set is unchanged.
        Assert.False(PersistenceBackendProviders.BuiltIn.TryGet("tape_store", out _));
    }

    [Fact]
    public void Registering_a_provider_twice_keeps_one_and_a_different_one_under_a_taken_name_is_refused()
    {
        PersistenceBackendProviders once = PersistenceBackendProviders.BuiltIn.With(new TapeProvider());

        Assert.Same(once, once.With(new TapeProvider()));
        var error = Assert.Throws<ArgumentException>(() => once.With(new ImpostorProvider("json")));
        Assert.StartsWith("A persistence backend named 'json' is already registered", error.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => once.With(new ImpostorProvider("Bad Name")));
        Assert.StartsWith("Invalid backend provider name 'Bad Name'", bad.Message, StringComparison.Ordinal);
    }

    private sealed class TapeProvider : IPersistenceBackendProvider
    {
        public string Name => "tape_store";

        public PersistenceStoreLocation Locate(PersistenceBackendSettings settings) => new("reel " + settings.Option("reel"));

        public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<IPersistenceBackend>(new InMemoryPersistenceBackend(settings.Retention, context.TimeProvider));
    }

    private sealed class ImpostorProvider(string name) : IPersistenceBackendProvider
    {
        public string Name => name;

        public PersistenceStoreLocation Locate(PersistenceBackendSettings settings) => new(null);

        public ValueTask<IPersistenceBackend> OpenAsync(PersistenceBackendSettings settings, PersistenceBackendContext context, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();
    }
}
