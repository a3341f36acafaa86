"""Shared fixtures: the repo root, tiny model configs, and a CLI runner."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

import mimtoolkit  # noqa: F401  (registers every part)
from mimtoolkit.parts.tiny_examples import (  # noqa: F401  (the tests' tiny models)
    TINY_ARCH, tiny_imae_cfg, tiny_mae_cfg, tiny_maskfeat_cfg, tiny_mixedae_cfg)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(autouse=True)
def _seed_and_scope():
    from mmengine.registry import DefaultScope, init_default_scope
    torch.manual_seed(0)
    init_default_scope('mimtoolkit')  # as the Runner does for our configs
    yield
    DefaultScope._instance_dict.clear()


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


def run_tool(args, timeout=900, env_extra=None, check=True):
    """Run a repo tool as a user would; returns the CompletedProcess."""
    env = dict(os.environ, PYTHONUNBUFFERED='1', OMP_NUM_THREADS='1',
               PYTHON=sys.executable, **(env_extra or {}))
    cmd = ([sys.executable] if args[0].endswith('.py') else ['bash']) + list(args)
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f'{cmd} exited {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}'
                             f'\n--- stderr\n{proc.stderr[-6000:]}')
    return proc


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
