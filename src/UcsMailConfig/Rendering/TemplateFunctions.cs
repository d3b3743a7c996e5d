using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace UcsMailConfig.Rendering;

/// <summary>
/// The built-in functions templates may call, and no others. Scriban's default set includes
/// <c>object.eval</c>, and binds its functions to .NET methods by reflection, once per process:
/// slower than the rest of a small render, and beyond what NativeAOT can check. The one our
/// templates use is written out by hand, with Scriban's meaning.
/// </summary>
internal static class TemplateFunctions
{
    public static ScriptObject Builtins()
    {
        var text = new ScriptObject(1);
        text.SetValue("pad_right", new Function("string.pad_right", 2,
            (context, span, args) => (context.ObjectToString(args[0]) ?? "").PadRight(context.ToInt(span, args[1]))), readOnly: true);
        var builtins = new ScriptObject(1);
        builtins.SetValue("string", text, readOnly: true);
        return builtins;
    }

    /// <summary>A function of a fixed number of arguments, as Scriban calls it.</summary>
    private sealed class Function(string name, int parameters, Func<TemplateContext, SourceSpan, ScriptArray, object?> body) : IScriptCustomFunction
    {
        public int RequiredParameterCount => parameters;

        public int ParameterCount => parameters;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => typeof(object);

        public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(object), $"arg{index}");

        public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
        {
            var span = callerContext?.Span ?? default;
            return arguments.Count == parameters
                ? body(context, span, arguments)
                : throw new ScriptRuntimeException(span, $"{name} takes {parameters} arguments, not {arguments.Count}");
        }

        public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
            new(Invoke(context, callerContext, arguments, blockStatement));
    }
}
