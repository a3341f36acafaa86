"""Exact resume, crash-safe checkpoints and the NaN guard, through tools/train.py.

A run killed while writing its epoch-2 checkpoint keeps a whole epoch-1 checkpoint as the
latest; ``--resume`` from it reproduces the uninterrupted run's epoch-2 losses (data order,
optimizer, scheduler, and the masks / mixing drawn from the restored generators).
"""
import os.path as osp

import pytest
import torch

from ..conftest import REPO, free_port, run_tool
from .helpers import scalars

pytestmark = pytest.mark.slow

CONFIGS = {
    'mae': 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
    'mixedae': 'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
}
SMALL = ['train_cfg.max_epochs=2', 'train_dataloader.num_workers=0',
         'train_dataloader.persistent_workers=False', 'train_dataloader.dataset.crops_per_photo=4',
         'default_hooks.checkpoint.interval=1', 'default_hooks.logger.interval=1']


def with_crash_import(config: str, tmp_path) -> str:
    """The shipped config, importing the crash helper (inert unless its variable is set)."""
    path = tmp_path / osp.basename(config)
    path.write_text(f"_base_ = [{osp.join(REPO, config)!r}]\n"
                    "custom_imports = dict(imports=['tests.e2e.crash_during_save'])\n")
    return str(path)


def train(config, work_dir, *extra, crash_on='', check=True):
    """tools/train.py on the small settings; ``crash_on``: a checkpoint name to die writing."""
    return run_tool(['tools/train.py', config, '--work-dir', str(work_dir), *extra,
                     '--cfg-options', *SMALL], check=check,
                    env_extra=dict(MIMTOOLKIT_TEST_CRASH_ON=crash_on, PYTHONPATH=REPO))


@pytest.mark.parametrize('method', list(CONFIGS))
def test_a_run_killed_while_saving_resumes_exactly(method, tmp_path):
    config = with_crash_import(CONFIGS[method], tmp_path)
    train(config, tmp_path / 'straight')
    straight = [r['loss'] for r in scalars(str(tmp_path / 'straight'))]

    work = tmp_path / 'crashed'
    proc = train(config, work, crash_on='epoch_2.pth', check=False)
    assert proc.returncode == 3
    assert not (work / 'epoch_2.pth').exists()  # only the .part file holds the broken bytes
    with open(work / 'last_checkpoint') as f:
        latest = f.read().strip()
    assert osp.basename(latest) == 'epoch_1.pth'
    ckpt = torch.load(latest, map_location='cpu', weights_only=False)
    assert ckpt['meta']['epoch'] == 1 and 'random_state' in ckpt

    resumed = train(config, work, '--resume')
    assert 'restored the python, numpy and torch generators' in resumed.stdout + resumed.stderr
    records = scalars(str(work))
    per_epoch = len(straight) // 2
    assert len(straight) == 2 * per_epoch and len(records) == 3 * per_epoch
    again = [r['loss'] for r in records[-per_epoch:]]  # epoch 2 after the resume
    assert again == pytest.approx(straight[per_epoch:], rel=1e-6, abs=1e-7)
    assert (work / 'epoch_2.pth').is_file()
    if method == 'mae':  # a checkpoint lacking a tensor of this model does not resume
        ckpt = torch.load(work / 'epoch_2.pth', map_location='cpu', weights_only=False)
        del ckpt['state_dict']['neck.decoder_pred.bias']
        torch.save(ckpt, work / 'epoch_2.pth')
        proc = train(config, work, '--resume', check=False)
        assert proc.returncode == 2 and 'Traceback' not in proc.stderr
        last = proc.stderr.strip().splitlines()[-1]  # e.g. MR-MAE before issue 17's projection
        assert "does not match the model: it lacks 1 of the model's" in last
        assert 'neck.decoder_pred.bias' in last


def test_a_nan_loss_stops_the_run_in_one_line_with_the_last_checkpoint_intact(tmp_path):
    config = tmp_path / 'poisoned.py'
    config.write_text(
        f"_base_ = [{osp.join(REPO, CONFIGS['mae'])!r}]\n"
        "custom_imports = dict(imports=['tests.e2e.poison_weights'])\n"
        "custom_hooks = [dict(type='PoisonWeightsHook', at=7)]\n")  # in epoch 2 (5 per epoch)
    proc = train(str(config), tmp_path / 'work', check=False)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith(
        'error: non-finite loss at iteration 8: loss_rec; stopped before updating the weights')
    with open(tmp_path / 'work' / 'last_checkpoint') as f:
        latest = f.read().strip()
    assert osp.basename(latest) == 'epoch_1.pth'
    state = torch.load(latest, map_location='cpu', weights_only=False)['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values() if v.is_floating_point())


def test_two_processes_with_their_own_generators_resume_exactly(tmp_path):
    """dist_train.sh 2 with ``diff_rank_seed=True`` (each rank draws its own masks): a resume
    from epoch 1 gives each rank its own generators back, so epoch 2 logs the same losses
    (the logged loss is the ranks' mean, so one rank's wrong masks would show)."""
    config = CONFIGS['mae']
    options = ['--cfg-options', *SMALL, 'randomness.diff_rank_seed=True']
    straight = tmp_path / 'straight'
    run_tool(['tools/dist_train.sh', config, '2', '--work-dir', str(straight), *options],
             env_extra=dict(PORT=free_port()))
    ckpt = torch.load(straight / 'epoch_1.pth', map_location='cpu', weights_only=True)
    ranks = ckpt['random_state']['ranks']
    assert len(ranks) == 2 and ranks[0]['torch'] != ranks[1]['torch']  # the ranks differ
    resumed = tmp_path / 'resumed'
    run_tool(['tools/dist_train.sh', config, '2', '--work-dir', str(resumed),
              '--resume', str(straight / 'epoch_1.pth'), *options],
             env_extra=dict(PORT=free_port()))
    first = [r['loss'] for r in scalars(str(straight))]
    again = [r['loss'] for r in scalars(str(resumed))]
    per_epoch = len(first) // 2
    assert per_epoch >= 2 and len(again) == per_epoch
    assert again == pytest.approx(first[per_epoch:], rel=1e-6, abs=1e-7)
