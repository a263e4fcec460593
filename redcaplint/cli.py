"""Command line, in the manner of ruff: `check`, `rule`, `rules`, `demo`.

Exit status: 0 no findings, 1 findings, 2 usage, configuration or internal error.
Imports are lazy so that a pre-commit run on one small file starts fast.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Optional

from redcaplint import __version__
from redcaplint.output import DOCUMENTS, FORMATS


class UsageError(Exception):
    pass


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that pools are stopped on the way out."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep one line
        raise UsageError(message)


def _codes(text: str) -> list[str]:
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    if not codes:
        # `--select ''` would disable every rule and then say "All checks passed"
        raise argparse.ArgumentTypeError("no rule codes given")
    return codes


def _patterns(text: str) -> list[str]:
    found = [p.strip() for p in text.split(",") if p.strip()]
    if not found:
        raise argparse.ArgumentTypeError("no patterns given")
    return found


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="redcaplint", description="A linter for REDCap API scripts.")
    p.add_argument("--version", action="version", version=f"redcaplint {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    c = sub.add_parser("check", help="lint files and folders (default: .)")
    c.add_argument("paths", nargs="*", default=None, metavar="PATH")
    # repeated options accumulate (`--select RC1 --select RC2`), as ruff's do
    c.add_argument("--select", type=_codes, action="extend", help="rule codes or prefixes to enable (RC2,RC101)")
    c.add_argument("--extend-select", type=_codes, action="extend", default=[], help="add to the selection")
    c.add_argument("--ignore", type=_codes, action="extend", default=[], help="rule codes or prefixes to disable")
    c.add_argument("--exclude", type=_patterns, action="extend", default=None,
                   help="file patterns to skip, replacing the configuration's `exclude`")
    c.add_argument("--extend-exclude", type=_patterns, action="extend", default=[],
                   help="file patterns to skip, in addition to `exclude`")
    c.add_argument("--show-files", action="store_true", help="list the files that would be checked, and exit")
    c.add_argument("--show-settings", action="store_true", help="print the settings in effect, and exit")
    c.add_argument("--output-format", choices=FORMATS, default=None,
                   help=f"{', '.join(FORMATS)} (default: $REDCAPLINT_OUTPUT_FORMAT, else text)")
    c.add_argument("-o", "--output-file", metavar="PATH", help="write the report to PATH (atomically)")
    c.add_argument("--show-suppressed", action="store_true",
                   help="SARIF: include findings suppressed inline, marked as suppressed")
    c.add_argument("--baseline", metavar="FILE", help="report only findings not recorded in FILE")
    c.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    c.add_argument("--statistics", action="store_true", help="count findings per rule")
    c.add_argument("--config", metavar="FILE", help="use this configuration file")
    c.add_argument("--isolated", action="store_true", help="ignore configuration files")
    c.add_argument("-q", "--quiet", action="store_true", help="print findings only: no summary, no progress")
    c.add_argument("-v", "--verbose", action="store_true",
                   help="say on stderr which configuration, how many files and processes, and how long")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour the text report: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces it), "
                        "always, never")
    c.add_argument("--no-color", action="store_true", help="same as --color never")
    c.add_argument("-j", "--jobs", type=int, default=0, help="processes (default: all cores)")
    c.add_argument("--stdin-filename", metavar="NAME", help="name (and language) for `-` input")
    c.add_argument("--force-exclude", action="store_true", help="apply exclude to named files too")
    c.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings")

    r = sub.add_parser("rule", help="print a rule's documentation")
    r.add_argument("code", metavar="CODE")
    rl = sub.add_parser("rules", help="list every rule")
    rl.add_argument("--markdown", action="store_true", help="the README table")
    rl.add_argument("--output-format", choices=("text", "json"), default="text",
                    help="text (one line per rule) or json (code, name, severity, fix, default, summary)")
    d = sub.add_parser("demo", help="lint the sample scripts shipped with redcaplint")
    d.add_argument("--no-color", action="store_true")
    return p


def main(argv: Optional[list[str]] = None) -> int:
    """Every way out is an exit status and at most one line on stderr: 2 for usage,
    configuration and internal errors (never 1, the findings status), 130/143 for signals."""
    import signal

    from redcaplint import masking

    masking.install()
    previous = _on_sigterm()
    try:  # Ctrl-C as KeyboardInterrupt from here on (the entry point's early handler exits at once)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    except (ValueError, OSError):
        pass
    try:
        return _main(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        _leave("redcaplint: interrupted", 130)
    except Terminated:
        _leave("redcaplint: terminated", 143)
    except UsageError as exc:
        _say(f"redcaplint: error: {exc}")
        return 2
    except RecursionError:
        _say("redcaplint: internal error: input nested too deeply")
        return 2
    except Exception as exc:  # noqa: BLE001 - an internal error is exit 2, never a traceback
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        _say(f"redcaplint: internal error: {type(exc).__name__}{': ' + detail if detail else ''}")
        return 2
    finally:
        _restore_sigterm(previous)


def _leave(line: str, status: int):
    """After a signal: one line, then exit at once. The interpreter's own shutdown would join
    multiprocessing's helpers, which is what a signal must not wait for."""
    _say(line)
    try:
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(status)


def _say(line: str) -> None:
    """One line on stderr, if there is a stderr to write to."""
    try:
        if sys.stderr is not None:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _on_sigterm():
    import signal

    def handler(signum, frame):
        raise Terminated()

    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # not the main thread (an embedding program)
        return None


def _restore_sigterm(previous) -> None:
    import signal

    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except (ValueError, OSError):
            pass


def silence_stdout() -> None:
    """After the reader went away (`| head -1`) or the disk filled: nothing more can be
    written, and the interpreter's own flush at exit must not print a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    sys.stdout = open(os.devnull, "w")


def _main(argv: list[str]) -> int:
    if sys.stdout is None:
        raise UsageError("standard output is closed")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        if args.command == "rule":
            return cmd_rule(args.code)
        if args.command == "rules":
            if args.markdown:
                print(rules_markdown())
                return 0
            return cmd_rules(args.output_format)
        if args.command == "demo":
            return cmd_demo(args)
        return cmd_check(args)
    except BrokenPipeError:  # `redcaplint rules | head -1`
        silence_stdout()
        return 0


def _use_color(args) -> bool:
    """ruff's rule: --color wins; then NO_COLOR off, FORCE_COLOR on; else a terminal."""
    choice = "never" if getattr(args, "no_color", False) else getattr(args, "color", "auto")
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def cmd_rule(key: str) -> int:
    from redcaplint.registry import by_name_or_code

    rule = by_name_or_code(key)
    if rule is None:
        raise UsageError(f"unknown rule {key!r} (see `redcaplint rules`)")
    print(render_rule_doc(rule))
    return 0


def render_rule_doc(rule) -> str:
    sections = rule.doc_sections()
    # the edits are reported (text, JSON); applying them (--fix) is not implemented yet
    fix = {"safe": "Fix: safe (its edit is shown with the finding).",
           "unsafe": "Fix: unsafe (shown with the finding; review before applying).",
           "suggestion": "A suggestion is shown; no automatic edit.", "none": "No fix."}[rule.fix]
    out = [f"# {rule.name} ({rule.code})", "", f"Default severity: {rule.severity}. {fix}", ""]
    for title, body in sections.items():
        out += [f"## {title}", body, ""]
    out += examples_by_language(rule)
    return "\n".join(out).rstrip() + "\n"


def examples_by_language(rule) -> list[str]:
    """One flagged example per language, from the rule's own INVALID cases (which the tests
    run, fixed source included): the documentation cannot drift from what the rule does."""
    from redcaplint.frontends import language_of

    seen: dict[str, object] = {}
    for case in rule.INVALID:
        seen.setdefault(language_of(case.filename), case)
    if not seen:
        return []
    out = ["## Examples by language"]
    for language, case in seen.items():
        fence = FENCES.get(language, language)
        out += ["", f"{LANGUAGE_NAMES.get(language, language)}:", f"```{fence}", _shown(case.code), "```"]
        if case.fixed is not None and case.fixed != case.code:
            out += ["Fixed:", f"```{fence}", _shown(case.fixed), "```"]
    return out + [""]


_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(?:ruleid|ok|todoruleid):")


def _shown(code: str) -> str:
    """A case as documentation: without its test annotations."""
    return "\n".join(ln for ln in code.rstrip("\n").splitlines() if not _ANNOTATION.match(ln))


LANGUAGE_NAMES = {"python": "Python", "r": "R", "php": "PHP", "javascript": "JavaScript / TypeScript",
                  "shell": "Shell (curl, wget)", "ruby": "Ruby", "java": "Java", "perl": "Perl"}
FENCES = {"javascript": "js", "shell": "sh"}


def cmd_rules(output_format: str = "text") -> int:
    from redcaplint.registry import all_rules

    rows = []
    for code, rule in all_rules().items():
        summary = rule.doc_sections().get("What it does", "").split(". ")[0].replace("\n", " ").rstrip(".")
        rows.append({"code": code, "name": rule.name, "severity": rule.severity, "fix": rule.fix,
                     "default": rule.default_enabled, "summary": summary + "."})
    if output_format == "json":
        import json

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r['code']}  {r['name']:<28} {r['severity']:<8} {r['fix']:<10} {r['summary']}")
    return 0


def rules_markdown() -> str:
    """The rule table of README.md, generated from the registry (a test keeps them in sync)."""
    from redcaplint.registry import all_rules

    rows = ["| code | name | severity | fix | what it flags |", "| --- | --- | --- | --- | --- |"]
    for code, rule in all_rules().items():
        summary = rule.doc_sections().get("What it does", "").replace("\n", " ").split(". ")[0]
        rows.append(f"| {code} | {rule.name} | {rule.severity} | {rule.fix} | {summary.rstrip('.')}. |")
    return "\n".join(rows)


def cmd_demo(args) -> int:
    from importlib import resources

    demo = resources.files("redcaplint").joinpath("demo")
    folder = str(demo)
    print(f"redcaplint {__version__}: linting the sample REDCap scripts in {folder}\n", file=sys.stderr)
    ns = argparse.Namespace(paths=[folder], select=None, extend_select=[], ignore=[], output_format="text",
                            statistics=False, config=None, isolated=True, quiet=False,
                            no_color=args.no_color, jobs=1, stdin_filename=None, force_exclude=False,
                            exit_zero=True)
    code = cmd_check(ns)
    return 0 if code in (0, 1) else code


def cmd_check(args) -> int:
    from redcaplint.config import ConfigError, find_config, load
    from redcaplint.registry import enabled, is_valid_selector

    paths = args.paths or ["."]
    output_format = args.output_format or os.environ.get("REDCAPLINT_OUTPUT_FORMAT") or "text"
    if output_format not in FORMATS:
        raise UsageError(f"REDCAPLINT_OUTPUT_FORMAT={output_format!r} is not one of {', '.join(FORMATS)}")
    args.output_format = output_format
    if args.config is not None and args.isolated:
        raise UsageError("--isolated ignores configuration files: it cannot be combined with --config")
    if args.config is not None and not args.config.strip():
        raise UsageError("--config needs a file path")
    try:
        cfg = None
        if args.config:
            cfg = Path(args.config)
            if not cfg.is_file():
                raise UsageError(f"configuration file not found: {args.config}")
        elif not args.isolated:
            start = Path(paths[0]) if paths[0] != "-" else Path.cwd()
            cfg = find_config(start if start.exists() else Path.cwd())
        config = load(cfg)
        _verbose(args, f"configuration: {cfg if cfg is not None else 'none (defaults)'}")
    except ConfigError as exc:
        print(f"redcaplint: error: {exc}", file=sys.stderr)
        return 2
    for sel in (args.select or []) + args.extend_select + args.ignore:
        if not is_valid_selector(sel):
            raise UsageError(f"unknown rule code or prefix {sel!r}")
    select = args.select if args.select is not None else config.select
    select = select + config.extend_select + args.extend_select
    rules = enabled(select, config.ignore + args.ignore)
    exclude = (config.exclude if getattr(args, "exclude", None) is None else args.exclude) \
        + config.extend_exclude + getattr(args, "extend_exclude", [])
    if getattr(args, "show_settings", False):
        return _show_settings(config, rules, exclude)
    if args.jobs < 0:
        raise UsageError("--jobs must be 0 (all cores) or more")
    from redcaplint.files import printable

    from redcaplint import engine

    results = []
    if paths == ["-"]:
        name = printable(args.stdin_filename or "-")
        from redcaplint.frontends import language_of

        # without a name the script is taken for Python, as ruff does
        language = (language_of(name) or "text") if args.stdin_filename else "python"
        from redcaplint.files import MAX_BYTES, Unreadable, decode, read_bounded

        if sys.stdin is None:
            raise UsageError("standard input is closed (`check -` reads the script from it)")
        try:
            text, notice = decode(read_bounded(sys.stdin.buffer, MAX_BYTES))
        except Unreadable as exc:
            raise UsageError(f"{name}: {exc}") from None
        except OSError as exc:
            raise UsageError(f"cannot read standard input: {exc.strerror or exc}") from None
        if text is None:
            raise UsageError(f"{name}: {notice}")
        results.append(engine.lint_safely(text, name, language, config, rules))
    else:
        from redcaplint.files import discover

        missing = [p for p in paths if not os.path.lexists(p)]
        if missing:
            raise UsageError(f"no such file or directory: {printable(missing[0])}")
        targets = [(t.path, t.display, t.language) for t in
                   discover(paths, exclude, config.root, args.force_exclude)]
        if getattr(args, "show_files", False):
            for _, display, language in sorted(targets, key=lambda t: t[1]):
                print(f"{display}\t{language}")
            return 0
        jobs = args.jobs or engine.default_jobs([t[0] for t in targets])
        _verbose(args, f"{len(targets)} file{'s' if len(targets) != 1 else ''} to check, "
                       f"{len(rules)} rules, {jobs} process{'es' if jobs != 1 else ''}")
        progress = None if args.quiet else _progress(len(targets))
        results = list(engine.lint_many(targets, config, rules, jobs, progress))
        if progress:
            progress(0, done=True)

    status = report(results, args)
    _verbose(args, f"done in {time.monotonic() - STARTED:.2f} s")
    return status


STARTED = time.monotonic()
PROGRESS_AFTER = 1.0  # seconds: a run shorter than this shows no progress at all


def _verbose(args, line: str) -> None:
    if getattr(args, "verbose", False):
        print(f"redcaplint: {line}", file=sys.stderr)


def _progress(total: int):
    """A counter on stderr for a run that takes longer than a second, in a terminal; never in
    pipes or CI, and not with --quiet."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    state = {"n": 0, "shown": False, "start": time.monotonic(), "last": 0.0}

    def tick(n: int, done: bool = False) -> None:
        state["n"] += n
        now = time.monotonic()
        if done:
            if state["shown"]:
                sys.stderr.write("\r" + " " * 40 + "\r")
        elif now - state["start"] >= PROGRESS_AFTER and (now - state["last"] >= 0.1 or state["n"] == total):
            state["shown"], state["last"] = True, now
            sys.stderr.write(f"\rlinting {state['n']}/{total} files")
        else:
            return
        sys.stderr.flush()

    return tick


def report(results, args) -> int:
    from redcaplint.files import printable

    findings = sorted((f for r in results for f in r.findings), key=lambda f: f.sort_key())
    skipped = Counter()
    had_error = False
    for r in results:
        if r.skipped is not None:
            skipped[r.skipped] += 1
            had_error = had_error or r.error
            continue
        if r.partial is not None:
            skipped[r.partial] += 1
        if r.notice is None:
            continue
        had_error = had_error or r.error
        print(f"{r.display}: {r.notice}", file=sys.stderr)
    for reason, n in sorted(skipped.items()):
        # once per run, not once per file
        print(f"redcaplint: {n} {reason}", file=sys.stderr)
    if getattr(args, "write_baseline", None):
        from redcaplint.baseline import write_baseline

        write_baseline(args.write_baseline, findings)
        print(f"redcaplint: recorded {len(findings)} finding{'s' if len(findings) != 1 else ''} "
              f"in {printable(args.write_baseline)}", file=sys.stderr)
        return 2 if had_error else 0
    matched = 0
    if getattr(args, "baseline", None):
        from redcaplint.baseline import new_findings

        findings, matched = new_findings(args.baseline, findings)
    status = 2 if had_error else (1 if findings and not getattr(args, "exit_zero", False) else 0)
    color = _use_color(args) and not getattr(args, "output_file", None)
    suppressed = ([f for r in results for f in r.suppressed_findings]
                  if getattr(args, "show_suppressed", False) else [])
    files = [r.display for r in results if r.linted]
    try:
        if getattr(args, "output_file", None):
            _write_report(args.output_file, lambda out: _emit(args, findings, out, color, suppressed, files))
        else:
            _emit(args, findings, sys.stdout, color, suppressed, files)
            sys.stdout.flush()
    except BrokenPipeError:
        # the reader stopped (`| head -1`): the status still says whether there were findings
        silence_stdout()
        return status
    except OSError as exc:  # stdout on a full disk (/dev/full)
        silence_stdout()
        raise UsageError(f"cannot write the report: {exc.strerror or exc}") from None
    if matched:
        print(f"redcaplint: {matched} finding{'s' if matched != 1 else ''} matched the baseline "
              f"{printable(args.baseline)} (not reported)", file=sys.stderr)
    # the summary follows a human report on stdout (ruff's habit) and stays on stdout when the
    # report goes to a file; never inside a document on stdout (JSON, SARIF, …), on stderr
    # beside GitHub's workflow commands, and not at all under the statistics table alone
    to_file = bool(getattr(args, "output_file", None))
    where = sys.stdout if to_file or args.output_format in ("text", "concise") else \
        None if args.output_format in DOCUMENTS else sys.stderr
    if not args.quiet and not args.statistics and where is not None:
        fixable = sum(1 for f in findings if f.fix is not None and f.fix.edits and f.fix.applicability == "safe")
        suppressed = sum(r.suppressed for r in results)
        linted = sum(1 for r in results if r.linted)
        # a file only the token scan read is not a file that passed every check
        scan_only = sum(1 for r in results if r.linted and r.scan_only)
        files_n = f"{linted} file{'s' if linted != 1 else ''}"
        summary = f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} in {files_n}"
        if fixable:
            summary += f" ({fixable} fixable with a safe fix [*])"
        if suppressed:
            summary += f"; {suppressed} suppressed inline"
        if scan_only:
            summary += f"; {scan_only} {'was' if scan_only == 1 else 'were'} read by the token scan only"
        try:
            print(summary + "." if findings or scan_only else f"All checks passed ({files_n}).", file=where)
            where.flush()
        except BrokenPipeError:
            silence_stdout()
    return status


def _show_settings(config, rules, exclude) -> int:
    """The settings in effect, as a `[tool.redcaplint]` table a user can paste."""
    import json

    def toml(value) -> str:
        if isinstance(value, list):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{toml(k)} = {toml(v)}" for k, v in value.items()) + "}"
        if isinstance(value, str):
            return json.dumps(value)
        return f"{value:g}" if isinstance(value, float) else str(value)

    print(f"# configuration: {config.path or '(none: defaults)'}; project root: {config.root}")
    print("[tool.redcaplint]")
    print(f"enabled-rules = {toml([r.code for r in rules])}")
    print(f"exclude = {toml(exclude)}")
    print(f"per-file-ignores = {toml(config.per_file_ignores)}")
    print(f"severity = {toml(config.severity)}")
    print(f"# allowed-tokens: {'set' if config.allowed_tokens else 'none'} (values are never shown)")
    print(f"max-requests-per-minute = {toml(config.max_requests_per_minute)}")
    print(f"large-export-interval-seconds = {toml(config.large_export_interval)}")
    print(f"batch-size-threshold = {config.batch_threshold}")
    return 0


def _emit(args, findings, out, color: bool, suppressed, files=()) -> None:
    from redcaplint.output import formatter
    from redcaplint.output.sarif import TooManyResults

    if args.statistics:  # the table alone, as ruff prints it
        _statistics(findings, out)
        return
    try:
        formatter(args.output_format)(findings, out, color, suppressed=suppressed, files=files)
    except TooManyResults as exc:
        raise UsageError(str(exc)) from None


def _write_report(path: str, emit) -> None:
    """The whole report or nothing: written beside its target, then renamed over it."""
    import tempfile

    from redcaplint.files import printable

    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=".redcaplint-", dir=folder)
    except OSError as exc:
        raise UsageError(f"cannot write {printable(path)}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            from redcaplint.masking import MaskingStream

            masked = MaskingStream(out)
            emit(masked)
            masked.flush()
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {printable(path)}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _statistics(findings, out) -> None:
    counts = Counter((f.code, f.name) for f in findings)
    fix_kind: dict[str, str] = {}
    for f in findings:
        kind = "" if f.fix is None or not f.fix.edits else ("[*]" if f.fix.applicability == "safe" else "[~]")
        fix_kind[f.code] = kind if f.code not in fix_kind or fix_kind[f.code] == kind else "[-]"
    for (code, name), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.write(f"{n:>5}\t{code}\t{fix_kind.get(code, ''):<4}{name}\n")
