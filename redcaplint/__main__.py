"""`python -m redcaplint` and the `redcaplint` command. A signal that arrives while the
interpreter is still importing the linter (a busy machine, a CI runner cancelling a job) must
end the run like one that arrives later: one line and 130/143, never a traceback. So the
handlers are set here, before anything heavy is imported; `cli.main` takes over from them."""
import os
import signal
import sys

_WORDS = {signal.SIGINT: ("interrupted", 130), signal.SIGTERM: ("terminated", 143)}


def _early(signum, frame):
    word, status = _WORDS[signum]
    try:
        os.write(2, f"redcaplint: {word}\n".encode())
    except OSError:
        pass
    os._exit(status)


def run() -> int:
    for sig in _WORDS:
        try:
            signal.signal(sig, _early)
        except (ValueError, OSError):  # not the main thread
            pass
    from redcaplint.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
