"""FLOPs of a training step counted from the model's shapes, against a hand computation."""
import torch

from mimtoolkit.evaluation.block_flops import step_flops, vit_block_flops
from mimtoolkit.registry import MODELS
from ..conftest import tiny_mae_cfg, tiny_maskfeat_cfg


def test_tiny_mae_step_matches_the_hand_count():
    """2 images of 32 px, patch 8 (16 patches), mask 0.75: the encoder sees 4 + [CLS]."""
    model = MODELS.build(tiny_mae_cfg())
    counted = step_flops(model, torch.rand(2, 3, 32, 32))
    B, D, d, P = 2, 32, 16, 8 * 8 * 3  # width of encoder, decoder; pixels per patch
    by_hand = B * (
        2 * 16 * D * P  # patch embedding of all 16 patches (before masking)
        + 2 * vit_block_flops(D, 5, mlp_ratio=2)['total']  # 2 encoder blocks on 5 tokens
        + 2 * 5 * D * d  # decoder embedding of the 5 encoded tokens
        + vit_block_flops(d, 17, mlp_ratio=4)['total']  # 1 decoder block on 16 + [CLS]
        + 2 * 17 * d * P)  # pixel prediction
    assert counted['forward'] == by_hand == 1198720
    assert counted['frozen_forward'] == 0 and counted['step'] == 3 * by_hand


def test_a_frozen_target_counts_its_forward_only():
    model = MODELS.build(tiny_maskfeat_cfg())
    counted = step_flops(model, torch.rand(2, 3, 32, 32))
    assert 0 < counted['frozen_forward'] < counted['forward']  # HOG's gradient convolutions
    assert counted['step'] == 3 * counted['forward'] - 2 * counted['frozen_forward']


def test_a_frozen_teachers_features_count_once(tmp_path):
    """MR-MAE's mimic head calls its DINO teacher through ``features``, not ``forward``."""
    from mimtoolkit.parts.tiny_examples import aux_head_examples, write_tiny_weights
    files = write_tiny_weights(str(tmp_path))
    mae = MODELS.build(tiny_mae_cfg())
    mrmae = MODELS.build(dict(tiny_mae_cfg(), aux_heads=[aux_head_examples(files)['MimicHead']]))
    images = torch.rand(2, 3, 32, 32)
    alone, mimic = step_flops(mae, images), step_flops(mrmae, images)
    assert mimic['frozen_forward'] > 0  # the teacher's forward, once
    # MAE's step + the teacher's forward (no backward) + the mimic head's forward and backward
    assert mimic['step'] > alone['step'] + mimic['frozen_forward']
