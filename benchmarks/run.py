"""redcaplint's benchmark: throughput against the parse floor and against semgrep/bandit, in
one run, as ratios (this machine's absolute speed drifts; ratios measured side by side hold).

    python benchmarks/run.py [--files 2000] [--runs 3] [--semgrep PATH] [--bandit PATH]

Measures, on a deterministic generated corpus (benchmarks/generate_corpus.py), for the Python
files and the R files separately and together:
  * parse floor: one process that reads every file and parses it with the same binding and
    grammars redcaplint uses (py-tree-sitter), nothing more;
  * redcaplint check, one process (-j 1), all cores, and the default --jobs;
  * the same on a corpus 4x as large (cost must be linear);
  * one large file: 2 MB against 500 KB (no single file superlinear);
  * a small run (58 files): the default --jobs against -j 1;
  * peak memory (max RSS) of the one-process run, start-up on one small file;
  * bandit and semgrep (five simple local rules, -j 1) on the Python files, when installed.
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

# An installed package has its bytecode compiled when it is installed; a machine that sets
# PYTHONDONTWRITEBYTECODE would make every timed run recompile every module (both tools).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate_corpus import generate  # noqa: E402

FLOOR = """
import sys
from redcaplint.frontends._grammars import parser
LANG = {".py": "python", ".R": "r"}
n = 0
for line in open(sys.argv[1]):
    path = line.rstrip("\\n")
    with open(path, encoding="utf-8") as fh:
        parser(LANG[path[path.rfind("."):]]).parse(fh.read().encode("utf-8"))
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
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=ENV)
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
    by_lang = {"py": [p for p in paths if p.endswith(".py")], "r": [p for p in paths if p.endswith(".R")]}
    # one folder per language, so every tool is given a folder (semgrep given 1,000 file
    # arguments is 20x slower than given their folder: its per-target overhead, semgrep #11404)
    folders = {}
    for lang, ps in by_lang.items():
        folders[lang] = work / f"only_{lang}"
        folders[lang].mkdir(exist_ok=True)
        by_lang[lang] = [str(shutil.copy(p, folders[lang] / f"{i:05}_{Path(p).name}")) for i, p in enumerate(ps)]
    lists = {}
    for name, ps in (("all", paths), ("x4", large_paths), *by_lang.items()):
        lists[name] = work / f"{name}.txt"
        lists[name].write_text("\n".join(ps) + "\n")
    one = work / "one.py"
    one.write_text(Path(by_lang["py"][0]).read_text())
    # one large file: Python fragments of the corpus concatenated, 500 KB and 2 MB
    body = "".join(Path(p).read_text() for p in by_lang["py"][:400])
    big = {}
    for label, size in (("500k", 500_000), ("2m", 2_000_000)):
        big[label] = work / f"big_{label}.py"
        big[label].write_text((body * (size // len(body) + 1))[:size].rsplit("\n", 1)[0] + "\n")
    few = work / "few"
    few.mkdir(exist_ok=True)
    for p in paths[:58]:
        shutil.copy(p, few)

    py = sys.executable
    lint = [py, "-m", "redcaplint", "check", "--isolated", "--output-format", "concise", "-q"]
    floor = [py, "-c", FLOOR]
    results: dict[str, tuple[float, float]] = {}
    for lang in ("py", "r"):
        results[f"floor_{lang}"] = timed(floor + [str(lists[lang])], args.runs)
        results[f"j1_{lang}"] = timed(lint + ["-j", "1", str(folders[lang])], args.runs)
    results["floor"] = timed(floor + [str(lists["all"])], args.runs)
    results["j1"] = timed(lint + ["-j", "1", str(small)], args.runs)
    results["jall"] = timed(lint + ["-j", "0", str(small)], args.runs)
    results["floor_x4"] = timed(floor + [str(lists["x4"])], args.runs)
    results["j1_x4"] = timed(lint + ["-j", "1", str(large)], args.runs)
    results["big_500k"] = timed(lint + ["-j", "1", str(big["500k"])], args.runs)
    results["big_2m"] = timed(lint + ["-j", "1", str(big["2m"])], args.runs)
    results["few_j1"] = timed(lint + ["-j", "1", str(few)], max(5, args.runs))
    results["few_default"] = timed(lint + [str(few)], max(5, args.runs))
    results["startup"] = timed(lint + ["-j", "1", str(one)], max(5, args.runs))
    if args.bandit:
        results["bandit"] = timed([args.bandit, "-q", "-r", str(folders["py"])], args.runs)
    if args.semgrep:
        rules = work / "semgrep.yml"
        rules.write_text(SEMGREP_RULES)
        results["semgrep"] = timed([args.semgrep, "--config", str(rules), "-j", "1", "--metrics=off",
                                    "--disable-version-check", "--quiet", str(folders["py"])], args.runs)

    n = len(paths)
    cores = os.cpu_count() or 1
    lines = {k: count_lines(v) for k, v in (("all", paths), *by_lang.items())}
    print(f"corpus: {n} files ({len(by_lang['py'])} Python, {len(by_lang['r'])} R), {lines['all']} lines "
          f"(and {len(large_paths)} files for linearity); {cores} cores; median of {args.runs} runs\n")
    print(f"{'run':<40}{'seconds':>9}{'files/s':>10}{'max RSS MiB':>13}")
    labels = [("floor_py", "parse floor, Python files", len(by_lang["py"])),
              ("j1_py", "redcaplint -j 1, Python files", len(by_lang["py"])),
              ("floor_r", "parse floor, R files", len(by_lang["r"])),
              ("j1_r", "redcaplint -j 1, R files", len(by_lang["r"])),
              ("floor", "parse floor, all", n), ("j1", "redcaplint -j 1, all", n),
              ("jall", f"redcaplint -j {cores} (all cores)", n),
              ("bandit", "bandit, Python files", len(by_lang["py"])),
              ("semgrep", "semgrep, 5 rules, -j 1, Python files", len(by_lang["py"])),
              ("floor_x4", "parse floor, 4x corpus", 4 * n), ("j1_x4", "redcaplint -j 1, 4x corpus", 4 * n),
              ("big_500k", "redcaplint, one 500 KB file", 1), ("big_2m", "redcaplint, one 2 MB file", 1),
              ("few_j1", "redcaplint -j 1, 58 files", 58), ("few_default", "redcaplint default --jobs, 58 files", 58),
              ("startup", "redcaplint, one small file", 1)]
    for key, label, files in labels:
        if key not in results:
            print(f"{label:<40}{'not installed':>9}")
            continue
        wall, rss = results[key]
        print(f"{label:<40}{wall:>9.2f}{files / wall:>10.0f}{rss:>13.1f}")

    r = {k: v[0] for k, v in results.items()}
    print("\nratios (targets in brackets)")
    print(f"  Python: redcaplint -j 1 / parse floor     {r['j1_py'] / r['floor_py']:.2f}   [<= 2.5]")
    print(f"  R: redcaplint -j 1 / parse floor          {r['j1_r'] / r['floor_r']:.2f}   [<= 2.5]")
    if "semgrep" in r:
        print(f"  throughput / semgrep -j 1 (Python)        {r['semgrep'] / r['j1_py']:.2f}   [>= 4.0]")
    if "bandit" in r:
        print(f"  throughput / bandit (Python)              {r['bandit'] / r['j1_py']:.2f}")
    print(f"  4x corpus / corpus (time)                 {r['j1_x4'] / r['j1']:.2f}   [3.6 .. 4.4]")
    print(f"  all cores / one process (time)            {r['jall'] / r['j1']:.2f}")
    print(f"  default --jobs / -j 1, 58 files (time)    {r['few_default'] / r['few_j1']:.2f}   [<= 1.0]")
    print(f"  2 MB file / 500 KB file (time)            {r['big_2m'] / r['big_500k']:.2f}   [about 4]")
    print(f"  peak memory, one process, {n} files    {results['j1'][1]:.1f} MiB [< 100]")
    print(f"  start-up, one small file                  {r['startup']:.3f} s [< 0.3]")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
