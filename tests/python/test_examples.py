"""The small example programs that the Python embedding guide shows, run as they are."""

import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, REPO, python_env

RUN_TIMEOUT = 120


def run_example(name):
    done = subprocess.run([sys.executable, str(EXAMPLES / name)], capture_output=True, text=True,
                          timeout=RUN_TIMEOUT, env=python_env(), stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_hello_sends_and_reads_back_one_message():
    assert run_example("hello.py") == ["hello"]


def test_event_handler_receives_the_message_on_the_network_thread():
    assert run_example("event_handler.py") == ["['hi bob']"]


def test_handle_errors_catches_each_error_by_class():
    assert run_example("handle_errors.py") == [
        "not found: ErrorCode.not_found no user is called that",
        "NotAMember ErrorCode.not_a_member",
        "closed",
    ]


def guide_blocks():
    """Python blocks of docs/embedding.md that name an example file in their first line."""
    guide = REPO / "docs" / "embedding.md"
    if not guide.exists():
        return []
    blocks = re.findall(r"```python\n(.*?)```", guide.read_text(), flags=re.S)
    named = [re.match(r"# (examples/python/\S+\.py)\n", block) for block in blocks]
    return [(m[1], block[m.end():]) for m, block in zip(named, blocks) if m]


@pytest.mark.parametrize("path,code", guide_blocks() or [pytest.param(None, None, marks=(
    pytest.mark.skip(reason="docs/embedding.md has no Python example blocks yet")))])
def test_the_guide_shows_each_example_exactly_as_it_runs(path, code):
    assert (REPO / path).read_text() == code
