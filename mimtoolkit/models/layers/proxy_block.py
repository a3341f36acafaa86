"""SemanticMIM's reconstruction branch: [MASK] tokens cross-attend to [PROXY] + [MASK]."""
import torch
import torch.nn.functional as F
from mmpretrain.models.backbones.vision_transformer import TransformerEncoderLayer
from mmpretrain.models.utils import MultiheadAttention

from mimtoolkit.registry import register_part


class ProxyCrossAttention(MultiheadAttention):
    """mmpretrain's ``MultiheadAttention`` whose first tokens are context only.

    Keys and values come from the whole sequence ``[context; queries]``;
    queries (and outputs) only from the query tokens. Parameter names
    (``qkv``, ``proj``) are mmpretrain's; the q rows of ``qkv`` are applied
    to the queries alone, so no projection is computed for nothing.
    """

    def forward(self, x: torch.Tensor, num_context: int) -> torch.Tensor:
        """Attend from the last ``N - num_context`` tokens to all N.

        Args:
            x (Tensor): (B, N, C) normalised ``[context; queries]``.
            num_context (int): Leading tokens that only serve as keys/values.

        Returns:
            Tensor: (B, N - num_context, C) attention outputs of the queries
            (projected, dropout and layer scale applied; no residual).
        """
        B, N, C = x.shape
        n_q = N - num_context
        weight, bias = self.qkv.weight, self.qkv.bias
        # q only for the queries, k and v for all: the qkv layer's rows, used in two parts
        q = F.linear(x[:, num_context:], weight[:C], None if bias is None else bias[:C])
        kv = F.linear(x, weight[C:], None if bias is None else bias[C:])
        q = q.reshape(B, n_q, self.num_heads, self.head_dims).transpose(1, 2)
        k, v = kv.reshape(B, N, 2, self.num_heads, self.head_dims).permute(2, 0, 3, 1, 4)
        attn_drop = self.attn_drop if self.training else 0.
        x = self.scaled_dot_product_attention(q, k, v, dropout_p=attn_drop)
        x = x.transpose(1, 2).reshape(B, n_q, self.embed_dims)
        return self.out_drop(self.gamma1(self.proj_drop(self.proj(x))))


@register_part('block')
class ProxyBlock(TransformerEncoderLayer):
    """Branch (b) of SemanticMIM's proxy block (Eq. 4), one per encoder layer.

    ``M' = M + CrossAttn(q = LN(M), kv = LN([P; M]))``, then
    ``M'' = M' + MLP(LN(M'))``: the [MASK] tokens M query the [PROXY] tokens P
    (as they leave the encoder layer's branch (a)) and themselves, never the
    [IMG] tokens. Its own weights (mmpretrain layer names: ``ln1``,
    ``attn.qkv``, ``attn.proj``, ``ln2``, ``ffn``); the encoder builds one per
    layer as ``mask_layers.N`` and uses them only in pretraining.

    Args:
        embed_dims (int): Width C.
        num_heads (int): Attention heads.
        feedforward_channels (int): MLP hidden width.
        **kwargs: Other ``TransformerEncoderLayer`` arguments (dropout, drop
            path, ``qkv_bias``, ``layer_scale_init_value``, ``norm_cfg``).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'SemanticMIM §3: [IMG]+[PROXY] self-attention, [MASK] cross-attention'

    def __init__(self, embed_dims: int, num_heads: int, feedforward_channels: int,
                 drop_rate: float = 0., attn_drop_rate: float = 0., drop_path_rate: float = 0.,
                 qkv_bias: bool = True, layer_scale_init_value: float = 0., **kwargs) -> None:
        super().__init__(embed_dims, num_heads, feedforward_channels,
                         layer_scale_init_value=layer_scale_init_value, drop_rate=drop_rate,
                         attn_drop_rate=attn_drop_rate, drop_path_rate=drop_path_rate,
                         qkv_bias=qkv_bias, **kwargs)
        self.attn = ProxyCrossAttention(
            embed_dims=embed_dims, num_heads=num_heads, attn_drop=attn_drop_rate,
            proj_drop=drop_rate, dropout_layer=dict(type='DropPath', drop_prob=drop_path_rate),
            qkv_bias=qkv_bias, layer_scale_init_value=layer_scale_init_value)

    def forward(self, proxies: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
        """Update the [MASK] tokens.

        Args:
            proxies (Tensor): (B, N_p, C) [PROXY] tokens after the layer's branch (a).
            masks (Tensor): (B, N_m, C) [MASK] tokens.

        Returns:
            Tensor: (B, N_m, C) updated [MASK] tokens.
        """
        context = self.ln1(torch.cat([proxies, masks], dim=1))
        masks = masks + self.attn(context, proxies.shape[1])
        return self.ffn(self.ln2(masks), identity=masks)
