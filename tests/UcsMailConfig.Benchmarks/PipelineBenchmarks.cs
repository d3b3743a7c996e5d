using BenchmarkDotNet.Attributes;
using UcsMailConfig.Diagnostics;
using UcsMailConfig.Policy;
using UcsMailConfig.Policy.Load;
using UcsMailConfig.Policy.Model;
using UcsMailConfig.Rendering;
using UcsMailConfig.Rendering.Derive;

namespace UcsMailConfig.Benchmarks;

/// <summary>
/// The pipeline's stages in-process, at growing policy sizes: YAML parse alone, the whole
/// load (parse, shape check, bind and rules), derive, and render. Validation's own share is
/// LoadAndValidate minus ParseYaml.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private string _text = "";
    private MailPolicy _policy = null!;
    private RenderModel _model = null!;

    [Params(1, 1_000, 10_000)]
    public int Domains { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = PolicyGenerator.Policy(Domains);
        _policy = PolicyLoader.Load(_text).Policy ?? throw new InvalidOperationException("the generated policy is invalid");
        _model = RenderModelDeriver.Derive(_policy);
    }

    [Benchmark]
    public object? ParseYaml() => YamlTreeBuilder.Read(_text, new DiagnosticBag());

    [Benchmark]
    public PolicyLoadResult LoadAndValidate() => PolicyLoader.Load(_text);

    [Benchmark]
    public RenderModel Derive() => RenderModelDeriver.Derive(_policy);

    [Benchmark]
    public RenderedTree Render() => TreeRenderer.Render(_model);
}
