"""tools/train.py, dist_train.sh, resume and the visualiser, run as a user runs them."""
import glob
import math
import os.path as osp

import mmcv
import pytest

from mimtoolkit.visualization.titled_grid import HEADER_PX
from ..conftest import REPO, free_port, run_tool
from .helpers import SMALL_PHOTO_RUN, figure_shape, loss_went_down, scalars

pytestmark = pytest.mark.slow

MAE_SKIMAGE = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
MAEFEAT_SKIMAGE = 'configs/maskfeat/maskfeat_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
SMALL = SMALL_PHOTO_RUN


def test_mae_trains_loss_goes_down_and_leaves_checkpoint_log_and_figure(mae_photo_run):
    records = scalars(mae_photo_run)
    assert len(records) == 40 and all('loss_rec' in r for r in records)
    assert loss_went_down(records, 'loss_rec')
    assert osp.isfile(osp.join(mae_photo_run, 'epoch_8.pth'))
    figures = glob.glob(osp.join(mae_photo_run, '*', 'vis_data', 'vis_image',
                                 'reconstruction_*.png'))
    assert len(figures) == 3  # iterations 16 and 32, and the end of training (40)
    assert mmcv.imread(figures[0]).shape == figure_shape(4, 4)


def test_resume_continues_from_the_checkpoint(mae_photo_run, tmp_path):
    import shutil
    work_dir = str(tmp_path / 'resumed')
    shutil.copytree(mae_photo_run, work_dir)
    proc = run_tool(['tools/train.py', MAE_SKIMAGE, '--work-dir', work_dir, '--resume',
                     '--cfg-options', *SMALL, 'train_cfg.max_epochs=9',
                     'custom_hooks.0.interval=1000'])
    log = proc.stdout + proc.stderr
    assert 'resumed epoch: 8, iter: 40' in log
    new = [r for r in scalars(work_dir) if r['iter'] > 40]
    assert [r['iter'] for r in new] == [41, 42, 43, 44, 45]
    assert osp.isfile(osp.join(work_dir, 'epoch_9.pth'))


def test_visualize_reconstruction_tool(mae_photo_run, tmp_path):
    out = str(tmp_path / 'rec.png')
    run_tool(['tools/analysis_tools/visualize_reconstruction.py', MAE_SKIMAGE,
              osp.join(mae_photo_run, 'epoch_8.pth'), '--out', out, '--num-images', '3'])
    assert mmcv.imread(out).shape == (HEADER_PX + 3 * 128, 4 * 128, 3)  # 64 px cells x2


def test_visualize_refuses_a_checkpoint_of_another_model(mae_photo_run, tmp_path):
    proc = run_tool(['tools/analysis_tools/visualize_reconstruction.py', MAE_SKIMAGE,
                     osp.join(mae_photo_run, 'epoch_8.pth'), '--out', str(tmp_path / 'x.png'),
                     '--cfg-options', 'model.neck.decoder_embed_dim=64'], check=False)
    assert proc.returncode == 2
    assert 'checkpoint does not match the model: shapes differ' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_maskfeat_trains_and_loss_goes_down(tmp_path):
    work_dir = str(tmp_path)
    run_tool(['tools/train.py', MAEFEAT_SKIMAGE, '--work-dir', work_dir, '--cfg-options',
              *SMALL, 'train_cfg.max_epochs=6'])
    records = scalars(work_dir)
    assert len(records) == 30 and loss_went_down(records, 'loss_hog')


@pytest.mark.parametrize('config,flags', [(MAE_SKIMAGE, ['--amp']),
                                          (MAEFEAT_SKIMAGE, ['--amp-dtype', 'float16'])])
def test_amp_flags_train_in_bf16_without_scaling_or_in_fp16_with_a_scaler(config, flags,
                                                                          tmp_path):
    from mimtoolkit.engine.optimizers import bf16_supported
    proc = run_tool(['tools/train.py', config, '--work-dir', str(tmp_path), *flags,
                     '--cfg-options', *SMALL, 'train_cfg.max_epochs=1'])
    if flags == ['--amp'] and bf16_supported('cpu'):
        assert 'AutoAmpOptimWrapper: bfloat16 autocast on cpu, no loss scaling' in proc.stdout
    else:
        assert 'AutoAmpOptimWrapper: float16 autocast on cpu, loss_scale=dynamic' in proc.stdout
    records = scalars(str(tmp_path))
    assert len(records) == 5 and all(math.isfinite(r['loss']) for r in records)


@pytest.mark.parametrize('config,loss', [
    ('configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py', 'loss_rec'),
    ('configs/maskfeat/maskfeat_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py', 'loss_hog'),
])
@pytest.mark.fashion_mnist
def test_fashion_mnist_configs_train(config, loss, tmp_path):
    run_tool(['tools/train.py', config, '--work-dir', str(tmp_path), '--cfg-options',
              'train_dataloader.dataset.indices=640', 'train_dataloader.num_workers=0',
              'train_dataloader.persistent_workers=False', 'default_hooks.logger.interval=1',
              'log_processor.window_size=1', 'train_cfg.max_epochs=1',
              'custom_hooks=[]'])
    records = scalars(str(tmp_path))
    assert len(records) == 10 and loss_went_down(records, loss)


def test_resume_from_a_missing_checkpoint_names_resume(tmp_path):
    missing = str(tmp_path / 'missing.pth')
    proc = run_tool(['tools/train.py', MAE_SKIMAGE, '--work-dir', str(tmp_path), '--resume',
                     missing], check=False)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert f'--resume={missing!r}' in last and 'load_from' not in last, last


MIXEDAE_SKIMAGE = 'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'


@pytest.mark.parametrize('config, option, says', [
    # a field of a part the config leaves as None
    (MIXEDAE_SKIMAGE, 'model.masker.mask_ratio=0.5',
     "masker={'mask_ratio': 0.5} in child config cannot inherit"),
    # an argument the pretrainer does not take
    (MAE_SKIMAGE, 'model.disentangle=None', "unexpected keyword argument 'disentangle'")])
def test_a_bad_override_is_one_clear_line(tmp_path, config, option, says):
    proc = run_tool(['tools/train.py', config, '--work-dir', str(tmp_path), '--cfg-options',
                     option], check=False)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr, proc.stderr[-1500:]
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith('error: ') and says in last, last


def error_line_of_child(tmp_path, base: str, body: str) -> tuple:
    """Train a child config of ``base`` with ``body``: (its path, the one error line)."""
    child = tmp_path / 'child.py'
    child.write_text(f"_base_ = [{osp.join(REPO, base)!r}]\n{body}\n")
    proc = run_tool(['tools/train.py', str(child), '--work-dir', str(tmp_path)], check=False)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr, proc.stderr[-1500:]
    return child, proc.stderr.strip().splitlines()[-1]


def test_a_part_without_its_type_is_one_clear_line_without_mmengine_s_stray_none(tmp_path):
    _, last = error_line_of_child(
        tmp_path, MIXEDAE_SKIMAGE,
        'model = dict(contrastive_head=dict(_delete_=True, loss_weight=0.2))')
    assert 'must contain the key "type"' in last and 'KEY=dict(type=...)' in last, last


def test_a_config_with_a_syntax_error_names_its_file_and_line(tmp_path):
    child, last = error_line_of_child(tmp_path, MAE_SKIMAGE,
                                      'model = dict(masker=dict(mask_ratio=0.5)')
    assert last == (f"error: {child} line 2: '(' was never closed: "
                    "model = dict(masker=dict(mask_ratio=0.5)")


@pytest.mark.parametrize('args, says', [
    ([MAE_SKIMAGE, '0'], "NPROC='0' is invalid: expected the processes per node"),
    ([MAE_SKIMAGE], "NPROC='' is invalid"),
    ([], "CONFIG='' is invalid: expected a config file")])
def test_dist_train_with_a_bad_process_count_is_one_line(args, says):
    proc = run_tool(['tools/dist_train.sh', *args], check=False)
    assert proc.returncode == 2 and proc.stderr.count('\n') == 1, proc.stderr
    assert proc.stderr.startswith(f'error: {says}') and 'usage: bash tools/dist_train.sh' in \
        proc.stderr


def test_bad_config_value_is_one_clear_line(tmp_path):
    proc = run_tool(['tools/train.py', MAE_SKIMAGE, '--work-dir', str(tmp_path),
                     '--cfg-options', 'model.masker.mask_ratio=1.5'], check=False)
    assert proc.returncode == 2
    assert 'masker.mask_ratio=1.5 is invalid: expected a float in (0, 1)' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_missing_fashion_mnist_root_is_one_clear_line(tmp_path):
    proc = run_tool(['tools/train.py',
                     'configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py',
                     '--work-dir', str(tmp_path), '--cfg-options',
                     f'train_dataloader.dataset.data_root={tmp_path}/nowhere'], check=False)
    assert proc.returncode == 2
    assert 'dataset.data_root=' in proc.stderr and 'dataset-fashion-mnist' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_benchmark_against_mmpretrain_mae(tmp_path):
    proc = run_tool(['tools/analysis_tools/benchmark.py', MAE_SKIMAGE, '--vs', 'mmpretrain-mae',
                     '--batch-size', '4', '--rounds', '2', '--steps', '1', '--warmup', '1'])
    assert '| mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py | fp32 |' in proc.stdout
    assert '| mmpretrain-mae | fp32 |' in proc.stdout
    ratio = float(proc.stdout.split('ratio (CONFIG / reference images/s):')[1].split()[0])
    assert ratio > 0


def test_plot_loss_curves_tool(mae_photo_run, tmp_path):
    out = str(tmp_path / 'curves.png')
    proc = run_tool(['tools/analysis_tools/plot_loss_curves.py', mae_photo_run, '--out', out])
    assert 'loss_rec (40 points)' in proc.stdout
    assert mmcv.imread(out).shape == (400, 700, 3)


PROBE = 'configs/mae/benchmarks/vit-tiny-p8_1xb32-linear-coslr-10e_skimage-64.py'
PROBE_SMALL = [
    'train_dataloader.dataset.crops_per_photo=2', 'val_dataloader.dataset.crops_per_photo=2',
    'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
    'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
    'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False',
    'train_cfg.max_epochs=2', 'train_cfg.val_interval=2', 'default_hooks.checkpoint.interval=2'
]


@pytest.fixture(scope='module')
def probe_run(mae_photo_run, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('probe'))
    proc = run_tool(['tools/train.py', PROBE, '--work-dir', work_dir, '--cfg-options',
                     *PROBE_SMALL,
                     f'model.backbone.init_cfg.checkpoint={mae_photo_run}/epoch_8.pth'])
    return work_dir, proc.stdout + proc.stderr


def test_linear_probe_loads_the_pretrained_backbone_and_keeps_it_frozen(mae_photo_run, probe_run):
    import torch
    work_dir, log = probe_run
    probe = torch.load(osp.join(work_dir, 'epoch_2.pth'), weights_only=True)['state_dict']
    mae = torch.load(osp.join(mae_photo_run, 'epoch_8.pth'), weights_only=True)['state_dict']
    for key in ('backbone.layers.0.attn.qkv.weight', 'backbone.ln1.weight', 'backbone.cls_token'):
        assert torch.equal(probe[key], mae[key]), key  # loaded, then frozen
    assert 'accuracy/top1' in log


def test_test_tool_evaluates_a_checkpoint(probe_run, tmp_path):
    work_dir, _ = probe_run
    out = str(tmp_path / 'metrics.json')
    proc = run_tool(['tools/test.py', PROBE, osp.join(work_dir, 'epoch_2.pth'), '--work-dir',
                     str(tmp_path), '--out', out, '--cfg-options', *PROBE_SMALL])
    import json
    metrics = json.load(open(out))
    assert 0 <= metrics['accuracy/top1'] <= 100 and 'accuracy/top5' in metrics
    assert 'accuracy/top1' in proc.stdout + proc.stderr


def test_dist_test_two_processes(probe_run, tmp_path):
    work_dir, _ = probe_run
    proc = run_tool(['tools/dist_test.sh', PROBE, osp.join(work_dir, 'epoch_2.pth'), '2',
                     '--work-dir', str(tmp_path), '--cfg-options', *PROBE_SMALL],
                    env_extra=dict(PORT=free_port()))
    assert 'accuracy/top1' in proc.stdout + proc.stderr


def test_load_from_a_checkpoint_of_another_model_is_refused(mae_photo_run, tmp_path):
    proc = run_tool(['tools/train.py', MAEFEAT_SKIMAGE, '--work-dir', str(tmp_path),
                     '--cfg-options', *SMALL, f'load_from={mae_photo_run}/epoch_8.pth'],
                    check=False)
    assert proc.returncode == 2
    assert 'load_from does not match the model' in proc.stderr
    assert 'Traceback' not in proc.stderr


def test_reconstruction_hook_on_a_non_pixel_pretrainer_is_a_clear_error(tmp_path):
    config = tmp_path / 'maskfeat_with_vis.py'
    config.write_text(f"_base_ = ['{osp.join(REPO, MAEFEAT_SKIMAGE)}']\n"
                      "custom_hooks = [dict(type='ReconstructionVisHook')]\n")
    proc = run_tool(['tools/train.py', str(config), '--work-dir', str(tmp_path),
                     '--cfg-options', *SMALL], check=False)
    assert proc.returncode == 2
    assert 'ReconstructionVisHook needs a pretrainer with pixel reconstruction' in proc.stderr
