# MAE ViT-S/16 on ImageNet-1K: the ViT-B recipe with a ViT-S encoder (DeiT-S sizes: width 384,
# 12 layers, 6 heads) and
# the same 8-layer, 512-wide decoder. Also the size tools/analysis_tools/benchmark.py is
# measured at (docs/benchmarks.md).
_base_ = ['./mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py']
model = dict(backbone=dict(arch='deit-small'), neck=dict(embed_dim=384))
