"""Multi-process equivalence: ``dist_train.sh CONFIG 2`` (gloo, batch B per process) logs the
same loss curve as one process of ``tools/train.py`` with batch 2B, for every method (MaskFeat
as SemanticMIM-MaskFeat: its pretrainer and HOG target, with proxies; MAE's curve at two
processes is tests/e2e/test_multinode.py's, and MR-MAE here is MAE's pretrainer).

What makes it hold (docs/reliability.md): mmengine's sampler gives rank r the global batch's
samples j·2 + r; masks, mixing coefficients, MixedAE's mixing masks and i-MAE's partners are
drawn for the global batch and each rank keeps its rows; MixedAE's groups and the semantic
sampler's pairs are defined so that they are the same however the batch is split; i-MAE's
permutation partners come from the all-gathered global batch; logged losses are averaged over
ranks. The photos are resized instead of randomly cropped: augmentations are drawn in each
process's data pipeline, which is not covered.
"""
import pytest
import torch

from ..conftest import free_port, run_tool
from .helpers import photo_config, scalars

pytestmark = pytest.mark.slow


def tokenizer_and_teacher(tmp_path) -> str:
    """Model options pointing BEiT's tokenizer and MR-MAE's teacher at local files."""
    from mmpretrain.models.selfsup.cae import DALLEEncoder

    from mimtoolkit.registry import MODELS
    tokenizer, teacher = tmp_path / 'dalle.pth', tmp_path / 'teacher.pth'
    torch.save(DALLEEncoder(n_hid=16, n_blk_per_group=1, vocab_size=64).state_dict(), tokenizer)
    encoder = MODELS.build(dict(type='MIMViT', arch='mim-tiny', img_size=64, patch_size=8))
    torch.save({'state_dict': {f'backbone.{k}': v for k, v in encoder.state_dict().items()}},
               teacher)
    return str(tokenizer), str(teacher)


IMAE = "model = dict(distill_head=dict(teacher=dict(checkpoint={teacher!r})))\n"
METHODS = {
    'beit': ('configs/beit/beit_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
             "model = dict(target_generator=dict(checkpoint={tokenizer!r}, n_hid=16,\n"
             "    n_blk_per_group=1, vocab_size=64), head=dict(num_tokens=64))\n", ''),
    'imae': ('configs/imae/imae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py', IMAE, ''),
    # semantics-enhanced: half of every global batch's pairs share a photo
    'imae_semantic': ('configs/imae/imae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
                      IMAE.replace("model = dict(", "model = dict(mixer=dict(type='PixelMixer', "
                                   "partner='halves'), "),
                      "batch_sampler=dict(type='SemanticPairBatchSampler', "
                      "same_class_ratio=0.5),\n"),
    'mixedae': ('configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py', '', ''),
    'mrmae': ('configs/mrmae/mrmae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
              "model = dict(aux_heads=[dict(type='MimicHead', in_channels=192, loss_weight=0.5,\n"
              "    teacher=dict(type='FrozenViTTeacher', checkpoint={teacher!r},\n"
              "    encoder=dict(type='MIMViT', arch='mim-tiny', img_size=64,\n"
              "                 patch_size=8)))])\n", ''),
    'semanticmim': (
        'configs/semanticmim/semanticmim-maskfeat_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py', '',
        ''),
}


def curves(tmp_path, name, base, model, loader, per_process=4, world=2):
    """Per-step logged losses of one process (batch world·B) and of world processes (B), and
    the world processes' output."""
    single = photo_config(tmp_path, name, base, world * per_process, model, loader)
    split = photo_config(tmp_path, name, base, per_process, model, loader)
    run_tool(['tools/train.py', single, '--work-dir', str(tmp_path / f'{name}_1')])
    proc = run_tool(['tools/dist_train.sh', split, str(world), '--work-dir',
                     str(tmp_path / f'{name}_2')], env_extra=dict(PORT=free_port()))
    return (scalars(str(tmp_path / f'{name}_1')), scalars(str(tmp_path / f'{name}_2')),
            proc.stdout + proc.stderr)


@pytest.mark.parametrize('method', list(METHODS))
def test_two_processes_log_the_single_process_loss_curve(method, tmp_path):
    base, model, loader = METHODS[method]
    tokenizer, teacher = tokenizer_and_teacher(tmp_path)
    one, two, log = curves(tmp_path, method, base,
                           model.format(tokenizer=tokenizer, teacher=teacher), loader)
    assert len(one) == len(two) == 5  # 40 photos / global batch 8
    if 'SemanticPairBatchSampler' in loader:  # each rank draws its share of the pairs
        assert "type='SemanticPairBatchSampler'" in log
        assert all('loss_rec_sub' in r for r in two)
    keys = sorted(k for k in one[0] if k.startswith('loss'))
    assert keys and keys == sorted(k for k in two[0] if k.startswith('loss'))
    for step, (a, b) in enumerate(zip(one, two)):
        for key in keys:
            assert b[key] == pytest.approx(a[key], rel=2e-4, abs=1e-6), (step, key)
    # the curve moves (the steps update the weights), so equality is not a constant
    assert len({round(r['loss'], 6) for r in one}) > 1
