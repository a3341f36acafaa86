"""i-MAE end to end through the tools: MAE teacher -> i-MAE -> separability table and figures."""
import json

import mmcv
import pytest

from mimtoolkit.visualization.titled_grid import HEADER_PX, ROW_TITLE_PX
from ..conftest import run_tool
from .helpers import SMALL_PHOTO_RUN, figure_shape, loss_went_down, scalars

pytestmark = pytest.mark.slow

MAE = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
IMAE = 'configs/imae/imae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
IMAE_FASHION_SEMANTIC = \
    'configs/imae/imae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32_semantic-r0.5.py'
SMALL = SMALL_PHOTO_RUN


@pytest.fixture(scope='module')
def runs(tmp_path_factory, mae_photo_run):
    """The run dir, the MAE teacher's checkpoint, the i-MAE's (6 epochs) checkpoint."""
    root = tmp_path_factory.mktemp('imae')
    mae, imae = f'{mae_photo_run}/epoch_8.pth', str(root / 'imae')
    run_tool(['tools/train.py', IMAE, '--work-dir', imae, '--cfg-options', *SMALL,
              'train_cfg.max_epochs=6', 'custom_hooks.0.interval=10',
              f'model.distill_head.teacher.checkpoint={mae}'])
    return root, mae, f'{imae}/epoch_6.pth'


def test_imae_distils_from_the_mae_and_its_losses_go_down(runs):
    root, _, ckpt = runs
    records = scalars(str(root / 'imae'))
    assert len(records) == 30
    assert all({'loss_rec_sub', 'loss_rec_dom', 'loss_distill'} <= set(r) for r in records)
    assert loss_went_down(records, 'loss')
    import torch
    state = torch.load(ckpt, weights_only=True)['state_dict']
    assert not any('teacher' in k for k in state)  # the teacher is not saved
    assert {'disentangle.branches.0.weight', 'disentangle.branches.1.weight'} <= set(state)
    figures = list((root / 'imae').glob('*/vis_data/vis_image/reconstruction_*.png'))
    assert figures and mmcv.imread(str(figures[0])).shape == figure_shape(4, 6)


def test_separability_table_for_mae_and_imae(runs, tmp_path):
    _, mae, imae = runs
    out = str(tmp_path / 'separability.json')
    proc = run_tool(['tools/analysis_tools/separability.py', '--model', 'MAE', MAE, mae,
                     '--model', 'i-MAE', IMAE, imae, '--reference', MAE, mae,
                     '--num-train', '64', '--num-val', '32', '--out', out,
                     '--cfg-options', 'train_dataloader.dataset.crops_per_photo=6'])
    assert '| model | NRMSE Fore | NRMSE Aft | R² Fore | R² Aft | cos Fore | cos Aft |' \
        in proc.stdout
    assert '| MAE |' in proc.stdout and '| i-MAE |' in proc.stdout
    results = json.load(open(out))['results']
    for name in ('MAE', 'i-MAE'):
        for stage in ('fore', 'aft'):
            scores = results[name][stage]
            assert scores['nrmse'] >= 0 and -1 <= scores['cosine'] <= 1
            assert scores['r2'] <= 1
    # 64 + 32 images form 32 + 16 mixed pairs of 16 visible patches each
    assert json.load(open(out))['num_patches'] == dict(train=32 * 16, val=16 * 16)


def test_alpha_sweep_figure(runs, tmp_path):
    _, _, imae = runs
    out = str(tmp_path / 'sweep.png')
    proc = run_tool(['tools/analysis_tools/visualize_reconstruction.py', IMAE, imae, '--out',
                     out, '--num-images', '2', '--alphas', '0.05', '0.25', '0.45'])
    assert 'subordinate | dominant' in proc.stdout
    assert mmcv.imread(out).shape == (HEADER_PX + 3 * 2 * 128, ROW_TITLE_PX + 6 * 128, 3)


@pytest.mark.fashion_mnist
def test_fashion_mnist_semantic_config_trains(tmp_path):
    run_tool(['tools/train.py', IMAE_FASHION_SEMANTIC, '--work-dir', str(tmp_path),
              '--cfg-options', 'train_dataloader.dataset.indices=640',
              'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
              'default_hooks.logger.interval=1', 'log_processor.window_size=1',
              'train_cfg.max_epochs=1', 'custom_hooks=[]', 'model.distill_head=None'])
    records = scalars(str(tmp_path))
    assert len(records) == 10 and loss_went_down(records, 'loss')


def test_missing_teacher_checkpoint_is_one_clear_line(tmp_path):
    proc = run_tool(['tools/train.py', IMAE, '--work-dir', str(tmp_path), '--cfg-options',
                     f'model.distill_head.teacher.checkpoint={tmp_path}/mae.pth'], check=False)
    assert proc.returncode == 2
    assert f"teacher.checkpoint='{tmp_path}/mae.pth' is invalid: expected an existing " \
        'checkpoint file' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_imae_checkpoint_feeds_the_linear_probe(runs, tmp_path):
    """An i-MAE checkpoint loads into mmpretrain's ImageClassifier by its backbone.* keys."""
    import torch
    _, _, imae = runs
    probe = 'configs/mae/benchmarks/vit-tiny-p8_1xb32-linear-coslr-10e_skimage-64.py'
    loaders = [f'{d}_dataloader.{k}' for d in ('train', 'val', 'test')
               for k in ('num_workers=0', 'persistent_workers=False')]
    proc = run_tool(['tools/train.py', probe, '--work-dir', str(tmp_path), '--cfg-options',
                     'train_dataloader.dataset.crops_per_photo=2',
                     'val_dataloader.dataset.crops_per_photo=1', *loaders,
                     'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                     'default_hooks.checkpoint.interval=1',
                     f'model.backbone.init_cfg.checkpoint={imae}'])
    assert 'accuracy/top1' in proc.stdout + proc.stderr
    probe_state = torch.load(str(tmp_path / 'epoch_1.pth'), weights_only=True)['state_dict']
    imae_state = torch.load(imae, weights_only=True)['state_dict']
    for key in ('backbone.layers.0.attn.qkv.weight', 'backbone.cls_token', 'backbone.ln1.weight'):
        assert torch.equal(probe_state[key], imae_state[key]), key


def test_separability_val_split_needs_a_dataset_with_splits(runs):
    _, mae, _ = runs
    proc = run_tool(['tools/analysis_tools/separability.py', '--model', 'MAE', MAE, mae,
                     '--reference', MAE, mae, '--val-split', 'test'], check=False)
    assert proc.returncode == 2
    assert "--val-split='test' is invalid: expected no split" in proc.stderr


def test_weight_distribution_figure_of_mae_and_imae(runs, tmp_path):
    _, mae, imae = runs
    out, stats = str(tmp_path / 'weights.png'), str(tmp_path / 'weights.json')
    proc = run_tool(['tools/analysis_tools/weight_distribution.py', '--model', 'MAE', mae,
                     '--model', 'i-MAE', imae, '--out', out, '--json', stats])
    assert '| i-MAE |' in proc.stdout and mmcv.imread(out).shape[:2] == (400, 600)
    report = json.load(open(stats))
    import torch

    from mimtoolkit.utils import load_state_dict_file
    for label, path in (('MAE', mae), ('i-MAE', imae)):
        state = load_state_dict_file(path)
        expected = sum(v.numel() for k, v in state.items() if k.startswith('backbone.')
                       and k.endswith('weight') and v.ndim >= 2 and 'token' not in k
                       and 'pos_embed' not in k)
        assert report['stats'][label]['count'] == expected
        qkv = state['backbone.layers.0.attn.qkv.weight'].float()
        assert report['stats'][label]['near_zero'] > 0 and qkv.std() > 0
    hist = report['histogram']
    width = hist['edges'][1] - hist['edges'][0]
    for label in ('MAE', 'i-MAE'):  # densities over the shared bins
        assert sum(hist[label]) * width == pytest.approx(1.0, rel=1e-4)
    assert torch.tensor(hist['MAE']).ne(torch.tensor(hist['i-MAE'])).any()
    bad = run_tool(['tools/analysis_tools/weight_distribution.py', '--model', 'MAE', mae,
                    '--prefix', 'nothing.', '--out', out], check=False)
    assert bad.returncode == 2 and "--prefix='nothing.' is invalid" in bad.stderr
