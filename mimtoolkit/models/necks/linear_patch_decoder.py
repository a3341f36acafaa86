"""A linear layer from each token to its patch's pixels (SimMIM's decoder, token form)."""
from typing import Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mimtoolkit.registry import register_part


@register_part('neck')
class LinearPatchDecoder(BaseModule):
    """Predicts every patch's p·p·C pixels from its token with one linear layer.

    The decoder of a MAE whose encoder already outputs a token at every patch
    (the [MASK] outputs of SemanticMIM's proxy branch): no mask tokens to add,
    no transformer to run.

    Args:
        in_channels (int): Token width C_in.
        patch_size (int): Patch size p.
        out_channels (int): Image channels C. Defaults to 3.
        init_cfg (dict, optional): Defaults to Xavier-uniform.
    """

    #: Where a config puts it (for the parts catalogue).
    slot = 'the `neck` of MAE with SemanticMIM proxies'

    #: Where it comes from: the paper and section it implements.
    source = 'SemanticMIM §3: linear decoder of the [MASK] branch'

    def __init__(self, in_channels: int, patch_size: int, out_channels: int = 3,
                 init_cfg: dict = dict(type='Xavier', layer='Linear', distribution='uniform')
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.patch_size = patch_size
        self.decoder_pred = nn.Linear(in_channels, patch_size**2 * out_channels)

    def forward(self, patch_tokens: torch.Tensor, return_hidden: bool = False
                ) -> Union[torch.Tensor, Tuple[torch.Tensor, torch.Tensor]]:
        """(B, L, C_in) tokens in raster order -> (B, L, p·p·C) patch pixels; with
        ``return_hidden``, also the tokens themselves as the hidden states (the contract of
        ``MAEPretrainDecoder``'s forward)."""
        pred = self.decoder_pred(patch_tokens)
        return (pred, patch_tokens) if return_hidden else pred
