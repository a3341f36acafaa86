"""SemanticMIM's Appendix C FLOPs formula next to the exact count of our block."""
import pytest

from mimtoolkit.evaluation import (appendix_c_break_even, appendix_c_flops,
                                   appendix_c_vanilla_flops, measure_semanticmim_block,
                                   semanticmim_block_flops, vit_block_flops)
from mimtoolkit.registry import MODELS

D, L0, L1, L2 = 768, 78, 8, 118  # ViT-B/16, mask 0.6, 8 proxies (the paper's example)


def test_the_papers_formula_gives_its_quoted_saving_and_inference_cost():
    train = appendix_c_flops(D, L0, L1, L2) / appendix_c_vanilla_flops(D, 197) - 1
    inference = (appendix_c_flops(D, L0 + L2, L1, 0, branch_b=False)
                 / appendix_c_vanilla_flops(D, 197) - 1)
    assert train == pytest.approx(-0.028, abs=5e-4)
    assert inference == pytest.approx(0.037, abs=5e-4)
    # without [CLS] in the vanilla block the saving shrinks: the 197 is what the text used
    assert appendix_c_flops(D, L0, L1, L2) / appendix_c_vanilla_flops(D, 196) - 1 == \
        pytest.approx(-0.023, abs=5e-4)
    assert appendix_c_break_even(D, L0, L2, 197) == 14  # the text says 11


def test_the_exact_count_differs_by_the_two_projections_the_formula_leaves_out():
    exact = semanticmim_block_flops(D, L0, L1, L2)['total']
    assert exact - appendix_c_flops(D, L0, L1, L2) == 2 * (L2 + L1) * D * D
    assert exact / vit_block_flops(D, 197)['total'] - 1 == pytest.approx(0.023, abs=5e-4)
    assert appendix_c_vanilla_flops(D, 197) == vit_block_flops(D, 197)['total']


def test_the_exact_count_is_what_torch_counts_in_our_block():
    backbone = MODELS.build(dict(type='MIMViT', arch=dict(embed_dims=64, num_layers=1,
                                                          num_heads=4, feedforward_channels=256),
                                 img_size=32, patch_size=4, num_proxy_tokens=4))
    measured = measure_semanticmim_block(backbone.layers[0], backbone.mask_layers[0], 64,
                                         24, 4, 40, train=False)
    assert measured == semanticmim_block_flops(64, 24, 4, 40)['total']
    assert measured > appendix_c_flops(64, 24, 4, 40)
