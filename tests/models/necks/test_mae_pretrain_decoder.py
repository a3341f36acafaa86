"""MAEPretrainDecoder: mmpretrain's decoder, its predictions unchanged, its hidden states given
by the decoder (what a forward pre-hook on ``decoder_pred`` used to catch)."""
import pytest
import torch
from mmpretrain.models.necks import MAEPretrainDecoder as MMPretrainMAEDecoder

from mimtoolkit.models.necks import MAEPretrainDecoder, PatchTokenMAEDecoder
from mimtoolkit.parts.tiny_examples import tiny_mae_cfg
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError

SIZES = dict(num_patches=16, patch_size=2, embed_dim=8, decoder_embed_dim=12, decoder_depth=2,
             decoder_num_heads=2)


def pred_input(decoder, *args) -> torch.Tensor:
    """What ``decoder_pred`` sees in the decoder's forward."""
    seen = {}
    handle = decoder.decoder_pred.register_forward_pre_hook(lambda m, a: seen.update(x=a[0]))
    decoder(*args)
    handle.remove()
    return seen['x']


def test_predictions_and_hidden_states_are_upstreams():
    """The same predictions as mmpretrain's decoder with the same weights, and as hidden
    states what its ``decoder_pred`` sees at the patches."""
    decoder, upstream = MAEPretrainDecoder(**SIZES), MMPretrainMAEDecoder(**SIZES)
    decoder.init_weights()
    upstream.load_state_dict(decoder.state_dict())
    ids_restore = torch.stack([torch.randperm(16) for _ in range(3)])
    x = torch.randn(3, 1 + 4, 8)  # [CLS] and 4 visible patches
    pred, hidden = decoder(x, ids_restore, return_hidden=True)
    assert pred.shape == (3, 16, 2 * 2 * 3) and hidden.shape == (3, 16, 12)
    assert torch.equal(pred, upstream(x, ids_restore))
    assert torch.equal(decoder(x, ids_restore), pred)  # mmpretrain's output by default
    assert torch.equal(hidden, pred_input(upstream, x, ids_restore)[:, 1:])


def test_patch_token_decoder_gives_the_hidden_states_of_its_patches():
    decoder = PatchTokenMAEDecoder(**SIZES)
    decoder.init_weights()
    ids_restore = torch.stack([torch.randperm(16) for _ in range(3)])
    x = torch.randn(3, 4, 8)  # 4 visible patches, no [CLS]
    pred, hidden = decoder(x, ids_restore, return_hidden=True)
    assert pred.shape == (3, 16, 2 * 2 * 3) and hidden.shape == (3, 16, 12)
    assert torch.equal(hidden, pred_input(decoder, x, ids_restore))
    assert torch.equal(pred, decoder.decoder_pred(hidden))


def test_configs_plain_name_builds_it_and_mae_refuses_upstreams_class():
    cfg = tiny_mae_cfg()
    assert type(MODELS.build(cfg).neck) is MAEPretrainDecoder
    cfg['neck']['type'] = 'mmpretrain.MAEPretrainDecoder'
    with pytest.raises(ConfigError, match=r"model.neck.type='MAEPretrainDecoder' is invalid: "
                       r"expected a decoder that fills in the dropped patches and gives its "
                       r"hidden states"):
        MODELS.build(cfg)
