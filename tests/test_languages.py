"""Language coverage: where a grammar cannot load, its files are never counted as passed (one
message per run, exit 2); R Markdown positions are those of the whole document; grammars load
once per process, through py-tree-sitter."""
import json
import os
import subprocess
import sys

import pytest

TOKEN = "0123456789ABCDEF0123456789ABCDEF"


def run(args, env=None, cwd=None):
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "redcaplint", "check", "--isolated", *args],
                          capture_output=True, text=True, env=full, cwd=cwd)


def test_r_not_passed_without_grammar(tmp_path):
    (tmp_path / "a.py").write_text(f'TOKEN = "{TOKEN}"\n')
    for name in ("b.R", "c.R"):
        (tmp_path / name).write_text('token <- Sys.getenv("T")\n')
    (tmp_path / "d.Rmd").write_text('```{r}\ntoken <- Sys.getenv("T")\n```\n')
    out = run(["--output-format", "concise", "-j", "1", str(tmp_path)],
              env={"REDCAPLINT_GRAMMAR_R": str(tmp_path / "missing.so")})
    assert out.returncode == 2
    assert "a.py:1:10: RC101" in out.stdout  # the other files are still linted
    said = [ln for ln in out.stderr.splitlines() if "not linted" in ln]
    assert len(said) == 1 and "no r grammar" in said[0] and "REDCAPLINT_GRAMMAR_R" in said[0], out.stderr
    assert "3 files not linted" in said[0]
    assert "Traceback" not in out.stderr and "panic" not in out.stderr.lower()


def test_r_findings_with_grammar(tmp_path):
    (tmp_path / "a.R").write_text(f'token <- "{TOKEN}"\nfor (i in ids) REDCapR::redcap_read_oneshot(redcap_uri = u, token = token)\n')
    out = run(["--output-format", "json", str(tmp_path / "a.R")])
    codes = sorted((f["line"], f["code"]) for f in json.loads(out.stdout))
    assert codes == [(1, "RC101"), (2, "RC201"), (2, "RC401"), (2, "RC402")]


def test_rmd_lines_are_document_lines(tmp_path):
    doc = "---\ntitle: x\n---\n\nSome prose.\n\n```{r}\nx <- 1\ntoken <- \"" + TOKEN + "\"\n```\n"
    (tmp_path / "r.Rmd").write_text(doc)
    out = run(["--output-format", "json", str(tmp_path / "r.Rmd")])
    assert [(f["code"], f["line"]) for f in json.loads(out.stdout)] == [("RC101", 9)]


def test_grammar_loaded_once():
    from redcaplint.frontends import _grammars

    assert _grammars.ensure("r") is None
    assert _grammars.parser("r") is _grammars.parser("r")  # one parser per process
    assert _grammars.parser("r").parse(b"x <- 1").root_node.type == "program"


@pytest.mark.parametrize("name,code", [("python", b"x = 1\n"), ("r", b"x <- 1\n"), ("php", b"<p><?php echo 1; ?></p>"),
                                       ("bash", b"curl -sS $U\n"), ("javascript", b"await fetch(u);\n"),
                                       ("typescript", b"const x: number = 1;\n"), ("tsx", b"const e = <a/>;\n"),
                                       ("ruby", b"sleep 1\n"),
                                       ("java", b"class A { void f() { int x = 1; } }\n")])
def test_every_grammar_loads_from_its_wheel(name, code):
    """Every grammar the front ends use or will use comes from a wheel, on every supported
    Python, with no download: each loads and parses a line without an error."""
    from redcaplint.frontends import _grammars

    tree = _grammars.parser(name).parse(code)
    assert not tree.root_node.has_error, (name, str(tree.root_node))


def test_grammar_override_from_a_library(tmp_path):
    """REDCAPLINT_GRAMMAR_<LANG> loads a plain grammar library (ctypes), for platforms
    without a wheel; a library that cannot load is a one-line reason, not a crash."""
    from redcaplint.frontends import _grammars

    bad = tmp_path / "libnot-a-grammar.so"
    bad.write_bytes(b"not an ELF file")
    with pytest.raises(_grammars.GrammarUnavailable, match="REDCAPLINT_GRAMMAR"):
        os.environ["REDCAPLINT_GRAMMAR_FAKELANG"] = str(bad)
        try:
            _grammars.language("fakelang")
        finally:
            del os.environ["REDCAPLINT_GRAMMAR_FAKELANG"]


def test_non_ascii_columns_are_characters(tmp_path):
    """py-tree-sitter gives byte offsets; reported columns are characters."""
    (tmp_path / "a.py").write_text(f'# café ünïcode\nx = "é"; TOKEN = "{TOKEN}"\n')
    (tmp_path / "b.R").write_text(f'# café\nx <- "é"; token <- "{TOKEN}"\n')
    out = run(["--output-format", "json", str(tmp_path)])
    found = {(f["path"].rsplit("/", 1)[-1], f["line"], f["column"]) for f in json.loads(out.stdout)}
    assert ("a.py", 2, 19) in found and ("b.R", 2, 21) in found, found


COMMENTED_ARGUMENTS = {
    "a.py": 'import requests\nrequests.post(\n    # endpoint\n    URL,\n    data={"token": T,  # inline\n          # c\n          "content": "record"})\n',
    "a.R": 'httr::POST(\n  # endpoint\n  url,\n  body = list(token = t, # inline\n              content = "record"))\n',
    "a.php": "<?php\n$d = array(\n  // c\n  'token' => $t, # inline\n  'content' => 'record');\n$ch = curl_init(/* url */ $url);\ncurl_setopt($ch, /* o */ CURLOPT_POSTFIELDS, $d);\ncurl_exec($ch);\n",
    "a.js": "fetch(\n  // endpoint\n  url,\n  { method: 'POST', /* c */ body: new URLSearchParams({ token, // t\n    content: 'record' }) });\n",
    "a.rb": "require 'curl'\nf = { token: ENV['T'], content: 'record' }\nCurl::Easy.http_post(\n  # endpoint\n  ENV['U'], f.collect { |k, v| Curl::PostField.content(k.to_s, v) })\n",
    "A.java": 'class A { void f() throws Exception {\n  HttpPost post = new HttpPost(/* url */ c.API_URL);\n  List<NameValuePair> params = new ArrayList<NameValuePair>();\n  params.add(new BasicNameValuePair(/* k */ "token", c.API_TOKEN));\n  params.add(new BasicNameValuePair("content", "record"));\n  post.setEntity(new UrlEncodedFormEntity(params));\n  client.execute(post);\n} }\n',
}


@pytest.mark.parametrize("name", sorted(COMMENTED_ARGUMENTS))
def test_comments_are_never_arguments(name, tmp_path):
    """Every grammar keeps comments as named children; a comment inside an argument list or a
    payload must not shift the arguments (the request is still an unrestricted export)."""
    (tmp_path / name).write_text(COMMENTED_ARGUMENTS[name])
    out = run(["--output-format", "json", name], cwd=tmp_path)
    codes = {f["code"] for f in json.loads(out.stdout)}
    assert "RC401" in codes, out.stdout + out.stderr


@pytest.mark.parametrize("name,code", [
    # Babel accepts a bare `>`, `}` or `&` in JSX text; tree-sitter-javascript does not
    ("page.jsx", "const A = () => (\n  <p>\n    Setup -> Data Dictionary -> Download & save }\n  </p>\n);\n"),
    # POSIX `for i do` (every gradlew has one); the grammar reads only `for i; do`
    ("gradlew.sh", 'save () {\n    for i do printf %s\\\\n "$i" ; done\n}\nfor  x  do echo "$x"; done\n'),
])
def test_what_the_language_accepts_but_its_grammar_rejects_is_not_rc001(name, code, tmp_path):
    from redcaplint.config import Config
    from redcaplint.engine import lint_text
    from redcaplint.registry import all_rules

    language = "javascript" if name.endswith(".jsx") else "shell"
    result = lint_text(code, name, language, Config(), list(all_rules().values()))
    assert [f.code for f in result.findings] == []
    # a real error is still one, and positions stay the text's own
    broken = lint_text(code + "const B = (\n" if language == "javascript" else code + "if then\n",
                       name, language, Config(), list(all_rules().values()))
    assert [f.code for f in broken.findings] == ["RC001"]
    if language == "javascript":  # reported where it is, after the repaired lines
        assert broken.findings[0].line == code.count("\n") + 1
