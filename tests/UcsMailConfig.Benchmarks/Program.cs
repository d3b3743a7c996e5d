// `generate N DIR` writes DIR/mail-policy.yaml with N domains and DIR/jinja-vars.yaml, its
// equivalent for the Jinja2 tools; `generate selectors|tls-destinations N FILE` writes a policy
// with one list that long; any other arguments go to BenchmarkDotNet
// (e.g. --filter '*' --job short).
using System.Globalization;
using BenchmarkDotNet.Running;
using UcsMailConfig.Benchmarks;

if (args is ["generate", var kind, var length, var file])
{
    File.WriteAllText(file, PolicyGenerator.LongList(kind, int.Parse(length, CultureInfo.InvariantCulture)));
    return 0;
}

if (args is ["generate", var count, var directory])
{
    PolicyGenerator.Write(int.Parse(count, CultureInfo.InvariantCulture), directory);
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
return 0;
