"""The GPU lane through the tools: deterministic mode repeating a run, --compile equal to
eager, --resume equal to the uninterrupted run, a UperNet and a Cascade Mask R-CNN training
step under --amp with mmcv's CUDA ops, two GPUs (NCCL) equal to one where two exist."""
import pytest
import torch

from mimtoolkit.registry import MODELS
from ..conftest import CUDA_TOOL_ENV, free_port, run_tool, tiny_mae_cfg
from ..e2e.downstream_configs import ARCH, det_config, seg_config, train_downstream
from ..e2e.helpers import photo_config, scalars
from mimtoolkit.reproduce.transfer_data import make_ade20k, make_coco

pytestmark = [pytest.mark.cuda, pytest.mark.slow]

MAE = 'configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py'
DETERMINISTIC = ['randomness.deterministic=True']


def train(config, work_dir, *flags, env=None):
    run_tool(['tools/train.py', config, '--work-dir', str(work_dir), *flags],
             env_extra=dict(CUDA_TOOL_ENV, **(env or {})))
    return [r['loss'] for r in scalars(str(work_dir))]


def test_deterministic_mode_repeats_a_mixedae_run_on_the_gpu(tmp_path):
    """randomness.deterministic=True (cuBLAS's workspace set by the runner): segment
    embeddings, TopK attention and the contrastive loss give the same losses twice."""
    config = photo_config(tmp_path, 'mixedae',
                          'configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py', 8)
    first = train(config, tmp_path / 'first', '--cfg-options', *DETERMINISTIC)
    again = train(config, tmp_path / 'again', '--cfg-options', *DETERMINISTIC)
    assert first == again and len(first) >= 5 and len(set(first)) > 1


def test_compiled_steps_equal_eager_ones(tmp_path):
    config = photo_config(tmp_path, 'mae', MAE, 8, epochs=2)
    eager = train(config, tmp_path / 'eager', '--cfg-options', *DETERMINISTIC)
    compiled = train(config, tmp_path / 'compiled', '--compile', '--cfg-options',
                     *DETERMINISTIC)
    assert len(eager) == len(compiled) >= 8 and len(set(eager)) > 1
    assert compiled == pytest.approx(eager, rel=2e-3)


def test_a_resumed_cuda_run_equals_the_uninterrupted_one(tmp_path):
    config = photo_config(tmp_path, 'mae', MAE, 8, epochs=2)
    straight = train(config, tmp_path / 'straight', '--cfg-options', *DETERMINISTIC)
    resumed = train(config, tmp_path / 'resumed', '--resume',
                    str(tmp_path / 'straight' / 'epoch_1.pth'), '--cfg-options', *DETERMINISTIC)
    assert resumed == pytest.approx(straight[len(straight) // 2:], rel=1e-5)


@pytest.fixture(scope='module')
def transfer(tmp_path_factory):
    root = tmp_path_factory.mktemp('cuda-transfer')
    cfg = tiny_mae_cfg(img=64)
    cfg['backbone']['arch'] = ARCH
    cfg['neck']['num_patches'] = 64
    model = MODELS.build(cfg)
    model.init_weights()
    ckpt = str(root / 'vit.pth')
    torch.save({'meta': {}, 'state_dict': model.state_dict()}, ckpt)
    return dict(root=root, ckpt=ckpt, ade=make_ade20k(str(root / 'ade')),
                coco=make_coco(str(root / 'coco')))


@pytest.mark.parametrize('task', ['upernet', 'cascade'])
def test_a_transfer_step_under_amp_with_cuda_ops(task, transfer, tmp_path):
    from mmcv.ops import get_compiling_cuda_version
    if get_compiling_cuda_version() == 'not available':
        pytest.skip("mmcv's ops were built without CUDA (tools/gpu/run_lane.sh builds them)")
    config = (seg_config(str(tmp_path), 'vit', transfer['ade']) if task == 'upernet' else
              det_config(str(tmp_path), 'vit', transfer['coco']))
    log, metrics = train_downstream(config, transfer['ckpt'], str(tmp_path / 'work'), '--amp',
                                    env_extra=CUDA_TOOL_ENV)
    assert 'bfloat16 autocast on cuda' in log and metrics


def test_two_gpus_log_the_one_gpu_curve(tmp_path):
    if torch.cuda.device_count() < 2:
        pytest.skip(f'needs 2 GPUs (this host has {torch.cuda.device_count()})')
    one = train(photo_config(tmp_path, 'mae', MAE, 8), tmp_path / 'one')
    run_tool(['tools/dist_train.sh', photo_config(tmp_path, 'mae', MAE, 4), '2',
              '--work-dir', str(tmp_path / 'two')],
             env_extra=dict(CUDA_VISIBLE_DEVICES='0,1', PORT=free_port()))
    two = [r['loss'] for r in scalars(str(tmp_path / 'two'))]
    assert two == pytest.approx(one, rel=1e-3)
