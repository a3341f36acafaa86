"""make install's stages: one line each with its time, the output in the log, and on failure
the log's last lines and its path; an up-to-date install is one line, at once."""
import os
import subprocess
import time

import pytest

from ..conftest import REPO

STAGE = os.path.join(REPO, 'tools', 'install', 'stage.sh')


def stage(log, what, *command):
    return subprocess.run([STAGE, str(log), what, 'seconds', '--', *command],
                          capture_output=True, text=True)


def test_a_stage_is_one_line_and_its_output_goes_to_the_log(tmp_path):
    log = tmp_path / 'venv' / 'install.log'
    proc = stage(log, 'compile', 'bash', '-c', 'echo "gcc -O2 a.c"; echo "warning: x" >&2')
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [proc.stdout.strip()]
    assert proc.stdout.startswith('compile') and '(seconds) done in' in proc.stdout
    text = log.read_text()
    assert 'gcc -O2 a.c' in text and 'warning: x' in text


def test_a_failed_stage_shows_the_log_s_last_lines_and_path(tmp_path):
    log = tmp_path / 'install.log'
    lines = [f'line{i}' for i in range(40)]
    proc = stage(log, 'mmcv', 'bash', '-c', f'printf "%s\\n" {" ".join(lines)}; exit 3')
    assert proc.returncode == 3
    out = proc.stdout.splitlines()
    assert out[0].startswith('mmcv') and 'FAILED after' in out[0] and '(exit 3)' in out[0]
    assert out[-2] == '  | line39' and '  | line15' in out and '  | line14' not in out  # last 25
    assert out[-1] == f'full log: {log}'


def test_an_up_to_date_install_does_nothing_but_say_so():
    # as a user types it, not as a sub-make of `make test` (which would add its own lines)
    env = {k: v for k, v in os.environ.items() if k not in ('MAKELEVEL', 'MAKEFLAGS', 'MFLAGS')}
    dry = subprocess.run(['make', '-n', 'install'], cwd=REPO, capture_output=True, text=True,
                         env=env)
    if 'stage.sh' in dry.stdout:
        pytest.skip('this checkout is not installed (make install would run its stages)')
    start = time.perf_counter()
    proc = subprocess.run(['make', 'install'], cwd=REPO, capture_output=True, text=True, env=env)
    assert proc.returncode == 0 and time.perf_counter() - start < 1
    assert proc.stdout.strip().splitlines() == [
        'install: .venv is up to date (install log: .venv/install.log; delete '
        '.venv/.mimtoolkit-installed to redo)']


def test_the_openmmlab_libraries_installed_without_their_dependencies_get_all_but_mmcv():
    """make install puts mmpretrain, mmsegmentation and mmdet in with --no-deps beside
    mmcv-lite; tools/install/openmmlab_deps.txt must list everything else they require."""
    import importlib.metadata as metadata
    import re
    with open(os.path.join(REPO, 'tools', 'install', 'openmmlab_deps.txt')) as f:
        listed = {line.strip().lower() for line in f if line.strip() and line[0] != '#'}
    for package in ('mmpretrain', 'mmsegmentation', 'mmdet'):
        for requirement in metadata.requires(package) or []:
            if 'extra ==' in requirement:
                continue
            name = re.match(r'[A-Za-z0-9_.-]+', requirement).group(0).lower().replace('_', '-')
            assert name == 'mmcv' or name in listed, (package, requirement)
