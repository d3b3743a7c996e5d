"""Interleaved whole-process timing of two ucs-mail-config binaries (e.g. NativeAOT builds of two
commits): each round runs both back to back, in alternating order, so both see the same load on a
shared machine, which two separate run.sh runs do not. Prints a Markdown table: median wall time
and largest peak RSS per command and policy size.
Usage: interleaved.py BEFORE AFTER ROUNDS INPUTS REPO
  INPUTS holds inN/mail-policy.yaml for N in 50 1000 10000 (Benchmarks.dll generate N INPUTS/inN);
  REPO/examples/single-domain is the 1-domain policy."""
import os, resource, statistics, subprocess, sys, time, shutil
before, after, rounds, inputs, repo = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
cases = [("render", 1, f"{repo}/examples/single-domain/mail-policy.yaml")] + \
        [("render", n, f"{inputs}/in{n}/mail-policy.yaml") for n in (50, 1000, 10000)] + \
        [("validate", n, f"{inputs}/in{n}/mail-policy.yaml") for n in (1000, 10000)]
def run(binary, verb, policy):
    out = "/tmp/ab-out"
    shutil.rmtree(out, ignore_errors=True)
    args = [binary, verb, policy] + (["--out", out] if verb == "render" else [])
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2)
        os.execv(binary, args)
    _, status, usage = os.wait4(pid, 0)
    ms = (time.perf_counter() - t) * 1000
    if status != 0: raise SystemExit(f"{args} exited {status}")
    return ms, usage.ru_maxrss
print("| command | domains | before ms (median) | after ms (median) | after/before | before peak RSS MiB | after peak RSS MiB |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for verb, n, policy in cases:
    res = {before: [], after: []}; rss = {before: 0, after: 0}
    run(before, verb, policy); run(after, verb, policy)  # warm-up
    for i in range(rounds):
        for b in ((before, after) if i % 2 == 0 else (after, before)):
            ms, r = run(b, verb, policy); res[b].append(ms); rss[b] = max(rss[b], r)
    mb, ma = statistics.median(res[before]), statistics.median(res[after])
    print(f"| {verb} | {n} | {mb:.0f} | {ma:.0f} | {ma/mb:.2f} | {rss[before]/1024:.0f} | {rss[after]/1024:.0f} |", flush=True)
print(f"\nrounds: {rounds}; load average at the end: {open('/proc/loadavg').read().split()[:3]}")
