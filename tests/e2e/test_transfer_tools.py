"""Transfer end to end: pretraining checkpoints of every backbone kind -> the shipped ADE20K
UperNet and COCO Cascade Mask R-CNN configs -> tools/train.py (which validates after its last
iteration or epoch) -> metrics; tools/test.py once per task, on one kind's trained weights.

The shipped configs are run as they are, inherited by a tiny config that only shrinks them
(model widths, image sizes, iterations) and points them at fixtures in the real formats
made from real photos; the checkpoint comes in through ``--cfg-options``.
"""
import pytest
import torch

from mimtoolkit.registry import MODELS
from ..conftest import free_port, run_tool, tiny_mae_cfg, tiny_maskfeat_cfg
from mimtoolkit.reproduce.transfer_data import make_ade20k, make_coco, make_voc
from .downstream_configs import (ARCH, CONV_ARCH, KINDS, check_backbone_log, det_config,
                                 evaluate_downstream, seg_config, train_downstream, voc_config)

pytestmark = pytest.mark.slow


def pretrainer_cfg(kind: str) -> dict:
    """A tiny pretrainer whose backbone is of ``kind``."""
    if kind == 'vit':
        cfg = tiny_mae_cfg(img=64)
        cfg['backbone']['arch'] = ARCH
        cfg['neck']['num_patches'] = 64
    elif kind == 'vit-proxies':  # SemanticMIM on MaskFeat: proxies + [MASK] branch
        cfg = tiny_maskfeat_cfg(img=64)
        cfg['backbone'].update(arch=ARCH, num_proxy_tokens=4)
    else:  # MAE on a ConvViT (the MR-MAE encoder)
        cfg = tiny_mae_cfg(img=64, patch=16)
        cfg['backbone'] = dict(type='ConvViT', arch=CONV_ARCH, img_size=64)
        cfg['neck'] = dict(cfg['neck'], type='PatchTokenMAEDecoder')  # no [CLS] row
    return cfg


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """Pretraining checkpoints of each kind, the ADE20K and COCO fixtures."""
    root = tmp_path_factory.mktemp('transfer')
    ckpts = {}
    for kind in KINDS:
        model = MODELS.build(pretrainer_cfg(kind))
        model.init_weights()
        ckpts[kind] = str(root / f'{kind}.pth')
        torch.save({'meta': {}, 'state_dict': model.state_dict()}, ckpts[kind])
    return dict(root=root, ckpts=ckpts, ade=make_ade20k(str(root / 'ade')),
                coco=make_coco(str(root / 'coco')), voc=make_voc(str(root / 'voc')))


#: The kind whose trained weights tools/test.py scores, once per task: SemanticMIM's, whose
#: pretraining checkpoint has the most to leave out ([MASK] branch, mask token).
TESTED_KIND = 'vit-proxies'


def check_test_tool_scores_as_training_validated(config, kind, data, work_dir, trained,
                                                 metrics):
    """tools/test.py on the saved weights gives the metrics of the end-of-training validation
    (same weights, same data: scoring is deterministic)."""
    tested = evaluate_downstream(config, data['ckpts'][kind], work_dir, trained)
    assert {k: tested[k] for k in metrics} == pytest.approx(metrics, abs=1e-6)


@pytest.mark.parametrize('kind', KINDS)
def test_upernet_on_ade20k_trains_and_scores_from_a_pretraining_checkpoint(kind, data,
                                                                           tmp_path):
    config, work = seg_config(str(tmp_path), kind, data['ade']), str(tmp_path / 'work')
    log, metrics = train_downstream(config, data['ckpts'][kind], work)
    check_backbone_log(log, kind)
    assert 0.0 <= metrics['mIoU'] <= 100.0
    assert {'aAcc', 'mIoU', 'mAcc'} <= set(metrics)
    if kind == TESTED_KIND:
        check_test_tool_scores_as_training_validated(config, kind, data, work, 'iter_2.pth',
                                                     metrics)


@pytest.mark.parametrize('kind', KINDS)
def test_cascade_mask_rcnn_on_coco_trains_and_scores_from_a_pretraining_checkpoint(
        kind, data, tmp_path):
    config, work = det_config(str(tmp_path), kind, data['coco']), str(tmp_path / 'work')
    log, metrics = train_downstream(config, data['ckpts'][kind], work)
    check_backbone_log(log, kind)
    for task in ('bbox', 'segm'):
        assert -1.0 <= metrics[f'coco/{task}_mAP'] <= 1.0
        assert f'coco/{task}_mAP_50' in metrics
    if kind == TESTED_KIND:
        check_test_tool_scores_as_training_validated(config, kind, data, work, 'epoch_1.pth',
                                                     metrics)


def test_voc_frozen_probe_trains_at_the_loss_size_and_scores_at_the_input_size(data, tmp_path):
    config = voc_config(str(tmp_path), data['voc'])
    log, metrics = train_downstream(config, data['ckpts']['vit-proxies'], str(tmp_path / 'work'))
    assert 'missing: none' in log and 'loss_ce' in log
    assert {'aAcc', 'mIoU', 'mAcc'} <= set(metrics) and 0.0 <= metrics['mIoU'] <= 100.0
    import torch
    trained = torch.load(str(tmp_path / 'work' / 'epoch_1.pth'), weights_only=False)
    initial = torch.load(data['ckpts']['vit-proxies'], weights_only=True)['state_dict']
    state = trained['state_dict']  # the frozen encoder did not move; only the 1x1 conv trains
    assert state['backbone.layers.0.attn.qkv.weight'].equal(
        initial['backbone.layers.0.attn.qkv.weight'])
    assert state['decode_head.conv_seg.weight'].shape[-2:] == (1, 1)


def test_dist_train_runs_the_upernet_config_on_two_processes(data, tmp_path):
    config = seg_config(str(tmp_path), 'vit', data['ade'])
    work = tmp_path / 'work'
    proc = run_tool(['tools/dist_train.sh', config, '2', '--work-dir', str(work),
                     '--cfg-options', f"model.backbone.init_cfg.checkpoint={data['ckpts']['vit']}"],
                    env_extra=dict(PORT=free_port()))
    log = proc.stdout + proc.stderr
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    assert (work / 'iter_2.pth').is_file()
