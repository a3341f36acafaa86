"""The showcase hybrids of configs/compose end to end: each hybrid through tools/train.py on
the embedded photos (the shared MAE as teacher), then its checkpoint through the shipped
ADE20K UperNet config (tools/train.py, which validates at its end)."""
import pytest
import torch

from ..conftest import run_tool
from mimtoolkit.reproduce.transfer_data import make_ade20k
from .downstream_configs import seg_config, train_downstream
from .helpers import SMALL_PHOTO_RUN, loss_went_down, scalars

pytestmark = pytest.mark.slow

# hybrid -> (config, downstream backbone kind, the losses it logs)
HYBRIDS = {
    'mixedae-mimic': ('configs/compose/mixedae-mimic_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                      'vit', {'loss_rec', 'loss_homo', 'loss_mimic'}),
    'mrmae-proxies': ('configs/compose/mrmae-proxies_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                      'vit-proxies', {'loss_rec', 'loss_mimic'}),
    'mae-proxies': ('configs/semanticmim/semanticmim-mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                    'vit-proxies', {'loss_rec'}),
    'mrmae-cosine': ('configs/compose/mrmae-cosine_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                     'vit', {'loss_rec', 'loss_mimic'}),
}
# one UperNet transfer per hybrid backbone (MixedAE's segments, MR-MAE's proxies): what each
# checks is which pretraining keys load and which are left out by name. MAE + proxies has
# MR-MAE + proxies' backbone, the loss swap MR-MAE's ViT; the Cascade Mask R-CNN configs load
# the same backbones through the same code, run once per backbone kind in test_transfer_tools.py.
TRANSFERS = ['mixedae-mimic', 'mrmae-proxies']
MIM_TINY = dict(embed_dims=192, num_layers=6, num_heads=3, feedforward_channels=768)
SMALL = [*SMALL_PHOTO_RUN, 'custom_hooks=[]']


@pytest.fixture(scope='module')
def runs(tmp_path_factory, mae_photo_run):
    """Work dirs of every hybrid (3 epochs, the shared MAE as teacher), the fixtures."""
    root = tmp_path_factory.mktemp('compose')
    teacher = f'model.aux_heads.0.teacher.checkpoint={mae_photo_run}/epoch_8.pth'
    for name, (config, _, losses) in HYBRIDS.items():
        run_tool(['tools/train.py', config, '--work-dir', str(root / name), '--cfg-options',
                  *SMALL, 'train_cfg.max_epochs=3', *([teacher] if 'loss_mimic' in losses else [])])
    return dict(root=root, ade=make_ade20k(str(root / 'ade')))


@pytest.mark.parametrize('name', HYBRIDS)
def test_hybrid_trains_every_objective_and_saves_no_teacher(runs, name):
    records = scalars(str(runs['root'] / name))
    assert len(records) == 15
    assert all(HYBRIDS[name][2] <= set(r) for r in records)
    assert all(r.get('loss_mimic', 1) > 0 for r in records)
    assert loss_went_down(records, 'loss', window=4)
    state = torch.load(str(runs['root'] / name / 'epoch_3.pth'), weights_only=True)['state_dict']
    assert not any('teacher' in k for k in state)
    if name == 'mixedae-mimic':
        assert state['backbone.segment_embed'].shape[-1] == 192
    elif name == 'mrmae-cosine':  # 0.5 x (1 - cos): the swapped loss, in [0, 1]
        assert all(0 < r['loss_mimic'] <= 1 for r in records)
        assert loss_went_down(records, 'loss_mimic', window=4)
    else:
        assert state['backbone.proxy_tokens'].shape == (1, 7, 192)


@pytest.mark.parametrize('name', TRANSFERS)
def test_hybrid_checkpoint_transfers_through_the_downstream_configs(runs, name, tmp_path):
    kind = HYBRIDS[name][1]
    ckpt = str(runs['root'] / name / 'epoch_3.pth')
    config = seg_config(str(tmp_path), kind, runs['ade'], arch=MIM_TINY, num_proxy_tokens=8)
    log, metrics = train_downstream(config, ckpt, str(tmp_path / 'work'))
    assert 0.0 <= metrics['mIoU'] <= 100.0
    assert 'missing: none' in log
    # what each parent's pretraining alone had is named as left out, nothing else is dropped
    left_out = 'segment_embed' if name == 'mixedae-mimic' else 'mask_layers.* ('
    assert 'Left out on purpose' in log and left_out in log


def test_benchmark_times_a_hybrid_with_a_freshly_initialised_teacher():
    """benchmark.py --teacher-from-init finds the teacher among the auxiliary heads."""
    proc = run_tool(['tools/analysis_tools/benchmark.py', HYBRIDS['mixedae-mimic'][0], '--vs',
                     'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                     '--teacher-from-init', '--batch-size', '4', '--rounds', '1', '--steps',
                     '1', '--warmup', '1'])
    assert '| mixedae-mimic_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py | fp32 |' in proc.stdout
    ratio = float(proc.stdout.split('ratio (CONFIG / reference images/s):')[1].split()[0])
    assert ratio > 0
