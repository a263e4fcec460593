"""The token scan's prefilter: it may only skip text that has no token in it."""
from hypothesis import given, settings
from hypothesis import strategies as st

from redcaplint.tokens import HEX_RUN, hex_runs, mask, may_hold_token

# text made of hex digits, other letters, separators and non-ASCII characters, so that runs
# of 32/64 appear, border on letters, and sit after multi-byte characters
ALPHABET = st.sampled_from(list("0123456789abcdefABCDEF") * 3 + list("gGzZ_ -=\n'\"é€😀"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(ALPHABET, st.just("A" * 32), st.just("f" * 64)), max_size=120).map("".join))
def test_prefilter_never_hides_a_hex_run(text):
    found = [m.span() for m in HEX_RUN.finditer(text)]
    assert [m.span() for m in hex_runs(text)] == found
    if found:
        assert may_hold_token(text)
    assert mask(text) == HEX_RUN.sub(lambda m: f"{m.group(0)[:4]}…{m.group(0)[-4:]}", text)


def test_prefilter_skips_text_without_a_run_and_keeps_one_after_non_ascii():
    assert not may_hold_token("content=record&format=json " * 40)
    assert not may_hold_token("0123456789abcdef0123456789abcde")  # 31 characters
    token = "DEADBEEF" * 4
    assert may_hold_token("é€ token = " + token)
    assert mask("é€ token = " + token) == "é€ token = DEAD…BEEF"
    assert mask("") == "" and mask(None) is None
