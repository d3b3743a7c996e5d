#!/usr/bin/env bash
# Benchmarks ucs-mail-config and writes docs/benchmarks.md: whole-process wall time (hyperfine)
# and peak RSS (GNU time) of the JIT build and the NativeAOT binary; the same four files
# rendered by ansible-playbook, j2 and python3 with Jinja2, their output checked byte for byte
# against ours; cat of those files as the floor; validate and render from 1 to 10,000 domains;
# a no-op apply on a sandbox root; validate of 100,000 selectors and of 100,000 TLS
# destinations; and the pipeline's stages in-process (BenchmarkDotNet).
# Usage: tests/UcsMailConfig.Benchmarks/run.sh [--quick] [--out FILE]
#   --quick  single-domain example only, few runs, no BenchmarkDotNet: a smoke test for CI.
# Needs the .NET SDK and Debian's hyperfine time ansible-core j2cli python3-jinja2 python3-yaml
# postfix. UCSMAIL_BENCH_AOT=PATH measures that NativeAOT binary instead of publishing one.
set -euo pipefail
cd "$(dirname "$0")/../.."
bench=tests/UcsMailConfig.Benchmarks

quick=false
out=docs/benchmarks.md
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --out) out="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--out FILE]" >&2; exit 2 ;;
  esac
  shift
done

for tool in hyperfine /usr/bin/time ansible-playbook j2 /usr/bin/python3 dotnet /usr/share/postfix/master.cf.dist; do
  [ -e "$tool" ] || command -v "$tool" >/dev/null || {
    echo "run.sh: $tool is missing: apt-get install hyperfine time ansible-core j2cli python3-jinja2 python3-yaml postfix" >&2
    exit 1
  }
done

if $quick; then
  sizes=(1) scale=(1) runs=3 slow_runs=2
else
  sizes=(1 100 5000 10000) scale=(1 100 1000 5000 10000) runs=20 slow_runs=5
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
results="$work/results.tsv"
: > "$results"
cat /proc/loadavg > "$work/load-start"

echo "run.sh: building" >&2
dotnet build src/UcsMailConfig.Cli --configuration Release -warnaserror >/dev/null
dotnet build "$bench" --configuration Release -warnaserror >/dev/null
jit="dotnet $PWD/src/UcsMailConfig.Cli/bin/Release/net10.0/ucs-mail-config.dll"
aot="${UCSMAIL_BENCH_AOT:-}"
if [ -z "$aot" ]; then
  bash packaging/publish-aot.sh >/dev/null
  aot=artifacts/aot/ucs-mail-config
fi
aot="$(realpath "$aot")"
jinja="$PWD/$bench/jinja"
files=(
  etc/univention/templates/files/etc/postfix/main.cf.d/90_ucs-mail-config
  etc/univention/templates/files/etc/opendkim.conf
  etc/univention/templates/files/etc/opendkim/KeyTable
  etc/univention/templates/files/etc/opendkim/SigningTable
)

# The policy and its Jinja2 variables for SIZE domains; 1 is examples/single-domain itself.
inputs() {
  local size=$1
  if [ "$size" = 1 ]; then
    echo "$PWD/examples/single-domain/mail-policy.yaml $jinja/single-domain.vars.yaml"
  else
    [ -f "$work/in/$size/mail-policy.yaml" ] ||
      dotnet "$bench/bin/Release/net10.0/UcsMailConfig.Benchmarks.dll" generate "$size" "$work/in/$size"
    echo "$work/in/$size/mail-policy.yaml $work/in/$size/jinja-vars.yaml"
  fi
}

# measure KIND LABEL SIZE RUNS COMMAND [PREPARE]: the median wall time of RUNS runs after one
# warm-up (hyperfine; without a shell unless COMMAND chains programs with &&) and the median peak
# RSS of three runs (GNU time: the largest process of the run). PREPARE runs before each run,
# untimed. A row measured before is kept.
measure() {
  local kind=$1 label=$2 size=$3 count=$4 command=$5 prepare=${6:-true} shell=(-N) median rss
  if awk -F '\t' -v k="$kind" -v l="$label" -v s="$size" '$1 == k && $2 == l && $3 == s { found = 1 } END { exit !found }' "$results"; then
    return
  fi
  [[ "$command" == *"&&"* ]] && shell=()
  echo "run.sh: $label, $size domain(s)" >&2
  hyperfine --style none --warmup 1 --runs "$count" "${shell[@]}" --prepare "$prepare" --export-json "$work/run.json" "$command" >/dev/null
  median="$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["results"][0]["median"] * 1000)' "$work/run.json")"
  rss="$(for _ in 1 2 3; do sh -c "$prepare"; /usr/bin/time -f %M sh -c "$command" 2>&1 >/dev/null | tail -n1; done | sort -n | sed -n 2p)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$label" "$size" "$median" "$rss" "$command" "$prepare" >> "$results"
}

# The four files by every tool, checked byte for byte against ucs-mail-config's, then timed.
compare_tools() {
  local size=$1 policy vars dir command
  read -r policy vars <<< "$(inputs "$size")"
  dir="$work/out/$size"
  for tool in py j2 ansible; do
    for file in "${files[@]}"; do mkdir -p "$dir/$tool/$(dirname "$file")"; done
  done
  # Every tool writes into a fresh folder (PREPARE empties it): replacing an earlier output
  # would add the deletion of its files, which on some file systems costs more than the render.
  local -A commands=(
    [aot]="$aot render $policy --out $dir/aot --force"
    [py]="/usr/bin/python3 $jinja/render.py $vars $jinja $dir/py"
    [ansible]="ansible-playbook -i localhost, -c local -e ansible_python_interpreter=/usr/bin/python3 -e @$vars -e out=$dir/ansible $jinja/playbook.yml"
  )
  command=""
  for file in "${files[@]}"; do
    command+="${command:+ && }j2 -f yaml -o $dir/j2/$file $jinja/$(basename "$file").j2 $vars"
  done
  commands[j2]="$command"
  for tool in aot py j2 ansible; do
    sh -c "${commands[$tool]}" >/dev/null
  done
  for tool in py j2 ansible; do
    for file in "${files[@]}"; do
      cmp "$dir/aot/$file" "$dir/$tool/$file" || { echo "run.sh: $tool's $file differs from ucs-mail-config's" >&2; exit 1; }
    done
  done
  commands[cat]="cat ${files[*]/#/$dir/aot/}"

  measure render "NativeAOT ucs-mail-config render" "$size" "$runs" "$aot render $policy --out $dir/aot" "rm -rf $dir/aot"
  if [ "$size" = 1 ]; then
    measure render "JIT ucs-mail-config render" "$size" "$runs" "$jit render $policy --out $dir/jit" "rm -rf $dir/jit"
    measure render "NativeAOT ucs-mail-config render --force (replaces an earlier output)" "$size" "$runs" "${commands[aot]}"
  fi
  measure tools "python3 + Jinja2 (one process)" "$size" "$runs" "${commands[py]}" "rm -rf $dir/py"
  measure tools "j2 (j2cli, one process per file)" "$size" "$slow_runs" "${commands[j2]}"
  measure tools "ansible-playbook (template, -c local)" "$size" "$slow_runs" "${commands[ansible]}"
  measure tools "cat of the four files (floor)" "$size" "$runs" "${commands[cat]}"
}

# validate and render alone, NativeAOT, at each size.
scale_up() {
  local size=$1 policy vars
  read -r policy vars <<< "$(inputs "$size")"
  measure scale "NativeAOT ucs-mail-config validate" "$size" "$runs" "$aot validate $policy"
  measure render "NativeAOT ucs-mail-config render" "$size" "$runs" "$aot render $policy --out $work/out/scale-$size" "rm -rf $work/out/scale-$size"
}

# validate alone on one list of 100,000 entries (one domain's selectors, TLS destinations): their
# duplicate checks must stay linear. Median of 5 whole-process runs.
long_lists() {
  local kind file
  mkdir -p "$work/in"
  for kind in selectors tls-destinations; do
    file="$work/in/100000-$kind.yaml"
    [ -f "$file" ] || dotnet "$bench/bin/Release/net10.0/UcsMailConfig.Benchmarks.dll" generate "$kind" 100000 "$file"
    measure lists "NativeAOT ucs-mail-config validate, 100,000 $kind" 1 5 "$aot validate $file"
  done
}

# A second apply of the single-domain example on a sandbox UCS root: nothing left to change.
noop_apply() {
  local root="$work/apply-root" ucr="$PWD/tests/fixtures/ucr/ucr" apply
  cp -r tests/fixtures/stock-ucs "$root"
  rm "$root/README.md"
  # The ucr fixture's root comes from its environment (apply sets no variable for it), for the applies below too.
  local -x UCR_ROOT="$root"
  # The same defaults the tests' StockUcsRoot sets (one NAME=VALUE per line).
  tr '\n' '\0' < "$root/ucr-defaults" | xargs -0 "$ucr" set >/dev/null
  rm "$root/ucr-defaults"
  "$ucr" register univention-mail-postfix >/dev/null
  cp /usr/share/postfix/master.cf.dist "$root/etc/postfix/master.cf"
  # DNS questions go to a closed loopback port: the sandbox's selector is never published.
  apply="$aot apply $PWD/examples/single-domain/mail-policy.yaml --root $root --ucr $ucr --systemctl /bin/false --dns-server 127.0.0.1:1"
  $apply --generate-keys --activate-without-dns >/dev/null
  $apply --check >/dev/null || { echo "run.sh: a second apply would still change something" >&2; exit 1; }
  measure apply "no-op apply (NativeAOT)" 1 "$runs" "$apply"
}

for size in "${sizes[@]}"; do compare_tools "$size"; done
for size in "${scale[@]}"; do scale_up "$size"; done
noop_apply
$quick || long_lists

bdn=""
if ! $quick; then
  echo "run.sh: BenchmarkDotNet (in-process stages)" >&2
  dotnet "$bench/bin/Release/net10.0/UcsMailConfig.Benchmarks.dll" \
    --filter '*' --job short --exporters github --artifacts "$work/bdn" > "$work/bdn.log"
  bdn="$(ls "$work"/bdn/results/*-report-github.md)"
fi
cat /proc/loadavg > "$work/load-end"

mkdir -p "$(dirname "$out")"
# Hand-written sections after the marker line survive the rewrite.
marker='<!-- kept by run.sh -->'
kept=""
[ -f "$out" ] && kept="$(sed -n "/^$marker\$/,\$p" "$out")"
/usr/bin/python3 "$bench/report.py" --results "$results" --work "$work" --aot "$aot" \
  --quick "$quick" --bdn "$bdn" > "$out"
[ -z "$kept" ] || printf '\n%s\n' "$kept" >> "$out"
echo "run.sh: wrote $out" >&2
