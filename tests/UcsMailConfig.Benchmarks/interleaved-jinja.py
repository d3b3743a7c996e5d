"""render of 10,000 domains by a ucs-mail-config binary against the python3 + Jinja2 peer, in
interleaved rounds (both see the same load). Usage: interleaved-jinja.py AOT JINJA_DIR ROUNDS INPUTS
  JINJA_DIR is tests/UcsMailConfig.Benchmarks/jinja; INPUTS/in10000 from Benchmarks.dll generate."""
import os, statistics, sys, time, shutil, subprocess
aot, jinja, rounds, inputs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cmds = {"aot": [aot, "render", f"{inputs}/in10000/mail-policy.yaml", "--out", "/tmp/ab3-aot"],
        "jinja2": ["/usr/bin/python3", f"{jinja}/render.py", f"{inputs}/in10000/jinja-vars.yaml", jinja, "/tmp/ab3-py"]}
res = {k: [] for k in cmds}
for i in range(rounds + 1):
    for k, c in (cmds.items() if i % 2 == 0 else reversed(list(cmds.items()))):
        shutil.rmtree(c[-1], ignore_errors=True)
        t = time.perf_counter(); subprocess.run(c, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i: res[k].append((time.perf_counter() - t) * 1000)
a, j = statistics.median(res["aot"]), statistics.median(res["jinja2"])
print(f"render 10,000 domains, {rounds} interleaved rounds: ucs-mail-config (NativeAOT) {a:.0f} ms, python3 + Jinja2 {j:.0f} ms: {j/a:.2f}x faster; load {open('/proc/loadavg').read().split()[:3]}")
