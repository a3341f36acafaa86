"""Shared fixtures: the repo root, tiny model configs, and a CLI runner."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

import mimtoolkit  # noqa: F401  (registers every part)

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
TINY_ARCH = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)


@pytest.fixture(autouse=True)
def _seed_and_scope():
    from mmengine.registry import DefaultScope, init_default_scope
    torch.manual_seed(0)
    init_default_scope('mimtoolkit')  # as the Runner does for our configs
    yield
    DefaultScope._instance_dict.clear()


def tiny_mae_cfg(img=32, patch=8, mask_ratio=0.75, norm_pix=True):
    """A 2-layer MAE on img x img inputs."""
    n = (img // patch)**2
    return dict(
        type='MAE',
        data_preprocessor=dict(type='SelfSupDataPreprocessor', mean=[127.5] * 3,
                               std=[64.0] * 3, to_rgb=True),
        backbone=dict(type='MIMViT', arch=TINY_ARCH, img_size=img, patch_size=patch),
        masker=dict(type='RandomMasker', mask_ratio=mask_ratio),
        neck=dict(type='MAEPretrainDecoder', num_patches=n, patch_size=patch, in_chans=3,
                  embed_dim=32, decoder_embed_dim=16, decoder_depth=1, decoder_num_heads=2),
        head=dict(type='PixelReconstructionHead', norm_pix=norm_pix, patch_size=patch))


def tiny_maskfeat_cfg(img=32, patch=8, pool=4):
    """A 2-layer MaskFeat on img x img inputs."""
    return dict(
        type='MaskFeat',
        backbone=dict(type='MIMViT', arch=TINY_ARCH, img_size=img, patch_size=patch,
                      use_mask_token=True, sincos_pos_embed=False),
        masker=dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=2),
        target_generator=dict(type='PatchHOGGenerator', patch_size=patch, pool=pool,
                              gaussian_window=16),
        head=dict(type='FeaturePredictionHead', in_channels=32,
                  out_channels=27 * (patch // pool)**2, loss_name='loss_hog'))


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


def tiny_imae_cfg(teacher_checkpoint=None, branches=('subordinate', 'dominant'), **mae_kwargs):
    """A 2-layer i-MAE; with a teacher checkpoint, it distils from that encoder."""
    cfg = dict(tiny_mae_cfg(**mae_kwargs), type='IMAE', branches=branches,
               mixer=dict(type='PixelMixer'))
    if teacher_checkpoint is not None:
        cfg['distill_head'] = dict(
            type='FeatureDistillHead', loss_weight=0.5,
            teacher=dict(type='FrozenViTTeacher', encoder=dict(cfg['backbone']),
                         checkpoint=teacher_checkpoint))
    return cfg


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


def tiny_mixedae_cfg(mode='compose', segments=True, contrastive=True):
    """A 2-layer MixedAE on 32x32 inputs, patch 8 (16 patches), r = 0.25."""
    cfg = dict(tiny_mae_cfg(), type='MixedAE',
               mixer=dict(type='PatchMixer', mix_ratio=0.25, mode=mode))
    cfg.pop('masker')
    cfg['backbone'] = dict(cfg['backbone'], num_segments=4 if segments else 0)
    cfg['contrastive_head'] = dict(type='HomologousContrastiveHead', in_channels=32,
                                   proj_dims=16) if contrastive else None
    return cfg
