"""MAE's decoder that gives its last hidden states beside its predictions."""
from typing import Tuple, Union

import torch
from mmpretrain.models.necks import MAEPretrainDecoder as MMPretrainMAEDecoder

from mimtoolkit.registry import register_part


@register_part('neck')
class MAEPretrainDecoder(MMPretrainMAEDecoder):
    """mmpretrain's ``MAEPretrainDecoder`` (same arguments, parameter names and predictions)
    with its step split where an auxiliary head reads: ``forward(..., return_hidden=True)``
    gives the predictions and the normalised last hidden states at every patch (a head on the
    masked patches reads the latter).

    It is registered under mmpretrain's name in the ``mimtoolkit`` scope, so a config's
    ``type='MAEPretrainDecoder'`` builds it and every checkpoint loads as before;
    ``type='mmpretrain.MAEPretrainDecoder'`` still names upstream's class.

    Args:
        **kwargs: mmpretrain's ``MAEPretrainDecoder`` arguments.
    """

    #: Where a config puts it (for the parts catalogue).
    slot = 'the `neck` of MAE, i-MAE or MixedAE'

    #: Where it comes from: the paper and section it implements.
    source = "MAE (He et al. 2022) §3: the lightweight decoder (mmpretrain's)"

    #: Rows before the patches in the decoder's sequence: the encoder's [CLS].
    num_extra_tokens = 1

    def sequence(self, x: torch.Tensor, ids_restore: torch.Tensor) -> torch.Tensor:
        """The decoder's normalised last hidden states (mmpretrain's forward before
        ``decoder_pred``).

        Args:
            x (Tensor): (B, 1 + N_vis, C_enc) the encoder's [CLS] and visible tokens.
            ids_restore (Tensor): (B, L) long, the mask's un-shuffle indices.

        Returns:
            Tensor: (B, 1 + L, C_dec): the [CLS] row, then every patch in raster order.
        """
        x = self.decoder_embed(x)  # (B, 1 + N_vis, C)
        masks = self.mask_token.expand(x.shape[0], ids_restore.shape[1] + 1 - x.shape[1], -1)
        patches = torch.cat([x[:, 1:], masks], dim=1)  # (B, L, C), shuffled order
        patches = torch.gather(patches, 1, ids_restore.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        x = torch.cat([x[:, :1], patches], dim=1) + self.decoder_pos_embed
        for block in self.decoder_blocks:
            x = block(x)
        return self.decoder_norm(x)

    def forward(self, x: torch.Tensor, ids_restore: torch.Tensor,
                return_hidden: bool = False) -> Union[torch.Tensor, Tuple[torch.Tensor, ...]]:
        """Decode every patch from the visible ones.

        Args:
            x (Tensor): The encoder's tokens, as :meth:`sequence` takes them.
            ids_restore (Tensor): (B, L) long, the mask's un-shuffle indices.
            return_hidden (bool): Also return the hidden states. Defaults to False
                (mmpretrain's output).

        Returns:
            Tensor | tuple[Tensor, Tensor]: (B, L, p·p·C) predictions; with
            ``return_hidden``, also (B, L, C_dec) the normalised last hidden states, every
            patch in raster order.
        """
        hidden = self.sequence(x, ids_restore)
        extra = self.num_extra_tokens
        pred = self.decoder_pred(hidden)[:, extra:]
        return (pred, hidden[:, extra:]) if return_hidden else pred
