"""MAE's decoder for an encoder without a [CLS] token (ConvMAE / ConvViT)."""
import torch
from mmpretrain.models.necks import MAEPretrainDecoder as MMPretrainMAEDecoder
from mmpretrain.models.utils import build_2d_sincos_position_embedding

from mimtoolkit.registry import register_part
from .mae_pretrain_decoder import MAEPretrainDecoder


@register_part('neck')
class PatchTokenMAEDecoder(MAEPretrainDecoder):
    """MAE's decoder (:class:`MAEPretrainDecoder`) over patch tokens only (no [CLS] row).

    mmpretrain's decoder takes ``[CLS] + visible`` tokens and keeps the
    [CLS] at position 0 of its sequence. ConvMAE's encoder has no [CLS]
    (``models_convmae.py``: "no cls token"), so this decoder takes the
    visible tokens alone: embed, append mask tokens, unshuffle with
    ``ids_restore``, add a (1, L, C) fixed sin-cos position embedding,
    decoder blocks, norm, per-patch prediction. Parameter names are
    mmpretrain's (``decoder_embed``, ``mask_token``, ``decoder_pos_embed``
    with L rows, ``decoder_blocks.N``, ``ln1``, ``decoder_pred``).

    Args:
        **kwargs: :class:`MAEPretrainDecoder` arguments.
    """

    #: Where a config puts it (for the parts catalogue).
    slot = 'the `neck` of MAE or i-MAE on a ConvViT'

    #: Where it comes from: the paper and section it implements.
    source = "ConvMAE (Gao et al. 2022): MAE's decoder without a [CLS] row"

    #: Tokens before the patch tokens in the decoder's sequence.
    num_extra_tokens = 0

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.decoder_pos_embed = torch.nn.Parameter(
            self.decoder_pos_embed.data[:, 1:].clone(), requires_grad=False)

    def init_weights(self) -> None:
        """mmpretrain's init, then the sin-cos position embedding without a [CLS] row."""
        super(MMPretrainMAEDecoder, self).init_weights()
        pos = build_2d_sincos_position_embedding(
            int(self.num_patches**.5), self.decoder_pos_embed.shape[-1], cls_token=False)
        self.decoder_pos_embed.data.copy_(pos.float())
        torch.nn.init.normal_(self.mask_token, std=.02)

    def sequence(self, x: torch.Tensor, ids_restore: torch.Tensor) -> torch.Tensor:
        """The decoder's normalised last hidden states.

        Args:
            x (Tensor): (B, N_vis, C_enc) encoder tokens of the visible patches.
            ids_restore (Tensor): (B, L) long, the mask's un-shuffle indices.

        Returns:
            Tensor: (B, L, C_dec), every patch in raster order.
        """
        x = self.decoder_embed(x)  # (B, N_vis, C)
        masks = self.mask_token.expand(x.shape[0], ids_restore.shape[1] - x.shape[1], -1)
        x = torch.cat([x, masks.to(x.dtype)], dim=1)  # (B, L, C), shuffled order
        x = torch.gather(x, 1, ids_restore.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        x = x + self.decoder_pos_embed
        for block in self.decoder_blocks:
            x = block(x)
        return self.decoder_norm(x)
