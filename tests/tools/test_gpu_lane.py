"""tools/gpu/run_lane.sh on a host without CUDA (its CPU path, as CI runs it): every lane test
is skipped with its reason, nothing fails, the GPU table is left out and the summary says so."""
import re
import sys

import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.slow


def test_the_lane_without_a_gpu_skips_every_test_with_its_reason(tmp_path):
    proc = run_tool(['tools/gpu/run_lane.sh', '', str(tmp_path)], env_extra=dict(
        PYTHON=sys.executable))
    summary = (tmp_path / 'summary.md').read_text()
    assert 'no CUDA device' in summary and 'tests: exit 0' in summary
    assert 'gpu_check: left out (torch sees no CUDA device)' in summary
    log = (tmp_path / 'tests.log').read_text()
    assert 'failed' not in log and ' passed' not in log  # nothing ran: all skipped
    reasons = re.findall(r'^SKIPPED \[(\d+)\] .*$', log, flags=re.M)
    lines = [line for line in log.splitlines() if line.startswith('SKIPPED')]
    assert sum(map(int, reasons)) >= 10  # every lane test, each with the reason
    assert lines and all('torch sees no CUDA device' in line for line in lines)
    assert proc.stdout.count('gpu lane:') >= 3
