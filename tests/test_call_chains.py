"""The neutral call-site facts: each API call's chains of loops (with what they iterate),
helper calls and dispatches (with a pool's width), innermost first, and the sleeps of each
link — in every language the same shape."""
from redcaplint.frontends import front_end
from redcaplint.model import IterKind, LinkKind
from redcaplint.resolve import analyse
from redcaplint.source import Document


def chains(text: str, name: str):
    fe = front_end({"py": "python", "R": "r", "js": "javascript", "sh": "shell", "php": "php"}[name.rsplit(".", 1)[1]])
    script = fe.build(Document(name, text))
    facts = analyse(script)
    line = lambda span: text.count("\n", 0, span.start) + 1  # noqa: E731
    return [[(lk.kind, line(lk.span), lk.iterates, lk.count, lk.width, len(lk.sleeps)) for lk in chain]
            for api in facts.api_calls for chain in api.chains]


PY = '''import requests, time
from concurrent.futures import ThreadPoolExecutor
def get(rid):
    return requests.post(U, data={"token": T, "content": "record", "records": rid}, timeout=9)
def batch(ids):
    for rid in ids:
        get(rid)
        time.sleep(1)
for i in range(3):
    batch([1, 2])
while True:
    get(1)
with ThreadPoolExecutor(max_workers=8) as ex:
    ex.map(get, [1, 2, 3])
'''


def test_python_chains_name_loops_helpers_and_pools():
    found = chains(PY, "a.py")
    L, H, D = LinkKind.LOOP, LinkKind.HELPER, LinkKind.DISPATCH
    assert [(H, 7, IterKind.UNKNOWN, None, None, 0), (L, 6, IterKind.COLLECTION, None, None, 1),
            (H, 10, IterKind.UNKNOWN, None, None, 1), (L, 9, IterKind.COUNTED, 3, None, 1)] in found
    assert [(H, 12, IterKind.UNKNOWN, None, None, 0), (L, 11, IterKind.FOREVER, None, None, 0)] in found
    assert [(D, 14, IterKind.UNKNOWN, None, 8, 0)] in found


def test_r_and_shell_loops_say_what_they_iterate():
    r = chains('for (i in 1:10) {\n  httr::POST(u, body = list(token = t, content = "version"), httr::timeout(9))\n  Sys.sleep(30)\n}\n'
               'repeat {\n  httr::POST(u, body = list(token = t, content = "version"), httr::timeout(9))\n}\n', "a.R")
    assert [(LinkKind.LOOP, 1, IterKind.COUNTED, 10, None, 1)] in r
    assert [(LinkKind.LOOP, 5, IterKind.FOREVER, None, None, 0)] in r
    sh = chains('while true; do\n  curl -m 9 -d "token=$T&content=version" "$U"\n  sleep 60\ndone\n', "a.sh")
    assert sh == [[(LinkKind.LOOP, 1, IterKind.FOREVER, None, None, 1)]]


def test_a_module_level_call_has_one_empty_chain():
    assert chains('import requests\nrequests.post(U, data={"token": T, "content": "version"}, timeout=9)\n', "a.py") == [[]]
