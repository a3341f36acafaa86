"""Shared fixtures: the repo root, tiny model configs, and a CLI runner."""
import ctypes
import gc
import os
import os.path as osp
import shutil
import subprocess
import sys

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
            shutil.rmtree(base / name, ignore_errors=True)


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


def tool_command(args, env_extra=None):
    """The command line and environment that run a repo tool (``.py``/``.sh``) as a user would."""
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1',
               PYTHON=sys.executable, **(env_extra or {}))
    return ([sys.executable] if args[0].endswith('.py') else ['bash']) + list(args), env


def run_tool(args, timeout=900, env_extra=None, check=True):
    """Run a repo tool as a user would; returns the CompletedProcess."""
    cmd, env = tool_command(args, env_extra)
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{cmd} exited {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}'
                             f'\n--- stderr\n{proc.stderr[-6000:]}')
    return proc


def run_tools_together(runs, timeout=900):
    """Start several tool runs at once (the nodes or tasks of one job) and wait for all.

    Args:
        runs (list[tuple[list, dict]]): ``(args, env_extra)`` per process.
        timeout (float): Seconds for all of them.

    Returns:
        list[str]: Each one's stdout + stderr; an AssertionError names the first that failed.
    """
    procs = []
    for args, env_extra in runs:
        cmd, env = tool_command(args, env_extra)
        procs.append(subprocess.Popen(cmd, cwd=REPO, env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
    try:
        outputs = [proc.communicate(timeout=timeout)[0] for proc in procs]
    finally:
        for proc in procs:
            proc.kill()
    for (args, env_extra), proc, out in zip(runs, procs, outputs):
        if proc.returncode != 0:
            raise AssertionError(f'{args} with {env_extra} exited {proc.returncode}\n{out[-6000:]}')
    return outputs


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
