using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using TimerInfo = Microsoft.Azure.Functions.Worker.TimerInfo;
using Microsoft.Extensions.DependencyInjection;
using WeStore.LocalHost.Metadata;

namespace WeStore.LocalHost.Invocation;

/// <summary>
/// Calls one function's method the way the isolated worker does: a new instance per invocation from the
/// invocation's service scope, trigger data bound by parameter type and name, Task results awaited.
/// Anything it cannot bind is refused at start-up, not at the first request.
/// </summary>
public sealed class FunctionInvoker
{
    private static readonly JsonSerializerOptions MessageJson = new(JsonSerializerDefaults.Web);

    private readonly Func<InvocationContext, object?>[] _binders;
    private readonly ObjectFactory? _factory;
    private readonly PropertyInfo? _taskResult;

    public FunctionInvoker(FunctionDefinition definition)
    {
        Definition = definition;
        var method = definition.Method;
        _factory = method.IsStatic ? null : ActivatorUtilities.CreateFactory(method.DeclaringType!, Type.EmptyTypes);
        _binders = method.GetParameters().Select(p => CreateBinder(definition, p)).ToArray();

        var returnType = method.ReturnType;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            _taskResult = returnType.GetProperty(nameof(Task<object>.Result));
        }
        else if (returnType != typeof(Task) && returnType != typeof(void) && !typeof(IActionResult).IsAssignableFrom(returnType))
        {
            throw new FunctionHostStartupException($"'{definition.Name}' returns {returnType.Name}; return IActionResult, Task<IActionResult>, Task or void.");
        }
    }

    public FunctionDefinition Definition { get; }

    /// <summary>Runs the function and returns its result (an IActionResult for HTTP functions).</summary>
    public async Task<object?> InvokeAsync(InvocationContext context)
    {
        var instance = _factory?.Invoke(context.Services, null);
        try
        {
            var arguments = new object?[_binders.Length];
            for (var i = 0; i < _binders.Length; i++)
            {
                arguments[i] = _binders[i](context);
            }

            object? result;
            try
            {
                result = Definition.Method.Invoke(instance, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }

            if (result is Task task)
            {
                await task.ConfigureAwait(false);
                return _taskResult?.GetValue(task);
            }

            return result;
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync().ConfigureAwait(false); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }

    /// <summary>Writes an HTTP function's result to the response, as the ASP.NET Core integration does.</summary>
    public static async Task WriteResultAsync(HttpContext http, object? result)
    {
        switch (result)
        {
            case IActionResult actionResult:
                var actionContext = new ActionContext(http, http.GetRouteData(), new ActionDescriptor());
                await actionResult.ExecuteResultAsync(actionContext).ConfigureAwait(false);
                break;
            case null:
                if (!http.Response.HasStarted && http.Response.StatusCode == 0) http.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                throw new InvalidOperationException($"An HTTP function returned {result.GetType().Name}, not an IActionResult.");
        }
    }

    private static Func<InvocationContext, object?> CreateBinder(FunctionDefinition definition, ParameterInfo parameter)
    {
        var type = parameter.ParameterType;
        var name = parameter.Name ?? string.Empty;
        string Where() => $"'{definition.Name}' parameter '{name}' ({type.Name})";

        if (type == typeof(CancellationToken)) return c => c.CancellationToken;

        if (name == definition.TriggerParameterName)
        {
            return definition.Kind switch
            {
                TriggerKind.Http when type == typeof(HttpRequest) => c => c.Http!.Request,
                TriggerKind.Http => throw new FunctionHostStartupException($"{Where()}: an HTTP trigger binds an ASP.NET Core HttpRequest."),
                TriggerKind.Timer when type == typeof(TimerInfo) => c => c.Timer,
                TriggerKind.Timer => throw new FunctionHostStartupException($"{Where()}: a timer trigger binds TimerInfo."),
                TriggerKind.Queue => CreateQueueBinder(type),
                _ => throw new FunctionHostStartupException($"{Where()}: unsupported trigger."),
            };
        }

        if (definition.Kind == TriggerKind.Http && definition.Http!.Route.Contains('{' + name, StringComparison.OrdinalIgnoreCase))
        {
            return c => ConvertRouteValue(c.Http!.GetRouteValue(name), type);
        }

        if (definition.Kind == TriggerKind.Queue)
        {
            // Trigger metadata the worker binds by name.
            switch (name)
            {
                case "dequeueCount" when type == typeof(long) || type == typeof(int):
                    return c => Convert.ChangeType(c.QueueMessage?.DequeueCount ?? 1, type, CultureInfo.InvariantCulture);
                case "id" when type == typeof(string):
                    return c => c.QueueMessage?.MessageId;
                case "insertionTime" when type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?):
                    return c => c.QueueMessage?.InsertedOn;
            }
        }

        throw new FunctionHostStartupException(
            $"{Where()} cannot be bound. Bind the trigger, route values and CancellationToken; take services through the constructor.");
    }

    private static Func<InvocationContext, object?> CreateQueueBinder(Type type)
    {
        if (type == typeof(string)) return c => c.QueueMessageText;
        if (type == typeof(BinaryData)) return c => BinaryData.FromString(c.QueueMessageText ?? string.Empty);
        if (type == typeof(byte[])) return c => System.Text.Encoding.UTF8.GetBytes(c.QueueMessageText ?? string.Empty);
        if (type == typeof(QueueMessage)) return c => c.QueueMessage;
        return c => JsonSerializer.Deserialize(c.QueueMessageText ?? "null", type, MessageJson);
    }

    private static object? ConvertRouteValue(object? value, Type type)
    {
        if (value is null) return type.IsValueType ? Activator.CreateInstance(type) : null;
        if (type.IsInstanceOfType(value)) return value;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(Guid)
            ? Guid.Parse(value.ToString()!)
            : Convert.ChangeType(value.ToString(), target, CultureInfo.InvariantCulture);
    }
}
