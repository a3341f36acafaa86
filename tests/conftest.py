"""Shared fixtures: the repo root, tiny model configs, and a CLI runner."""
import ctypes
import gc
import os
import os.path as osp
import shutil
import subprocess
import sys
import time

import pytest
import torch

import mimtoolkit  # noqa: F401  (registers every part)
from mimtoolkit.parts.tiny_examples import (  # noqa: F401  (the tests' tiny models)
    TINY_ARCH, tiny_imae_cfg, tiny_mae_cfg, tiny_maskfeat_cfg, tiny_mixedae_cfg)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

if os.environ.get('PYTEST_XDIST_WORKER'):  # `make test` runs 2 workers on 2 cores: 1 thread each
    torch.set_num_threads(1)


def release_memory() -> None:
    """Collect garbage and hand freed memory back to the system (glibc keeps it otherwise)."""
    gc.collect()
    if sys.platform.startswith('linux'):
        ctypes.CDLL('libc.so.6').malloc_trim(0)


def resident_gib() -> float:
    """This process's resident memory in GiB (Linux; 0 elsewhere)."""
    try:
        with open('/proc/self/statm') as f:
            return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2**30
    except OSError:
        return 0.0


@pytest.fixture(autouse=True)
def _seed_and_scope():
    from mmengine.registry import DefaultScope, init_default_scope
    torch.manual_seed(0)
    init_default_scope('mimtoolkit')  # as the Runner does for our configs
    yield
    DefaultScope._instance_dict.clear()
    if resident_gib() > 4:  # after a full-size model: two workers share 24 GiB
        release_memory()


@pytest.fixture(autouse=True, scope='module')
def _free_module_temp(request, tmp_path_factory):
    """Delete what a module wrote under the session's temp dir once the module has passed.

    Work dirs, checkpoints and the full-size stand-in teachers (350 MB each) would otherwise
    pile up over the session; a module with a failure keeps everything for a look. The memory
    the module's models held goes back to the system too.
    """
    base = tmp_path_factory.getbasetemp()
    before, failed = set(os.listdir(base)), request.session.testsfailed
    yield
    release_memory()
    if request.session.testsfailed == failed:
        for name in set(os.listdir(base)) - before:
            if not name.startswith(SHARED_PREFIX):
                shutil.rmtree(base / name, ignore_errors=True)


#: Names of the session's shared run dirs (``shared_dir``): module cleanup leaves them.
SHARED_PREFIX = 'shared-'


def shared_dir(tmp_path_factory, name: str):
    """A temp dir every module of the session sees, and a lock file to fill it once.

    Under pytest-xdist it is beside the workers' own base dirs (in the controller's, which
    pytest removes after a passing session); otherwise in the session's base dir.

    Returns:
        tuple[pathlib.Path, str]: The dir (not created) and its lock file's path.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get('PYTEST_XDIST_WORKER'):
        base = base.parent
    path = base / f'{SHARED_PREFIX}{name}'
    return path, f'{path}.lock'


def with_value(cfg: dict, path, value) -> dict:
    """A deep copy of ``cfg`` with the key at ``path`` (a tuple of keys) set to ``value``."""
    import copy
    cfg = copy.deepcopy(cfg)
    node = cfg
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return cfg


def free_port() -> str:
    """A TCP port on localhost nothing listens on now (for torchrun's rendezvous)."""
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return str(sock.getsockname()[1])


#: The tools the tests start run the CPU path (CPU tensors, gloo for 2 processes) on every
#: host, a GPU host too: the suite's meaning does not change with the machine. The GPU
#: lane's tests (``@pytest.mark.cuda``) ask for the GPU with ``env_extra=CUDA_TOOL_ENV``.
CPU_TOOL_ENV = dict(CUDA_VISIBLE_DEVICES='')
CUDA_TOOL_ENV = dict(CUDA_VISIBLE_DEVICES=os.environ.get('CUDA_VISIBLE_DEVICES') or '0')


def tool_env(env_extra=None) -> dict:
    """The environment a repo tool runs in: this one, unbuffered, one OpenMP thread, the CPU
    path (``CPU_TOOL_ENV``) unless ``env_extra`` says otherwise."""
    return {**os.environ, 'PYTHONUNBUFFERED': '1', 'OMP_NUM_THREADS': '1',
            'PYTHON': sys.executable, **CPU_TOOL_ENV, **(env_extra or {})}


def slow_files_first(items: list) -> None:
    """Put the files that hold a ``slow`` test first, in place (each group keeps its order).

    ``make test`` hands whole files to 2 workers in collection order (``--dist loadfile
    --no-loadscope-reorder``). The slow files are the long ones (end-to-end runs, up to two
    minutes each); the many quick files that follow even out the workers at the end. In
    xdist's default order (most tests first) the few-test slow files came last and one
    worker ran them alone for over a minute.
    """
    slow = {item.nodeid.split('::')[0] for item in items if 'slow' in item.keywords}
    items.sort(key=lambda item: item.nodeid.split('::')[0] not in slow)


def pytest_collection_modifyitems(config, items):
    """Slow files first (:func:`slow_files_first`); skip the GPU lane (``cuda`` marker) where
    torch sees no CUDA device, with the reason."""
    slow_files_first(items)
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skipif(True, reason='the GPU lane: torch sees no CUDA device here '
                              '(make test-gpu on a GPU host runs it)')
    for item in items:
        if 'cuda' in item.keywords:
            item.add_marker(skip)


#: Debian's Fashion-MNIST (the variable points the check elsewhere, for its own test)
FASHION_MNIST = os.environ.get('MIMTOOLKIT_TEST_FASHION_MNIST', '/usr/share/datasets/fashion-mnist')


def pytest_runtest_setup(item):
    """A ``fashion_mnist`` test without the dataset: skipped with the reason, or, under CI
    (``CI=true``, where ``make install`` provides it), failed: a missing dataset there is a
    broken install, not a reason to test less."""
    if 'fashion_mnist' not in item.keywords or osp.isdir(FASHION_MNIST):
        return
    reason = (f"Debian's dataset-fashion-mnist is not installed ({FASHION_MNIST} is missing; "
              'make install or make data provides it)')
    if os.environ.get('CI', '').lower() == 'true':
        pytest.fail(f'CI=true: {reason}', pytrace=False)
    pytest.skip(reason)


_SERVER = []  # this process's ToolServer, started on first use


def _tool_server():
    if not _SERVER:
        import atexit
        import tempfile
        from .tool_server import ToolServer
        _SERVER.append(ToolServer(tool_env(), tempfile.mkdtemp(prefix='mimtoolkit-tools-')))
        atexit.register(_SERVER[0].close)
    return _SERVER[0]


class _Subprocess:
    """A tool run in a plain subprocess (shell tools, ``MIMTOOLKIT_TEST_COLD_TOOLS=1``)."""

    def __init__(self, cmd, env, merged):
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, text=True,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT if merged else subprocess.PIPE)

    def wait(self, timeout):
        try:
            out, err = self.proc.communicate(timeout=timeout)
        finally:
            self.proc.kill()
        return self.proc.returncode, out, err or ''

    def kill(self):
        self.proc.kill()


def start_tool(args, env_extra=None, merged=False):
    """Start a repo tool as a user would: ``.py`` tools in a fork of the warm tool server
    (``tests/tool_server.py``), shell tools in bash; ``.wait(timeout)`` gives
    ``(returncode, stdout, stderr)`` (stderr in stdout when ``merged``)."""
    env, python = tool_env(env_extra), args[0].endswith('.py')
    on_cuda = env['CUDA_VISIBLE_DEVICES'] != ''  # a cold interpreter: no CUDA across fork
    if python and not on_cuda and not os.environ.get('MIMTOOLKIT_TEST_COLD_TOOLS'):
        return _tool_server().start(list(args), env, REPO, merged)
    return _Subprocess([sys.executable if python else 'bash', *args], env, merged)


def run_tool(args, timeout=900, env_extra=None, check=True):
    """Run a repo tool as a user would (see ``start_tool``); a CompletedProcess."""
    code, out, err = start_tool(args, env_extra).wait(timeout)
    if check and code != 0:
        raise AssertionError(f'{args} exited {code}\n--- stdout\n{out[-4000:]}'
                             f'\n--- stderr\n{err[-6000:]}')
    return subprocess.CompletedProcess(args, code, out, err)


def run_tools_together(runs, timeout=900):
    """Start several tool runs at once (the nodes or tasks of one job) and wait for all.

    Args:
        runs (list[tuple[list, dict]]): ``(args, env_extra)`` per process.
        timeout (float): Seconds for all of them.

    Returns:
        list[str]: Each one's stdout + stderr; an AssertionError names the first that failed.
    """
    started = [start_tool(args, env_extra, merged=True) for args, env_extra in runs]
    deadline = time.monotonic() + timeout
    results = []
    try:
        for run in started:
            results.append(run.wait(max(1.0, deadline - time.monotonic())))
    finally:
        for run in started[len(results):]:
            run.kill()
    for (args, env_extra), (code, out, _) in zip(runs, results):
        if code != 0:
            raise AssertionError(f'{args} with {env_extra} exited {code}\n{out[-6000:]}')
    return [out for _, out, _ in results]


@pytest.fixture
def mae_checkpoint(tmp_path):
    """An mmengine-style checkpoint of a tiny MAE (``state_dict`` with ``backbone.*`` keys)."""
    from mimtoolkit.registry import MODELS
    mae = MODELS.build(tiny_mae_cfg())
    mae.init_weights()
    path = str(tmp_path / 'mae.pth')
    torch.save({'meta': {}, 'state_dict': mae.state_dict()}, path)
    return path, mae


@pytest.fixture
def semanticmim_checkpoint(tmp_path):
    """A checkpoint of a tiny SemanticMIM-on-MaskFeat (3 proxies, mask token, [MASK] branch)."""
    from mimtoolkit.registry import MODELS
    cfg = tiny_maskfeat_cfg()
    cfg['backbone']['num_proxy_tokens'] = 3
    model = MODELS.build(cfg)
    model.init_weights()
    path = str(tmp_path / 'semanticmim.pth')
    torch.save({'meta': {}, 'state_dict': model.state_dict()}, path)
    return path, model
