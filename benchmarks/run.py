"""redcaplint's benchmark: throughput against the parse floor and against semgrep/bandit, in
one run, as ratios (this machine's absolute speed drifts; ratios measured side by side hold).

    python benchmarks/run.py [--files 2000] [--runs 3] [--semgrep PATH] [--bandit PATH]

Measures, on a deterministic generated corpus (benchmarks/generate_corpus.py):
  * parse floor: one process that reads every file and parses it with ast-grep, nothing more;
  * redcaplint check, one process (-j 1) and all cores (-j 0);
  * the same on a corpus 4x as large (cost must be linear);
  * peak memory (max RSS) of the one-process run, start-up on one small file;
  * bandit and semgrep (five simple local rules, -j 1) when installed.
Every figure is the median of --runs whole-process runs (os.wait4 gives time and max RSS).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate_corpus import generate  # noqa: E402

FLOOR = """
import sys
from ast_grep_py import SgRoot
from redcaplint.frontends._grammars import ensure
ensure("r")  # the same dynamically loaded R grammar redcaplint uses
LANG = {".py": "python", ".R": "r"}
n = 0
for line in open(sys.argv[1]):
    path = line.rstrip("\\n")
    with open(path, encoding="utf-8") as fh:
        SgRoot(fh.read(), LANG[path[path.rfind("."):]]).root()
    n += 1
print(n)
"""

SEMGREP_RULES = """
rules:
  - id: post-without-timeout
    languages: [python]
    severity: WARNING
    message: no timeout
    patterns:
      - pattern: requests.post(...)
      - pattern-not: requests.post(..., timeout=$T, ...)
  - id: verify-false
    languages: [python]
    severity: ERROR
    message: tls off
    pattern: requests.$F(..., verify=False, ...)
  - id: hex-token
    languages: [python]
    severity: ERROR
    message: token
    pattern-regex: "[0-9A-F]{32}"
  - id: sleep
    languages: [python]
    severity: INFO
    message: sleep
    pattern: time.sleep($X)
  - id: post-in-loop
    languages: [python]
    severity: WARNING
    message: loop
    patterns:
      - pattern-inside: |
          for $X in $Y:
            ...
      - pattern: requests.post(...)
"""


def timed(cmd: list[str], runs: int, cwd=None) -> tuple[float, float]:
    """Median wall seconds and median max RSS (MiB) of `runs` whole-process runs."""
    walls, rss = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        rss.append(usage.ru_maxrss / 1024)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed with exit {proc.returncode}")
    return statistics.median(walls), statistics.median(rss)


def count_lines(paths: list[str]) -> int:
    total = 0
    for p in paths:
        with open(p, "rb") as fh:
            total += fh.read().count(b"\n")
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--semgrep", default=shutil.which("semgrep"))
    ap.add_argument("--bandit", default=shutil.which("bandit"))
    ap.add_argument("--keep", help="write the corpora here instead of a temporary folder")
    args = ap.parse_args()

    work = Path(args.keep or tempfile.mkdtemp(prefix="redcaplint-bench-"))
    small, large = work / "corpus", work / "corpus-x4"
    paths = generate(str(small), args.files)
    large_paths = generate(str(large), args.files * 4)
    lines = count_lines(paths)
    lists = {}
    for name, ps in (("small", paths), ("large", large_paths)):
        lists[name] = work / f"{name}.txt"
        lists[name].write_text("\n".join(ps) + "\n")
    one = work / "one.py"
    one.write_text(Path(next(p for p in paths if p.endswith(".py"))).read_text())

    py = sys.executable
    lint = [py, "-m", "redcaplint", "check", "--isolated", "--output-format", "concise", "-q"]
    results: dict[str, tuple[float, float]] = {}
    results["floor"] = timed([py, "-c", FLOOR, str(lists["small"])], args.runs)
    results["j1"] = timed(lint + ["-j", "1", str(small)], args.runs)
    results["jall"] = timed(lint + ["-j", "0", str(small)], args.runs)
    results["floor_x4"] = timed([py, "-c", FLOOR, str(lists["large"])], args.runs)
    results["j1_x4"] = timed(lint + ["-j", "1", str(large)], args.runs)
    results["startup"] = timed(lint + ["-j", "1", str(one)], max(5, args.runs))
    if args.bandit:
        results["bandit"] = timed([args.bandit, "-q", "-r", str(small)], args.runs)
    if args.semgrep:
        rules = work / "semgrep.yml"
        rules.write_text(SEMGREP_RULES)
        results["semgrep"] = timed([args.semgrep, "--config", str(rules), "-j", "1", "--metrics=off",
                                    "--disable-version-check", "--quiet", str(small)], args.runs)

    n = len(paths)
    cores = os.cpu_count() or 1
    print(f"corpus: {n} files, {lines} lines (and {len(large_paths)} files for linearity); "
          f"{cores} cores; median of {args.runs} runs\n")
    print(f"{'run':<34}{'seconds':>9}{'files/s':>10}{'lines/s':>11}{'max RSS MiB':>13}")
    labels = [("floor", "ast-grep parse floor (1 process)", n), ("j1", "redcaplint -j 1", n),
              ("jall", f"redcaplint -j {cores} (all cores)", n), ("bandit", "bandit -r", n),
              ("semgrep", "semgrep, 5 rules, -j 1", n), ("floor_x4", "parse floor, 4x corpus", 4 * n),
              ("j1_x4", "redcaplint -j 1, 4x corpus", 4 * n), ("startup", "redcaplint, one small file", 1)]
    for key, label, files in labels:
        if key not in results:
            print(f"{label:<34}{'not installed':>9}")
            continue
        wall, rss = results[key]
        per_line = lines * (4 if files == 4 * n else 1)
        print(f"{label:<34}{wall:>9.2f}{files / wall:>10.0f}{(per_line if files > 1 else 0) / wall:>11.0f}{rss:>13.1f}")

    r = {k: v[0] for k, v in results.items()}
    print("\nratios (targets in brackets)")
    print(f"  redcaplint -j 1 / parse floor         {r['j1'] / r['floor']:.2f}   [<= 2.0]")
    if "semgrep" in r:
        print(f"  redcaplint throughput / semgrep -j 1  {r['semgrep'] / r['j1']:.2f}   [>= 4.0]")
    if "bandit" in r:
        print(f"  redcaplint throughput / bandit        {r['bandit'] / r['j1']:.2f}")
    print(f"  all cores / one process (time)        {r['jall'] / r['j1']:.2f}   [<= 0.6 with 2 cores]")
    print(f"  4x corpus / corpus (time)             {r['j1_x4'] / r['j1']:.2f}   [3.6 .. 4.4]")
    print(f"  peak memory, one process              {results['j1'][1]:.1f} MiB [< 100]")
    print(f"  start-up, one small file              {r['startup']:.3f} s [< 0.3]")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
