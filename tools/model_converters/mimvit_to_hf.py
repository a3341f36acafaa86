"""Export a pretrained MIMViT to a Hugging Face transformers model directory.

    python tools/model_converters/mimvit_to_hf.py CONFIG CHECKPOINT OUT_DIR [--encoder-only]

OUT_DIR gets ``config.json``, ``model.safetensors`` and ``preprocessor_config.json`` (the
data preprocessor's mean/std on 0-1 RGB, bicubic resize to the training size):

- an MAE pretrainer (MIMViT + mmpretrain's ``MAEPretrainDecoder`` + pixel head):
  ``ViTMAEForPreTraining`` (encoder, decoder, ``mask_ratio``, ``norm_pix_loss``);
- any other pretrainer with a plain MIMViT encoder, or ``--encoder-only``: ``ViTModel``
  without the pooler (load it with ``ViTModel.from_pretrained(OUT_DIR,
  add_pooling_layer=False)``; ``ViTForImageClassification.from_pretrained(OUT_DIR,
  num_labels=N)`` adds a new classifier). MixedAE's homologous layers export as the dense
  attention a transfer backbone runs.

The position table is copied as it is: transformers keeps it as a loaded parameter, so the
exported model computes our function whatever the table's layout (ours is mmpretrain's 2-D
sin-cos, its halves in the other order from the official MAE table transformers would build
for a new model). The tool reloads OUT_DIR with ``from_pretrained``, refuses missing or
unexpected keys, and checks that the outputs equal ours on one batch (for ViTMAE with our
mask passed as its ``noise``). SemanticMIM proxy and ConvViT backbones have no transformers
class and are refused in one line (``mimvit_to_timm.py`` exports proxies as register tokens).
"""
import argparse
import os.path as osp
import sys

import torch

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'analysis_tools'))
from analysis_common import load_pretrainer  # noqa: E402
from cli_common import run_cli  # noqa: E402

#: The largest |ours - transformers| the self-check accepts (fp32).
TOLERANCE = 1e-4


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='MIMViT -> transformers ViT / ViTMAE')
    parser.add_argument('config', help='the pretraining config')
    parser.add_argument('checkpoint', help='a checkpoint of it')
    parser.add_argument('out_dir', help='output model directory')
    parser.add_argument('--encoder-only', action='store_true',
                        help='export the encoder as ViTModel even for MAE')
    return parser.parse_args(argv)


def refuse_unexportable(model) -> None:
    """One line for encoders transformers has no class for."""
    from mimtoolkit.utils import ConfigError
    backbone = model.backbone
    name = type(backbone).__name__
    if hasattr(backbone.patch_embed, 'stage1'):
        raise ConfigError(f'model.backbone.type={name!r} is invalid here: a ConvViT (ConvMAE '
                          'stages) has no transformers class; export a MIMViT')
    if backbone.num_proxy_tokens:
        raise ConfigError(f'model.backbone.num_proxy_tokens={backbone.num_proxy_tokens} is '
                          'invalid here: SemanticMIM proxies have no transformers ViT '
                          'counterpart; export them as timm register tokens with '
                          'tools/model_converters/mimvit_to_timm.py')
    if not isinstance(backbone.pre_norm, torch.nn.Identity):
        raise ConfigError('model.backbone.pre_norm=True is invalid here: transformers ViT has '
                          'no norm before the first block')


def hf_configs(model, as_mae: bool):
    """(transformers model config, image processor) of the pretrainer."""
    from transformers import ViTConfig, ViTImageProcessor, ViTMAEConfig
    backbone = model.backbone
    size = int(backbone.patch_resolution[0] * backbone.patch_size)
    common = dict(
        hidden_size=backbone.embed_dims, num_hidden_layers=len(backbone.layers),
        num_attention_heads=backbone.layers[0].attn.num_heads,
        intermediate_size=backbone.layers[0].ffn.layers[0][0].out_features, hidden_act='gelu',
        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        layer_norm_eps=backbone.ln1.eps, image_size=size, patch_size=backbone.patch_size,
        num_channels=3, qkv_bias=backbone.layers[0].attn.qkv.bias is not None)
    if as_mae:
        neck = model.neck
        config = ViTMAEConfig(
            **common, decoder_num_attention_heads=neck.decoder_blocks[0].attn.num_heads,
            decoder_hidden_size=neck.decoder_embed.out_features,
            decoder_num_hidden_layers=len(neck.decoder_blocks),
            decoder_intermediate_size=neck.decoder_blocks[0].ffn.layers[0][0].out_features,
            mask_ratio=float(model.masker.mask_ratio), norm_pix_loss=bool(model.head.norm_pix),
            architectures=['ViTMAEForPreTraining'])
    else:
        config = ViTConfig(**common, architectures=['ViTModel'])
    dp = model.data_preprocessor
    processor = ViTImageProcessor(
        do_resize=True, size=dict(height=size, width=size), resample=3, do_rescale=True,
        rescale_factor=1 / 255, do_normalize=True,
        image_mean=(dp.mean.flatten() / 255).tolist(), image_std=(dp.std.flatten() / 255).tolist())
    return config, processor


def is_mae_with_decoder(model) -> bool:
    """The pretrainer is MAE with mmpretrain's decoder and a pixel head (ViTMAE's shape)."""
    from mmpretrain.models.necks import MAEPretrainDecoder
    return (type(model).__name__ == 'MAE' and isinstance(model.neck, MAEPretrainDecoder)
            and type(model.head).__name__ == 'PixelReconstructionHead')


def export(config: str, checkpoint: str, out_dir: str, encoder_only: bool = False) -> dict:
    """Write OUT_DIR; returns what was exported and the checked output difference."""
    from transformers import ViTMAEForPreTraining, ViTModel

    from mimtoolkit.utils import ConfigError
    from mimtoolkit.utils.hf_vit_state_dict import mae_decoder_to_hf, mimvit_to_hf_vit
    model, _ = load_pretrainer(config, checkpoint)
    refuse_unexportable(model)
    as_mae = is_mae_with_decoder(model) and not encoder_only
    hf_config, processor = hf_configs(model, as_mae)
    prefix = 'vit.' if as_mae else ''
    state = {f'{prefix}{k}': v for k, v in mimvit_to_hf_vit(model.backbone.state_dict()).items()}
    if as_mae:
        state.update(mae_decoder_to_hf(model.neck.state_dict()))
    hf_class = ViTMAEForPreTraining if as_mae else ViTModel
    kwargs = {} if as_mae else dict(add_pooling_layer=False)
    hf_model = hf_class(hf_config, **kwargs)
    missing, unexpected = hf_model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ConfigError(f'checkpoint={checkpoint!r} does not export to {hf_class.__name__}: '
                          f'missing {missing[:5]}, unexpected {unexpected[:5]}')
    hf_model.save_pretrained(out_dir, safe_serialization=True)
    processor.save_pretrained(out_dir)
    reloaded, info = hf_class.from_pretrained(out_dir, output_loading_info=True, **kwargs)
    bad = {k: v for k, v in info.items() if k != 'error_msgs' and v} or \
        ({'error_msgs': info['error_msgs']} if info.get('error_msgs') else {})
    if bad:
        raise ConfigError(f'{out_dir} does not reload cleanly with {hf_class.__name__}.'
                          f'from_pretrained: {bad}')
    diff = compare_outputs(model, reloaded.eval(), as_mae)
    if diff > TOLERANCE:
        raise ConfigError(f'{out_dir}: the transformers model differs from ours by {diff:.2e} '
                          f'(> {TOLERANCE})')
    return dict(cls=hf_class.__name__, tensors=len(state), max_abs_diff=diff)


@torch.no_grad()
def compare_outputs(model, hf_model, as_mae: bool, batch: int = 2) -> float:
    """Largest |difference| of encoder tokens (and ViTMAE's decoder output) on random images."""
    backbone = model.backbone
    size = int(backbone.patch_resolution[0] * backbone.patch_size)
    generator = torch.Generator().manual_seed(0)
    images = torch.randn(batch, 3, size, size, generator=generator)
    if not as_mae:
        ours = backbone.encode(images).leading_and_visible()
        return float((hf_model(pixel_values=images).last_hidden_state - ours).abs().max())
    latent, _ = model.encode_masked(images)
    pred, _ = model.decode(latent)
    out = hf_model(pixel_values=images, noise=latent.mask_info.ids_restore.float(),
                   output_hidden_states=False)
    encoded = hf_model.vit(pixel_values=images, noise=latent.mask_info.ids_restore.float())
    return max(float((encoded.last_hidden_state - latent.leading_and_visible()).abs().max()),
               float((out.logits - pred).abs().max()))


def main(argv=None) -> None:
    args = parse_args(argv)
    report = export(args.config, args.checkpoint, args.out_dir, args.encoder_only)
    print(f"{report['tensors']} tensors -> {args.out_dir} ({report['cls']}; config.json, "
          f"model.safetensors, preprocessor_config.json); outputs equal ours within "
          f"{report['max_abs_diff']:.1e}")


if __name__ == '__main__':
    run_cli(main)
