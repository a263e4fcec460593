"""Never hang, never crash, never leak (issue 7): one regression test per defect a hostile test
found. File-system cases live in tmp_path; signal cases use a real pool in a subprocess; the
quadratic cases compare doubled inputs (at most ~2.5× the time), never a wall-clock threshold."""
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

GOOD = 'TOKEN = "0123456789ABCDEF0123456789ABCDEF"\n'
FAKE = "DEADBEEF" * 4  # an obviously fake token


def run(*args, cwd=None, env=None, stdin=None, timeout=60, **kw):
    full_env = {k: v for k, v in os.environ.items() if k != "REDCAPLINT_OUTPUT_FORMAT"}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "redcaplint", *args], capture_output=True, cwd=cwd,
                          env=full_env, input=stdin, timeout=timeout, **kw)


def one_line_error(out) -> None:
    err = out.stderr.decode("utf-8", "replace")
    assert out.returncode == 2, (out.returncode, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def ratio(f, small, large) -> float:
    """The best of five timings of f(large) over the best of five of f(small). The cyclic
    collector is paused while timing: its full passes cost the size of the test process's
    heap, not of the input, and made doubled inputs look superlinear."""
    import gc

    def best(x):
        times = []
        for _ in range(5):
            gc.collect()
            gc.disable()
            try:
                t = time.perf_counter()
                f(x)
                times.append(time.perf_counter() - t)
            finally:
                gc.enable()
        return min(times)
    # a superlinear cost shows in every measurement; a noisy neighbour on a shared CI machine
    # in one of them: the lowest of three ratios is reported
    ratios = []
    for _ in range(3):
        ratios.append(best(large) / max(best(small), 1e-6))
        if ratios[-1] < 2.0:
            break
    return min(ratios)


# --- 1, 2: only regular files are read, every read is bounded -----------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")


@needs_fifo
@pytest.mark.parametrize("name", ["pipe.py", "pipe_no_extension"])
def test_fifo_walked_or_named_does_not_block(name, tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    os.mkfifo(tmp_path / name)
    walked = run("check", "--isolated", "--output-format", "concise", str(tmp_path), timeout=30)
    assert walked.returncode == 1 and b"good.py:1:10: RC101" in walked.stdout
    named = run("check", "--isolated", "--output-format", "concise", str(tmp_path / name),
                str(tmp_path / "good.py"), timeout=30)
    assert b"good.py:1:10: RC101" in named.stdout
    if name.endswith(".py"):
        assert b"FIFO" in named.stderr


@needs_fifo
def test_fifo_swapped_in_after_discovery(tmp_path):
    from redcaplint.config import Config
    from redcaplint.engine import lint_file
    from redcaplint.registry import all_rules

    path = tmp_path / "job.py"
    path.write_text(GOOD)  # discovered as a regular file ...
    path.unlink()
    os.mkfifo(path)  # ... and a FIFO by the time it is read
    done = []
    t = threading.Thread(target=lambda: done.append(lint_file(str(path), "job.py", "python", Config(),
                                                              list(all_rules().values()))), daemon=True)
    t.start()
    t.join(10)
    assert done, "reading a FIFO blocked"
    assert "FIFO" in done[0].notice and not done[0].linted


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_device_linked_as_script(device, tmp_path):
    (tmp_path / "good.py").write_text(GOOD)
    os.symlink(device, tmp_path / "x.py")
    out = run("check", "--isolated", "--output-format", "concise", str(tmp_path), timeout=30)
    assert out.returncode == 1 and b"good.py:1:10: RC101" in out.stdout
    assert b"character device" in out.stderr


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_stdin_is_bounded():
    with open("/dev/zero", "rb") as zero:
        out = subprocess.run([sys.executable, "-m", "redcaplint", "check", "-", "--isolated"], stdin=zero,
                             capture_output=True, timeout=60)
    one_line_error(out)
    assert b"larger than" in out.stderr


def test_read_bounded_whatever_the_size_says(tmp_path):
    import io

    from redcaplint.files import Unreadable, read_bounded

    assert read_bounded(io.BytesIO(b"x" * 100), 100) == b"x" * 100
    with pytest.raises(Unreadable):
        read_bounded(io.BytesIO(b"x" * 101), 100)


# --- 3: links to folders outside the checked tree ------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_directory_link_out_of_the_tree_is_not_followed(tmp_path):
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    tree.mkdir()
    outside.mkdir()
    (tree / "good.py").write_text(GOOD)
    (outside / "elsewhere.py").write_text(GOOD)
    os.symlink("/", tree / "root")
    os.symlink(outside, tree / "out")
    (tree / "inner").mkdir()
    (tree / "inner" / "in.py").write_text(GOOD)
    os.symlink(tree / "inner", tree / "inner_link")  # inside the tree: followed, once
    out = run("check", "--isolated", "-q", "--output-format", "concise", str(tree), timeout=60)
    paths = {line.split(":")[0] for line in out.stdout.decode().splitlines()}
    assert paths == {str(tree / "good.py"), str(tree / "inner" / "in.py")}
    # naming the link is how to check what it points to
    named = run("check", "--isolated", "--output-format", "concise", str(tree / "out"), timeout=30)
    assert b"elsewhere.py:1:10: RC101" in named.stdout


# --- 4: R Markdown / Quarto cost is linear in the number of chunks --------------------------------

@pytest.mark.parametrize("chunk", ["```{r}\n```\n", "Prose.\n\n```{r}\nx <- f(1)\nfor (i in ids) y <- g(i)\n```\n"])
def test_rmarkdown_linear_in_chunks(chunk):
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    rules = list(all_rules().values())
    lint = lambda n: lint_text(chunk * n, "doc.qmd", "rmarkdown", Config(), rules)  # noqa: E731
    result = lint(50)
    assert result.linted and not result.findings
    assert ratio(lint, 1000, 2000) < 2.5


def test_php_stream_contexts_linear_in_their_number():
    # each stream_context_create($opts) looks up the array last assigned to $opts: a file of
    # many contexts must not rescan every assignment per context
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    rules = list(all_rules().values())

    def php(n):  # one options array at the top, then n arrays and n contexts made from it
        return ("<?php\n$opts = ['http' => ['method' => 'POST', 'timeout' => 9]];\n"
                + "".join(f"$a{i} = {i};\n$c{i} = stream_context_create($opts);\n" for i in range(n)))

    lint = lambda n: lint_text(php(n), "many.php", "php", Config(), rules)  # noqa: E731
    assert lint(3).linted and not lint(3).findings
    assert ratio(lint, 3000, 6000) < 2.5


@pytest.mark.parametrize("language,helper,call", [
    ("javascript", "function send(p) {{\n  return fetch(URL, {{ method: 'POST', body: new URLSearchParams(p.{chain}) }});\n}}\n",
     "send({{ token: process.env.T, content: 'record' }});\n"),
    ("python", "def send(p):\n    return requests.post(URL, data=p.{chain}, timeout=9)\n",
     "send({{'token': os.environ['T'], 'content': 'record'}})\n"),
])
def test_deep_attribute_chains_cost_their_length(language, helper, call):
    # each level of `p.k0.k1…` resolved its base twice (once as written, once through the
    # caller's argument): a 22-deep chain took minutes. Now a chain twice as long costs about
    # twice as much, not its square or 2^length
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    rules = list(all_rules().values())
    name = "deep.js" if language == "javascript" else "deep.py"

    def source(depth):
        chain = ".".join(f"k{i}" for i in range(depth))
        return helper.format(chain=chain) + call.format() * 5

    lint = lambda depth: lint_text(source(depth), name, language, Config(), rules)  # noqa: E731
    assert lint(3).linted
    assert ratio(lint, 11, 22) < 2.5


def test_many_unawaited_requests_linear_in_their_number():
    # each request started per element and not awaited is a dispatch of its own: finding the
    # dispatch around a call, and which dispatch a finding belongs to, must not compare every
    # pair of them
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    rules = list(all_rules().values())

    def js(n):
        return ("async function one(id) {\n  return fetch(URL, { method: 'POST', body: new URLSearchParams("
                "{ token: process.env.T, content: 'record', records: id }), signal: AbortSignal.timeout(9000) });\n}\n"
                "for (const id of ids) {\n" + "".join(f"  one(id + {i}).then((r) => r.json());\n" for i in range(n)) + "}\n")

    lint = lambda n: lint_text(js(n), "many.js", "javascript", Config(), rules)  # noqa: E731
    assert [f.code for f in lint(3).findings] == ["RC203"] * 3
    assert ratio(lint, 1000, 2000) < 2.5


# --- 5: long lines, many findings on one line -----------------------------------------------------

def test_long_line_check_is_linear():
    from redcaplint.engine import longest_line

    def lines(n):
        return ("x" * 19_996 + "\n") * n

    assert longest_line(lines(3)) == 19_996 and longest_line("") == 0 and longest_line("ab\nabc") == 3
    small, large = lines(200), lines(400)
    assert ratio(longest_line, small, large) < 2.5


def test_a_long_line_makes_code_token_scan_only_but_a_text_file_is_read_as_always():
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    rules = list(all_rules().values())
    line = "x = '" + "a" * 25_000 + "'\nT = 'DEADBEEFDEADBEEFDEADBEEFDEADBEEF'\n"
    code = lint_text(line, "gen.py", "python", Config(), rules)
    assert code.scan_only and "longer than 20000" in code.notice
    assert [f.code for f in code.findings] == ["RC101"]
    text = lint_text(line, "dump.txt", "text", Config(), rules)
    assert not text.scan_only and text.notice is None  # the token scan is all a text file gets
    assert [f.code for f in text.findings] == ["RC101"]


def test_many_findings_on_one_line_print_a_window(tmp_path):
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    rules = list(all_rules().values())

    def line_of(n):
        return "x = [" + ", ".join(f'"{i:08X}' + "ABCDEF01" * 3 + '"' for i in range(n)) + "]\n"

    result = lint_text(line_of(400), "long.py", "python", Config(), rules)
    assert len(result.findings) == 400
    for f in result.findings:
        (shown,) = f.extra["source"]
        assert len(shown) <= 170 and "ABCDEF01ABCDEF01ABCDEF01" not in shown
        start, end = f.extra["caret"]
        assert shown[start:end].count("…") == 1  # the caret is under the masked token
    assert ratio(lambda n: lint_text(line_of(n), "long.py", "python", Config(), rules), 500, 1000) < 2.5


# --- 6: .gitignore matching stays near-linear ----------------------------------------------------

def test_gitignore_many_patterns_near_linear():
    """Matching a path costs about the same against 20,000 or 40,000 patterns (it used to cost
    files × patterns); building the matcher is linear in the patterns."""
    from redcaplint.files import GitIgnore

    def patterns(n):
        return [f"gen_{i}_*.py" for i in range(n)] + [f"lit{i}.R" for i in range(n)] + [f"*_{i}.txt" for i in range(n)]

    built = {n: GitIgnore("/r", patterns(n)) for n in (20_000, 40_000)}

    def match(n):
        for i in range(2000):
            built[n].ignored(f"a/b/file{i}.py", False)

    assert built[40_000].ignored("gen_39999_x.py", False) and built[40_000].ignored("a/q_7.txt", False)
    assert ratio(match, 20_000, 40_000) < 2.5
    assert ratio(lambda n: GitIgnore("/r", patterns(n)), 10_000, 20_000) < 3.0


def test_gitignore_semantics():
    from redcaplint.files import GitIgnore

    g = GitIgnore("/r", ["*.py", "!keep_*.py", "build/", "/top.R", "docs/**/x.R", "**/deep.R", "*.sw[po]",
                         "lit.txt", "# comment", ""])
    cases = {("x.py", False): True, ("sub/keep_1.py", False): False, ("build", True): True,
             ("build", False): None, ("top.R", False): True, ("s/top.R", False): None,
             ("docs/a/b/x.R", False): True, ("docs/x.R", False): True, ("deep.R", False): True,
             ("a/deep.R", False): True, ("a.swp", False): True, ("q/lit.txt", False): True, ("x.R", False): None}
    for (rel, is_dir), expected in cases.items():
        assert g.ignored(rel, is_dir) is expected, rel


def test_nested_gitignores_near_linear(tmp_path):
    """200 nested .gitignore files: each file is matched against its ancestors' compiled
    patterns (as git does), so doubling the files under them doubles the time."""
    from redcaplint.files import discover

    folder = tmp_path / "top"
    for i in range(200):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text(f"ignored_{i}.py\n*.tmp{i}\n/anchored_{i}/x.py\n")
        folder = folder / "n"
    for n in (200, 400):
        (folder / f"f{n}").mkdir(parents=True)
        for i in range(n):
            (folder / f"f{n}" / f"s{i}.py").write_text("x = 1\n")
        (folder / f"f{n}" / "ignored_7.py").write_text("x = 1\n")
    assert len(list(discover([str(folder / "f400")], [], str(tmp_path)))) == 401  # its own walk: no ancestors
    found = [t.path for t in discover([str(tmp_path / "top")], [], str(tmp_path)) if t.path.endswith(".py")]
    assert len(found) == 600 and not any(p.endswith("ignored_7.py") for p in found)
    from redcaplint.files import GitIgnore, _ignored

    chain = [GitIgnore(str(tmp_path / "top" / ("n/" * i)).rstrip("/"), [f"ignored_{i}.py", f"*.tmp{i}"])
             for i in range(200)]
    paths = lambda n: [str(folder / f"f{n}" / f"s{i}.py") for i in range(n)]  # noqa: E731
    assert ratio(lambda ps: [_ignored(p, False, chain) for p in ps], paths(200), paths(400)) < 3.0  # quadratic: 4


# --- 7: --jobs is clamped ------------------------------------------------------------------------

def test_jobs_clamped(tmp_path):
    from redcaplint.engine import MAX_JOBS_PER_CORE, worker_count

    cores = os.cpu_count() or 1
    assert worker_count(10_000, 1_000) == cores * MAX_JOBS_PER_CORE
    assert worker_count(10_000, 3) == min(3, cores * MAX_JOBS_PER_CORE)
    assert worker_count(0, 100) == min(cores, 100)
    for i in range(40):
        (tmp_path / f"s{i}.py").write_text(GOOD)
    out = run("check", "--isolated", "-j", "10000", "--output-format", "concise", str(tmp_path), timeout=120)
    assert out.returncode == 1 and out.stdout.count(b"RC101") == 40


def test_default_jobs_start_no_processes_for_small_runs(tmp_path):
    from redcaplint.engine import SERIAL_BELOW_FILES, default_jobs

    small = []
    for i in range(60):
        (tmp_path / f"s{i}.py").write_text(GOOD)
        small.append(str(tmp_path / f"s{i}.py"))
    assert default_jobs(small) == 1
    assert default_jobs(small * (SERIAL_BELOW_FILES // 60 + 1)) == (os.cpu_count() or 1)


# --- 8: signals -----------------------------------------------------------------------------------

def _slow_tree(tmp_path):
    body = "import requests, time\n" + "".join(
        f"def f{i}(x):\n    return requests.post(URL, data={{'token': T, 'content': 'record'}}, timeout=5)\n"
        for i in range(400))
    for i in range(400):
        (tmp_path / f"s{i:03}.py").write_text(body)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("jobs,delay", [("2", 0.3), ("2", 1.5), ("1", 1.5)])  # pool start-up, pool, serial
@pytest.mark.parametrize("sig,status,word", [(signal.SIGTERM, 143, b"terminated"),
                                              (signal.SIGINT, 130, b"interrupted")])
def test_signal_stops_workers_and_exits(sig, status, word, jobs, delay, tmp_path):
    _slow_tree(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "REDCAPLINT_OUTPUT_FORMAT"}
    proc = subprocess.Popen([sys.executable, "-m", "redcaplint", "check", "--isolated", "-j", jobs, str(tmp_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env)
    time.sleep(delay)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # Ctrl-C: the terminal signals the whole process group
    else:
        proc.send_signal(sig)
    # communicate() returns only when every process holding stdout (workers included) is gone
    out, err = proc.communicate(timeout=20)
    if proc.returncode in (0, 1):
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == status, err
    assert b"Traceback" not in err
    assert err.strip().splitlines()[-1] == b"redcaplint: " + word


# --- 9: every uncaught exception is one line and exit 2 -------------------------------------------

@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names must be bytes-clean")
def test_non_utf8_file_name(tmp_path):
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / name).write_text(GOOD)
    out = run("check", "--isolated", "--output-format", "concise", str(tmp_path),
              env={"PYTHONIOENCODING": "utf-8"})
    assert out.returncode == 1, out.stderr
    assert b"caf\\xe9.py:1:10: RC101" in out.stdout


def test_invalid_output_format_env(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    out = run("check", str(tmp_path), env={"REDCAPLINT_OUTPUT_FORMAT": "xml_" + FAKE})
    one_line_error(out)
    assert b"REDCAPLINT_OUTPUT_FORMAT" in out.stderr and FAKE.encode() not in out.stderr


@pytest.mark.parametrize("file,text", [
    ("redcaplint.toml", "tool = 1\n"),
    ("redcaplint.toml", '[tool]\nredcaplint = "x"\n'),
    ("pyproject.toml", "tool = 1\n"),
    ("pyproject.toml", '[tool]\nredcaplint = "x"\n'),
    ("redcaplint.toml", "batch-size-threshold = inf\n"),
    ("redcaplint.toml", "batch-size-threshold = nan\n"),
    ("redcaplint.toml", "batch-size-threshold = 2.5\n"),
    ("redcaplint.toml", "max-requests-per-minute = nan\n"),
    ("redcaplint.toml", "large-export-interval-seconds = nan\n"),
    ("redcaplint.toml", "large-export-interval-seconds = inf\n"),
    ("redcaplint.toml", "x = " + "[" * 10_000 + "]" * 10_000 + "\n"),
])
def test_bad_configuration_shapes(file, text, tmp_path):
    (tmp_path / file).write_text(text)
    (tmp_path / "a.py").write_text("x = 1\n")
    one_line_error(run("check", "a.py", cwd=tmp_path))


def test_stdout_closed(tmp_path):
    (tmp_path / "a.py").write_text(GOOD)
    out = subprocess.run(f'"{sys.executable}" -m redcaplint check --isolated a.py >&-', shell=True, cwd=tmp_path,
                         capture_output=True, timeout=60)
    one_line_error(out)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_stdout_on_full_disk(tmp_path):
    (tmp_path / "a.py").write_text(GOOD)
    out = subprocess.run(f'"{sys.executable}" -m redcaplint check --isolated a.py > /dev/full', shell=True,
                         cwd=tmp_path, capture_output=True, timeout=60)
    one_line_error(out)
    assert b"No space" in out.stderr


def test_stdin_closed(tmp_path):
    out = subprocess.run(f'"{sys.executable}" -m redcaplint check --isolated - <&-', shell=True, cwd=tmp_path,
                         capture_output=True, timeout=60)
    one_line_error(out)


@pytest.mark.parametrize("content,status", [(GOOD * 200, 1), ("x = 1\n", 0)])
def test_head_keeps_the_findings_status(content, status, tmp_path):
    (tmp_path / "a.py").write_text(content)
    out = subprocess.run(f'"{sys.executable}" -m redcaplint check --isolated --output-format concise a.py | head -1;'
                         ' exit "${PIPESTATUS[0]}"', shell=True, executable="/bin/bash", cwd=tmp_path,
                         capture_output=True, timeout=60)
    assert out.returncode == status, out.stderr
    assert b"Traceback" not in out.stderr and b"Exception ignored" not in out.stderr


# --- 10: bad values are errors, never silently accepted --------------------------------------------

@pytest.mark.parametrize("args", [["--select", ""], ["--select", ",,,"], ["--ignore", ","], ["--config", ""],
                                  ["--isolated", "--config", "/missing.toml"], ["-j", "many"]])
def test_bad_cli_values(args, tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    one_line_error(run("check", *args, "a.py", cwd=tmp_path))


# --- 11, 12: no whole token in anything printed ------------------------------------------------------

def _plant(place: str, token: str, tmp_path):
    """(args, stdin, cwd) of a run with `token` in one user-controlled string."""
    script = tmp_path / "job.py"
    script.write_text("x = 1\n")
    if place == "directory":
        d = tmp_path / f"proj_{token}"
        d.mkdir(exist_ok=True)
        (d / "bad.py").write_text("print(1\n")
        return ["check", "--isolated", str(d)], None
    if place == "file name":
        p = tmp_path / f"{token}.py"
        p.write_text("print(1\n")
        return ["check", "--isolated", "--output-format", "json", str(p)], None
    if place == "stdin filename":
        return ["check", "--isolated", "-", "--stdin-filename", f"{token}.py"], b"print(1\n"
    if place == "stdin filename, unsupported":  # only the token scan reads it: a finding shows the name
        return ["check", "--isolated", "-", "--stdin-filename", f"{token}.php"], b'<?php $token = "CAFEBABECAFEBABECAFEBABECAFEBABE";\n'

    if place == "missing path":
        return ["check", "--isolated", str(tmp_path / token)], None
    if place == "missing config":
        return ["check", "--config", str(tmp_path / f"{token}.toml"), str(script)], None
    if place == "select":
        return ["check", "--select", token, str(script)], None
    if place == "output format":
        return ["check", "--output-format", token, str(script)], None
    if place == "jobs":
        return ["check", "-j", token, str(script)], None
    if place == "unknown option":
        return ["check", f"--{token}", str(script)], None
    if place == "subcommand":
        return [token], None
    if place == "rule":
        return ["rule", token], None
    if place in ("config key", "config value", "per-file-ignores pattern", "config path", "severity code"):
        folder = tmp_path / (f"cfg_{token}" if place == "config path" else "cfg")
        folder.mkdir(exist_ok=True)
        body = {"config key": f'{token} = 1\n', "config value": f'select = ["{token}"]\n',
                "per-file-ignores pattern": f'[per-file-ignores]\n"{token}" = ["RC999"]\n',
                "config path": 'select = ["RC999"]\n', "severity code": f'[severity]\n{token} = "error"\n'}[place]
        (folder / "redcaplint.toml").write_text(body)
        (folder / "a.py").write_text("x = 1\n")
        return ["check", str(folder / "a.py")], None
    raise AssertionError(place)


PLACES = ["directory", "file name", "stdin filename", "stdin filename, unsupported", "missing path",
          "missing config", "select", "output format", "jobs", "unknown option", "subcommand", "rule", "config key",
          "config value", "per-file-ignores pattern", "config path", "severity code"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES),
       token=st.text(alphabet="0123456789ABCDEF", min_size=32, max_size=32).filter(lambda t: len(set(t)) > 4),
       lower=st.booleans())
def test_planted_token_never_printed(place, token, lower, tmp_path):
    token = token.lower() if lower else token
    args, stdin = _plant(place, token, tmp_path)
    out = run(*args, stdin=stdin, cwd=tmp_path, timeout=60)
    both = out.stdout + out.stderr
    assert token.encode() not in both, (place, both[:500])
    assert token[:4].encode() + "…".encode() + token[-4:].encode() in both or out.returncode in (0, 2), place
    assert b"Traceback" not in out.stderr


@pytest.mark.parametrize("place", PLACES)
def test_each_place_is_masked(place, tmp_path):
    args, stdin = _plant(place, FAKE, tmp_path)
    out = run(*args, stdin=stdin, cwd=tmp_path, timeout=60)
    both = out.stdout + out.stderr
    assert FAKE.encode() not in both, (place, both[:500])
    assert b"DEAD\xe2\x80\xa6BEEF" in both, (place, both[:500])  # said, masked
    assert b"Traceback" not in out.stderr


def test_a_grammar_that_never_returns_is_killed(tmp_path):
    """tree-sitter-perl's scanner loops for ever on some broken input (this heredoc-like
    `<<w{`), inside C where no parser timeout reaches: the file is parsed in a child process
    that is killed at the deadline; the file gets RC001 and the run goes on to the next one."""
    (tmp_path / "hangs.pl").write_text("    a<<w{b   => 'c',\nprint $d;")
    (tmp_path / "fine.pl").write_text("my $t = 'DEADBEEFDEADBEEFDEADBEEFDEADBEEF';\n")
    out = run("check", "--isolated", "--output-format", "concise", "hangs.pl", "fine.pl", cwd=tmp_path,
              env={"REDCAPLINT_PARSE_TIMEOUT": "1"}, timeout=60)
    text = out.stdout.decode()
    assert out.returncode == 1, out.stderr
    assert "hangs.pl:1:1: RC001" in text and "did not finish parsing" in text
    assert "fine.pl:1:10: RC101" in text


def test_an_orphaned_parse_child_ends_at_its_own_deadline(tmp_path):
    """Killed outright (SIGKILL, with its pool), the linter cannot kill its parse child; the
    child's own alarm ends it, even stuck inside the grammar's C code."""
    (tmp_path / "hangs.pl").write_text("    a<<w{b   => 'c',\nprint $d;")
    env = {**os.environ, "REDCAPLINT_PARSE_TIMEOUT": "1", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "redcaplint", "check", "--isolated", "hangs.pl"], cwd=tmp_path,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    children: list = []
    deadline = time.monotonic() + 10
    while not children and time.monotonic() < deadline:  # the child the linter forks to parse
        time.sleep(0.1)
        children = [p for p in os.listdir("/proc") if p.isdigit() and _ppid(p) == proc.pid]
    assert children, "no parse child was seen"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while children and time.monotonic() < deadline:
        children = [c for c in children if _alive(c)]
        time.sleep(0.2)
    assert not children, "a parse child outlived its deadline"


def _stat(pid: str) -> list:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _ppid(pid: str) -> int:
    fields = _stat(pid)
    return int(fields[1]) if len(fields) > 1 else -1


def _alive(pid: str) -> bool:
    fields = _stat(pid)
    return bool(fields) and fields[0] != "Z"
