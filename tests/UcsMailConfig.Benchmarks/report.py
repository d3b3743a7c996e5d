#!/usr/bin/python3
"""Writes docs/benchmarks.md (to stdout) from the measurements run.sh collected: the machine,
every table with its ratios, each target met or missed, and the command behind every number."""
import argparse
import datetime
import os
import platform
import subprocess

RUN = "tests/UcsMailConfig.Benchmarks/run.sh"
AOT = "NativeAOT ucs-mail-config render"
JIT = "JIT ucs-mail-config render"
FORCE = "NativeAOT ucs-mail-config render --force (replaces an earlier output)"
PY = "python3 + Jinja2 (one process)"
ANSIBLE = "ansible-playbook (template, -c local)"
VALIDATE = "NativeAOT ucs-mail-config validate"
LISTS = {kind: f"NativeAOT ucs-mail-config validate, 100,000 {kind}" for kind in ("selectors", "tls-destinations")}


def read_results(path):
    rows = {}
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            kind, label, size, median, rss, command, prepare = line.rstrip("\n").split("\t")
            rows[(label, int(size))] = {
                "kind": kind,
                "ms": float(median) if median else None,
                "rss": int(rss) if rss else None,
                "command": command,
                "prepare": "" if prepare == "true" else prepare,
            }
    return rows


def output(*command):
    # Not check=True: j2 --version prints its version and exits 1.
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError:
        return "not found"
    return (result.stdout or result.stderr).strip() or "not found"


def machine(work):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                if line.startswith("model name")), "unknown")
    memory = next(line.split(":", 1)[1].strip() for line in open("/proc/meminfo", encoding="utf-8")
                  if line.startswith("MemTotal"))
    system = next((line.split("=", 1)[1].strip().strip('"') for line in open("/etc/os-release", encoding="utf-8")
                   if line.startswith("PRETTY_NAME=")), "unknown")
    load = [" ".join(open(os.path.join(work, name), encoding="utf-8").read().split()[:3])
            for name in ("load-start", "load-end")]
    return [
        ("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("cores (nproc)", str(os.cpu_count())),
        ("CPU", cpu),
        ("memory", memory),
        ("OS", f"{system}, Linux {platform.release()}"),
        ("load average (1, 5, 15 min) at start / end", f"{load[0]} / {load[1]}"),
        (".NET SDK", output("dotnet", "--version")),
        ("python3 / Jinja2 / PyYAML", output("/usr/bin/python3", "-c",
         "import sys, jinja2, yaml; print(sys.version.split()[0], jinja2.__version__, yaml.__version__)")),
        ("ansible-core", output("ansible-playbook", "--version").splitlines()[0]),
        ("j2cli", output("j2", "--version")),
        ("hyperfine", output("hyperfine", "--version")),
    ]


def ms(row):
    return "–" if row is None or row["ms"] is None else f"{row['ms']:.1f} ms"


def rss(row):
    return "–" if row is None or row["rss"] is None else f"{row['rss'] / 1024:.1f} MiB"


def ratio(slow, fast):
    if slow is None or fast is None or not slow["ms"] or not fast["ms"]:
        return None
    return slow["ms"] / fast["ms"]


def times(value):
    return "–" if value is None else f"{value:.2g}×" if value < 1 else f"{value:.1f}×"


def verdict(value, met):
    return ("not measured (run.sh --quick)", "–") if value is None else (value, "**met**" if met else "**missed**")


def targets(rows):
    aot1, aot5k, aot1k, aot10k = (rows.get((AOT, n)) for n in (1, 5000, 1000, 10000))
    py_x = ratio(rows.get((PY, 1)), aot1)
    ansible_x = ratio(rows.get((ANSIBLE, 1)), aot1)
    py5k_x = ratio(rows.get((PY, 5000)), aot5k)
    growth = ratio(aot10k, aot1k)
    checks = [
        ("NativeAOT render of the single-domain example under 20 ms (median)",
         *verdict(aot1 and ms(aot1), aot1 and aot1["ms"] < 20)),
        ("single-domain: at least 6× faster than python3 + Jinja2",
         *verdict(py_x and times(py_x), py_x and py_x >= 6)),
        ("single-domain: at least 100× faster than ansible-playbook",
         *verdict(ansible_x and times(ansible_x), ansible_x and ansible_x >= 100)),
        ("5,000 domains: at least 2.5× faster than python3 + Jinja2",
         *verdict(py5k_x and times(py5k_x), py5k_x and py5k_x >= 2.5)),
        ("10,000 domains: render (validates too) under 300 ms, whole process",
         *verdict(aot10k and ms(aot10k), aot10k and aot10k["ms"] < 300)),
        ("10,000 domains: peak RSS under 100 MB",
         *verdict(aot10k and rss(aot10k), aot10k and aot10k["rss"] < 100 * 1000)),
        ("linear: 10,000 domains within 12× the time of 1,000",
         *verdict(growth and times(growth), growth and growth <= 12)),
    ]
    for kind, label in LISTS.items():
        row = rows.get((label, 1))
        checks.append((f"validate 100,000 {kind.replace('-', ' ')} under 1 s (median of 5, whole process)",
                       *verdict(row and ms(row), row and row["ms"] < 1000)))
    return checks, py_x, ansible_x


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    for name in ("results", "work", "aot", "quick", "bdn"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    rows = read_results(args.results)
    sizes = sorted({size for (label, size), row in rows.items() if row["kind"] == "tools"})
    scale = sorted({size for (label, size), row in rows.items() if label == VALIDATE})
    checks, py_x, ansible_x = targets(rows)
    version = output(args.aot, "--version")

    def shown(command):
        return command.replace(args.work, "$WORK").replace(os.getcwd() + "/", "")

    print("# Benchmarks\n")
    print(f"Written by `{RUN}{' --quick' if args.quick == 'true' else ''}` (ucs-mail-config {version}); "
          "do not edit by hand, run the script again. Medians of whole-process runs (hyperfine, one "
          "warm-up run first); peak RSS is the median of three runs of GNU `time -f %M` (the largest "
          "process of a run). Every output compared below was checked byte for byte against "
          "ucs-mail-config's before it was timed. Each render writes into a fresh folder (emptied "
          "before every run, untimed), except the `--force` row: replacing an earlier output also "
          "deletes its files, which on this machine's ext4 costs more than the render itself.\n")
    if py_x is not None and ansible_x is not None:
        print(f"**Headline:** rendering the single-domain example, the NativeAOT binary is "
              f"{times(py_x)} faster than a python3 + Jinja2 script and {times(ansible_x)} faster than "
              "ansible-playbook, on the same machine in the same run.\n")
    print("## Machine\n")
    print(table(["what", "value"], machine(args.work)) + "\n")
    print("The load average shows other work on the machine during the run (it is shared); on a "
          "busy machine wall times grow and the ratios are the more telling numbers.\n")

    print("## Targets\n")
    print(table(["target", "measured", "result"], checks) + "\n")

    print("## render of the single-domain example: JIT vs NativeAOT\n")
    jit, aot = rows.get((JIT, 1)), rows.get((AOT, 1))
    print(table(["build", "median wall", "peak RSS"],
                [["JIT (`dotnet ucs-mail-config.dll`)", ms(jit), rss(jit)],
                 ["NativeAOT (`ucs-mail-config`)", ms(aot), rss(aot)],
                 ["NativeAOT, `--force` over an earlier output", ms(rows.get((FORCE, 1))), rss(rows.get((FORCE, 1)))],
                 ["JIT / NativeAOT", times(ratio(jit, aot)), "–"]]) + "\n")

    print("## The same four files by the tools admins use today\n")
    print("main.cf fragment, opendkim.conf, KeyTable and SigningTable. ucs-mail-config renders "
          "from mail-policy.yaml and validates it first (and also writes TrustedHosts, the .info "
          "registration and the UCR variable list); the Jinja2 tools render from an equivalent "
          "variables file (`jinja/*.vars.yaml`, `generate` writes one per size) with the templates in "
          "`jinja/`, validate nothing, and get the sockets and rows already in output order, which "
          "favours them. 1 domain is `examples/single-domain`; larger sizes come from "
          "`UcsMailConfig.Benchmarks generate N`.\n")
    lines = []
    for size in sizes:
        aot = rows.get((AOT, size))
        for label in (AOT, PY, "j2 (j2cli, one process per file)", ANSIBLE, "cat of the four files (floor)"):
            row = rows.get((label, size))
            if row is None:
                continue
            vs = "–" if label == AOT else times(ratio(row, aot))
            lines.append([f"{size:,}", label, ms(row), rss(row), vs])
    print(table(["domains", "tool", "median wall", "peak RSS", "that tool's time / NativeAOT's"], lines) + "\n")

    print("## Scaling: NativeAOT validate and render\n")
    lines = [[f"{size:,}", ms(rows.get((VALIDATE, size))), rss(rows.get((VALIDATE, size))),
              ms(rows.get((AOT, size))), rss(rows.get((AOT, size)))] for size in scale]
    print(table(["domains", "validate median", "validate peak RSS", "render median", "render peak RSS"], lines) + "\n")
    growth = ratio(rows.get((AOT, 10000)), rows.get((AOT, 1000)))
    if growth is not None:
        print(f"render, 1,000 → 10,000 domains: {times(growth)} the time (linear would be 10×; "
              "process start-up makes small sizes relatively slower).\n")

    print("## Long lists: NativeAOT validate\n")
    print("One policy with a single list of 100,000 entries (`generate selectors|tls-destinations "
          "100000 FILE`: one domain's DKIM selectors, or `tls.destinations`), validated: every "
          "entry is checked against the others for duplicates, which must cost one set lookup each, "
          "not a search of the list (40,000 entries once took 5–6 s).\n")
    print(table(["list", "median wall (5 runs)", "peak RSS"],
                [[kind, ms(rows.get((label, 1))), rss(rows.get((label, 1)))] for kind, label in LISTS.items()]) + "\n")

    print("## No-op apply\n")
    apply = next((row | {"label": label} for (label, size), row in rows.items() if row["kind"] == "apply"), None)
    if apply is not None:
        print("A second `apply` of the single-domain example on a sandbox root (the stand-in stock "
              "templates from `tests/fixtures/stock-ucs` and the `ucr` fixture): the plan finds "
              "nothing to change, so no program runs.\n")
        print(table(["what", "median wall", "peak RSS"], [[apply["label"], ms(apply), rss(apply)]]) + "\n")

    print("## In-process stages (BenchmarkDotNet)\n")
    if args.bdn:
        print("`ParseYaml` is the policy reader (YamlDotNet's event parser and our subset rules) building the YAML tree; `LoadAndValidate` is "
              "the whole load (parse, shape check, bind, rules); `Derive` and `Render` as in "
              "DESIGN.md. `--job short` (3 warm-ups, 3 iterations): indicative, not precise.\n")
        with open(args.bdn, encoding="utf-8") as stream:
            text = stream.read()
        print(text[text.index("|"):].strip() + "\n" if "|" in text else text)
    else:
        print("Not run (`--quick`).\n")

    print("## Commands\n")
    print(f"Everything above: `{RUN}` (about 16 minutes here; `--quick` for a short smoke run). "
          "`$WORK` is its temporary folder; inputs are made with "
          "`dotnet tests/UcsMailConfig.Benchmarks/bin/Release/net10.0/UcsMailConfig.Benchmarks.dll "
          "generate N $WORK/in/N`. Each row was timed with `hyperfine -N --warmup 1 --runs R "
          "--prepare 'PREPARE' 'COMMAND'` (with a shell for the j2 chain) and its memory with `/usr/bin/time -f %M sh -c "
          "'COMMAND'`:\n")
    print("```sh")
    for (label, size), row in sorted(rows.items(), key=lambda item: (item[0][1], item[0][0])):
        if row["command"]:
            before = f"{shown(row['prepare'])}  # untimed, before each run\n" if row["prepare"] else ""
            print(f"# {label}, {size:,} domain(s)\n{before}{shown(row['command'])}")
    print("```")
    if args.bdn:
        print("\nBenchmarkDotNet: `dotnet tests/UcsMailConfig.Benchmarks/bin/Release/net10.0/"
              "UcsMailConfig.Benchmarks.dll --filter '*' --job short`.")


if __name__ == "__main__":
    main()
