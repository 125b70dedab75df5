using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WeStore.LocalHost;

public sealed class LocalHostOptions
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    /// <summary>The compiled function app.</summary>
    public required Assembly AppAssembly { get; init; }

    /// <summary>The app's registration: the same <c>AddWeStore(...)</c> that its Program.cs calls.</summary>
    public required Action<IServiceCollection, IConfiguration> ConfigureApp { get; init; }

    /// <summary>The folder holding the app's assembly, functions.metadata and host.json.</summary>
    public string? AppDirectory { get; init; }

    public string Url { get; init; } = DefaultUrl;

    public string[] Args { get; init; } = [];

    /// <summary>Extra settings, applied last (tests use this).</summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public bool RunQueueTriggers { get; init; } = true;

    public bool RunTimerTriggers { get; init; } = true;

    /// <summary>Lets tests replace services (a fake clock, a failing dependency) after the app is registered.</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; init; }
}
