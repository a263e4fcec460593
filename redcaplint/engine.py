"""Lint one file: read → front end → resolve → enabled rules → suppress → mask. Never raises:
a file that breaks the linter becomes a one-line notice and the run goes on. Many files are
linted in a pool of processes, in chunks, so per-file overhead stays small."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Optional

from redcaplint.config import Config
from redcaplint.findings import Edit, Finding, Fix
from redcaplint.frontends import front_end, has_front_end
from redcaplint import isolate
from redcaplint.model import Script, Span, SyntaxProblem
from redcaplint.source import Document
from redcaplint.tokens import mask, mask_keeping


MAX_ANALYSED_CHARS = 2_000_000
MAX_LINE_CHARS = 20_000
# a snippet shows a window of its line around the finding (ruff does too): a finding on a
# minified 2 MB line must not print the whole line, once per finding
SNIPPET_BEFORE = 60
SNIPPET_WIDTH = 160
SNIPPET_LINES = 5


@dataclass
class FileResult:
    display: str
    findings: list[Finding] = field(default_factory=list)
    notice: Optional[str] = None
    error: bool = False  # an internal error (exit 2)
    skipped: Optional[str] = None  # why a whole language was skipped (said once per run)
    suppressed: int = 0
    suppressed_findings: list[Finding] = field(default_factory=list)  # for SARIF's --show-suppressed
    linted: bool = False  # the file was read and analysed (perhaps by the token scan only)
    partial: Optional[str] = None  # why only the token scan ran on this language (said once per run)
    scan_only: bool = False  # code only the token scan read: never summarised as passed


def longest_line(text: str, start: int = 0, end: Optional[int] = None) -> int:
    """The longest line of text[start:end]: one split at the line breaks, in C (linear; a
    regex searched from every offset is not)."""
    return max(map(len, text[start:end].split("\n")))


def _token_scan_only(fe, source: Document) -> Optional[str]:
    """Why this file's code gets only the token scan, or None. Generated, minified or data
    files: the token scan reads text linearly, and a model of them would not pay (a person
    does not write a 20,000-character line of API calls). What would be modelled is the code
    (a notebook's outputs — an embedded image is one long line — and R Markdown's prose are
    only scanned anyway), and a text file needs no reason: the token scan is all it gets."""
    if fe.LANGUAGE == "text":
        return None
    code, regions = source.code_text, [(r.start, r.end) for r in source.code_regions()]
    if sum(end - start for start, end in regions) > MAX_ANALYSED_CHARS:
        return f"larger than {MAX_ANALYSED_CHARS // 1_000_000} MB"
    if any(longest_line(code, start, end) > MAX_LINE_CHARS for start, end in regions):
        return f"a line longer than {MAX_LINE_CHARS} characters"
    if getattr(fe, "ISOLATED", False) and not isolate.available():
        return "its grammar is only run in a child process, which needs os.fork"
    return None


def lint_text(text: str, display: str, language: str, config: Config, rules: list,
              hung: bool = False) -> FileResult:
    from redcaplint.resolve import Facts, analyse
    from redcaplint.rule import RuleContext
    from redcaplint.suppress import directives, removal, suppressing

    fe = front_end(language)
    if not hung and isolate.wanted(fe):
        # a grammar that may loop for ever (isolate.py): the file is linted in a child process
        # that is killed at the deadline; what comes back is the result, a few findings
        try:
            return isolate.run(language, lint_text, text, display, language, config, rules,
                               warm=lambda: fe.build(Document(display, "")))
        except isolate.Hung:
            return lint_text(text, display, language, config, rules, hung=True)
    source = fe.document(display, text) if hasattr(fe, "document") else Document(display, text)
    if fe.LANGUAGE == "text":
        from redcaplint.frontends.text import RULES as TEXT_RULES

        rules = [r for r in rules if r.code in TEXT_RULES]
    result = FileResult(display, linted=True)
    why = _token_scan_only(fe, source)
    if why is not None:
        built = Script(source, language)
        result.notice, result.scan_only = f"{why}: only the token scan (RC101) ran", True
        rules = [r for r in rules if r.code in ("RC101", "RC002")]
    elif hung:
        built = Script(source, language, syntax_error=SyntaxProblem(
            0, f"the {language} grammar did not finish parsing in {isolate.timeout():g} s (its scanner "
               "loops on some broken input, e.g. an unterminated heredoc)"))
    else:
        built = fe.build(source)
    scripts = built if isinstance(built, list) else [built]
    if source.partial and result.notice is None:
        result.notice, result.scan_only = source.partial, True
    raw: list[tuple] = []

    def report(rule, span: Span, message: str, fix: Optional[Fix] = None) -> None:
        raw.append((rule, span, message, fix))

    for script in scripts:
        if script.syntax_error is None:
            facts, active = analyse(script), rules
        else:
            # what does not parse gets RC001 and the text-level token scan only
            facts = Facts.empty(script)
            active = [r for r in rules if r.code in ("RC001", "RC101")]
        ctx = RuleContext(script, facts, facts.analysis, config, report)
        for rule_cls in active:
            rule_cls(ctx).check()

    from redcaplint.registry import all_rules, is_valid_selector

    table = directives(source, language, is_valid_selector)
    ignored = config.ignored_for(display)
    seen = set()

    def add(rule, span: Span, message: str, fix: Optional[Fix], into: Optional[list] = None) -> None:
        if source.cells and fix is not None and fix.edits:
            # edits are offsets into the document's text, which is not the notebook file's
            # (JSON): the fix is described, not offered as edits
            fix = Fix("suggestion", fix.description)
        where = source.locate(span.start)
        end = source.locate(span.end) if span.end != span.start else where
        if end.cell != where.cell or end.cell_type != where.cell_type:
            end = where  # a span never reaches into another cell as a user sees it
        line, col, end_line, end_col = where.line, where.column, end.line, end.column
        shown = (rule.code, where, message)
        if shown in seen:
            return  # the same token twice in one notebook output: one finding where it is shown
        seen.add(shown)
        finding = Finding(rule.code, rule.name, config.severity.get(rule.code, rule.severity), display,
                          line, col, end_line, end_col, message, fix, span.start, span.end, where.cell,
                          cell_type=where.cell_type)
        # the snippet is cut from the document's own lines (a notebook's cell lines are not)
        (dl, dc), (del_, dec) = source.line_col(span.start), source.line_col(max(span.start, span.end))
        finding.extra["source"], finding.extra["caret"] = snippet(source, dl, dc, del_, dec)
        # the fingerprint's text: the anchor line around the finding (a window, so a line with
        # a thousand findings costs a thousand windows, not a thousand copies of the line)
        lo = max(source.line_start(dl), span.start - 120)
        finding.extra["anchor"] = source.text[lo:span.start + 120].split("\n", 1)[0]
        if fix is not None and fix.edits:
            # the edits' positions as line/column ranges (SARIF's replacements)
            finding.extra["edit_regions"] = [source.line_col(e.start) + source.line_col(e.end) for e in fix.edits]
        (result.findings if into is None else into).append(_masked(finding))

    def is_ignored(code: str) -> bool:
        return bool(ignored) and any(code.startswith(c) or c == "ALL" for c in ignored)

    for rule, span, message, fix in raw:
        if is_ignored(rule.code):
            continue
        key = (rule.code, span.start, span.end)
        if key in seen:
            continue
        seen.add(key)
        # directives are matched by the document's own lines (in a notebook a cell's line 1
        # is not the document's): both sides count them the same way
        if table and suppressing(table, rule.code, source.line_col(span.start)[0]) is not None:
            result.suppressed += 1
            add(rule, span, message, fix, result.suppressed_findings)
            continue
        add(rule, span, message, fix)
    # the suppressions themselves (never suppressible inline)
    codes = {r.code for r in rules if not is_ignored(r.code)}
    known = all_rules()
    if "RC002" in codes:
        for d in table:
            if d.problem is not None:
                add(known["RC002"], d.span, f"Invalid suppression: {d.problem}; it suppresses nothing", None)
    # an unused directive is known only where every rule ran on a parsed script
    complete = result.notice is None and all(s.syntax_error is None for s in scripts)
    if "RC003" in codes and complete:
        for d in table:
            if d.problem is None and not d.used and (d.codes is None or all(
                    any(c.startswith(p) for c in codes) for p in d.codes)):
                start, end = removal(source, d)
                add(known["RC003"], d.span, "Unused suppression: it suppressed nothing in this run",
                    Fix("safe", "Remove the unused suppression", (Edit(start, end, ""),)))
    result.findings.sort(key=Finding.sort_key)
    fingerprint(result.findings + sorted(result.suppressed_findings, key=Finding.sort_key), _root_relative(display, config))
    return result


def _root_relative(display: str, config: Config) -> str:
    """The path as seen from the project root (where the configuration is), so a baseline
    matches whichever folder the run starts from."""
    root = getattr(config, "root", None)
    if not root or display == "-":
        return display.replace(os.sep, "/")
    try:
        rel = os.path.relpath(os.path.abspath(display), os.path.abspath(root))
    except ValueError:  # another drive (Windows)
        return display.replace(os.sep, "/")
    return (display if rel.startswith("..") else rel).replace(os.sep, "/")


def fingerprint(findings: list[Finding], path: str) -> None:
    """One identity per finding that survives unrelated edits: the rule, the path, the masked
    text of the anchor line without its whitespace, and its index among identical ones (not
    the line number, so moving code does not make old findings new). Computed once, here;
    baselines, SARIF's partialFingerprints and GitLab's fingerprint all read it."""
    import hashlib

    count: dict[tuple, int] = {}
    for f in findings:
        text = "".join(mask(f.extra.get("anchor", "")).split())
        key = (f.code, path, text)
        n = count[key] = count.get(key, -1) + 1
        # 20 hex digits: never the length of a token (32/64), so no output masks it
        f.fingerprint = hashlib.sha256("\0".join((*key, str(n))).encode("utf-8", "surrogatepass")).hexdigest()[:20]
        f.extra.pop("anchor", None)


def snippet(source: Document, line: int, col: int, end_line: int, end_col: int) -> tuple[list[str], tuple[int, int]]:
    """Masked lines around a finding, each cut to the same window of columns, and where the
    caret goes on the first one. The window is masked with a token's width of context on both
    sides, so a token cut by the window's edge is never shown unmasked."""
    text = source.text
    lo = max(0, col - 1 - SNIPPET_BEFORE)
    hi = lo + SNIPPET_WIDTH
    lines, caret = [], (0, 0)
    for n in range(line, min(end_line, line + SNIPPET_LINES - 1) + 1):
        start = source.line_start(n)
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        if stop > start and text[stop - 1] == "\r":
            stop -= 1
        a, b = min(start + lo, stop), min(start + hi, stop)
        ctx_a, ctx_b = max(start, a - 64), min(stop, b + 64)
        first = n == line
        c0 = start + col - 1
        c1 = start + end_col - 1 if end_line == line else b
        marks = (a - ctx_a, b - ctx_a) + ((min(max(c0, a), b) - ctx_a, min(max(c1, a), b) - ctx_a) if first else ())
        masked, moved = mask_keeping(text[ctx_a:ctx_b], marks)
        head = "…" if a > start else ""
        tail = "…" if b < stop else ""
        # masked again once cut: a longer hex run cut by the window's edge must not show a
        # token-shaped piece either
        lines.append(mask(head + masked[moved[0]:moved[1]] + tail))
        if first:
            caret = (len(head) + moved[2] - moved[0], len(head) + moved[3] - moved[0])
    return lines, caret


def _masked(f: Finding) -> Finding:
    """Nothing leaves the engine with a whole token in it (the output streams mask again)."""
    f.message = mask(f.message)
    if f.fix is not None:
        f.fix = Fix(f.fix.applicability, mask(f.fix.description),
                    tuple(Edit(e.start, e.end, mask(e.content)) for e in f.fix.edits))
    return f


def lint_file(path: str, display: str, language: Optional[str], config: Config, rules: list) -> FileResult:
    from redcaplint.files import read_text

    text, notice = read_text(path)
    if text is None:
        if language == "text" and notice and notice.startswith("binary"):
            return FileResult(display)  # a walked binary file is not a text file: not selected
        return FileResult(display, notice=notice)
    result = lint_safely(text, display, language, config, rules)
    if not has_front_end(language):
        result.partial = f"{language} files: only the token scan (RC101) ran; the {language} front end is not written yet"
        result.scan_only = True
    if notice and result.notice is None:
        result.notice = notice
    return result


def lint_safely(text: str, display: str, language: str, config: Config, rules: list) -> FileResult:
    from redcaplint.frontends._grammars import GrammarUnavailable

    try:
        return lint_text(text, display, language, config, rules)
    except GrammarUnavailable as exc:
        # never counted as passed: said once per run, and the run exits 2
        return FileResult(display, skipped=f"files not linted: {exc}", error=True)
    except Exception as exc:  # noqa: BLE001 - any error in one file; signals (BaseException) pass
        message = mask(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return FileResult(display, notice=f"internal error, file skipped: {type(exc).__name__}: {message[:200]}",
                          error=True)


# --- many files ------------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(config: Config, codes: list[str]) -> None:
    import signal

    from redcaplint.registry import all_rules

    # Ctrl-C reaches the whole process group: the main process alone answers it (one line,
    # exit 130) and stops the workers; a worker forked from the main process must not inherit
    # its SIGTERM handler either. The signals were blocked while forking (see lint_many).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    rules = all_rules()
    _quiet_gc()
    _WORKER["config"] = config
    _WORKER["rules"] = [rules[c] for c in codes]


def _lint_chunk(chunk: list[tuple[str, str, Optional[str]]]) -> list[FileResult]:
    return [lint_file(p, d, lang, _WORKER["config"], _WORKER["rules"]) for p, d, lang in chunk]


def _quiet_gc() -> None:
    """Linting allocates many small, short-lived, acyclic objects (the model is a tree and is
    freed by reference counting): the cyclic collector's frequent passes only cost time
    (about 10% measured). Collect rarely instead of never."""
    import gc

    gc.freeze()
    gc.set_threshold(200_000, 50, 100)


MAX_JOBS_PER_CORE = 2
# Starting a pool costs about as much as linting a few hundred small scripts in one process
# (measured: 58 files were 17% slower with two processes than with one): the default --jobs
# uses one process below this much work.
SERIAL_BELOW_FILES = 300
SERIAL_BELOW_BYTES = 4 * 1024 * 1024


def default_jobs(paths: list[str]) -> int:
    """All cores when the run is big enough to pay for the processes, else one."""
    if len(paths) < SERIAL_BELOW_FILES:
        total = 0
        for p in paths:
            try:
                total += os.stat(p).st_size
            except OSError:
                pass
            if total >= SERIAL_BELOW_BYTES:
                break
        if total < SERIAL_BELOW_BYTES:
            return 1
    return os.cpu_count() or 1


def worker_count(requested: int, chunks: int) -> int:
    """Processes worth starting: never more than there are chunks of work, nor more than a
    small multiple of the cores (`-j 10000` must not fork thousands of processes)."""
    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, cores * MAX_JOBS_PER_CORE, chunks))


def lint_many(targets: list[tuple[str, str, Optional[str]]], config: Config, rules: list, jobs: int,
              progress=None) -> Iterable[FileResult]:
    """Yield results in the order of `targets`. One process per core when it pays off. On
    Ctrl-C or SIGTERM (raised in this thread) the workers are terminated, not waited for."""
    _quiet_gc()
    if jobs <= 1 or len(targets) < 16:
        for t in targets:
            res = lint_file(*t, config, rules)
            if progress:
                progress(1)
            yield res
        return
    import multiprocessing

    size = max(8, min(64, len(targets) // (jobs * 4) or 1))
    chunks = [targets[i:i + size] for i in range(0, len(targets), size)]
    codes = [r.code for r in rules]
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    pool = _start_pool(ctx, worker_count(jobs, len(chunks)), config, codes)
    try:
        for results in pool.imap(_lint_chunk, chunks):
            if progress:
                progress(len(results))
            yield from results
    except BaseException:
        # Ctrl-C, SIGTERM, a closed pipe: kill the workers outright. Pool.terminate() waits on
        # the pool's helper threads, which an interrupt can leave holding a lock (seen hanging
        # on CPython 3.13); the caller exits right after.
        for proc in list(getattr(pool, "_pool", ())):
            try:
                proc.kill()
            except (OSError, ValueError, AttributeError):
                pass
        raise
    pool.close()
    pool.join()


def _start_pool(ctx, processes: int, config: Config, codes: list[str]):
    """A pool whose workers are forked with SIGINT/SIGTERM blocked, so a signal that arrives
    while they start cannot kill one before it has set its own handlers."""
    import signal

    mask = getattr(signal, "pthread_sigmask", None)
    blocked = {signal.SIGINT, signal.SIGTERM}
    if mask:
        mask(signal.SIG_BLOCK, blocked)
    try:
        return ctx.Pool(processes, initializer=_init_worker, initargs=(config, codes))
    finally:
        if mask:
            mask(signal.SIG_UNBLOCK, blocked)
