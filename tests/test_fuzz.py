"""An in-process mutation fuzzer over the fixtures and examples (issue 7): every mutant of a real
script — truncated, spliced, bracket-stuffed, re-encoded — is linted without an internal error,
and no output of it holds a whole token. Seeded, and bounded in time (a budget per file, not an
assertion about speed)."""
import random
import time

import pytest
from conftest import ROOT, shared_examples

from redcaplint.config import Config
from redcaplint.engine import lint_safely
from redcaplint.frontends import has_front_end, language_of
from redcaplint.registry import enabled
from redcaplint.tokens import HEX_RUN

RULES = enabled(["ALL", "RC003"], [])
BUDGET_SECONDS = 0.6  # per file
JUNK = ["(", ")", "[", "]", "{", "}", '"', "'", "\\", "\n", "#", "%>%", "|>", "<-", "```{r}\n", "```\n",
        "def ", "function(", "for (i in x) ", "while True:\n", "**", "f'{", "\x00", "\ufeff", "é", "\r\n",
        "# redcaplint: ignore[", "# noqa: RC", "DEADBEEFDEADBEEFDEADBEEFDEADBEEF"]


def _targets():
    out = []
    for root in (ROOT / "fixtures", ROOT / "redcaplint" / "demo", shared_examples()):
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                if p.is_file() and has_front_end(language_of(p.name)) and language_of(p.name) != "text":
                    out.append(pytest.param(p, id=str(p.relative_to(root.parent))))
    return out


def mutate(text: str, rng: random.Random) -> str:
    n = len(text)
    for _ in range(rng.randint(1, 4)):
        a, b = sorted(rng.randrange(n + 1) for _ in range(2)) if n else (0, 0)
        op = rng.randrange(6)
        if op == 0:
            text = text[:a] + text[b:]  # delete a range
        elif op == 1:
            text = text[:a] + text[a:b] * rng.randint(2, 5) + text[b:]  # repeat a range
        elif op == 2:
            text = text[:a] + rng.choice(JUNK) * rng.randint(1, 50) + text[a:]  # stuff junk
        elif op == 3:
            text = text[:a]  # truncate
        elif op == 4:
            lines = text.splitlines(keepends=True)
            rng.shuffle(lines)
            text = "".join(lines)
        else:
            text = text[:a] + text[a:b].upper() + text[b:]
        n = len(text)
    return text


@pytest.mark.parametrize("path", _targets())
def test_mutants_never_break_the_linter(path):
    rng = random.Random(path.name)
    original = path.read_text(encoding="utf-8")
    language = language_of(path.name)
    deadline = time.monotonic() + BUDGET_SECONDS
    tried = 0
    while time.monotonic() < deadline or tried < 5:
        text = mutate(original, rng)
        result = lint_safely(text, path.name, language, Config(), RULES)
        assert not result.error, f"mutant {tried} of {path.name}: {result.notice}"
        for f in result.findings:
            shown = " ".join([f.message, *f.extra.get("source", [])])
            assert not HEX_RUN.search(shown), f"mutant {tried} of {path.name} leaks: {shown[:200]}"
        tried += 1
