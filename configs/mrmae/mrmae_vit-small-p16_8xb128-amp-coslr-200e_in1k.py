# MR-MAE ViT-S/16 (DeiT-S sizes: 384 wide, 12 layers, 6 heads) for Tab. 6 (ImageNet-1K
# fine-tuning at every model scale, 200 pre-training epochs). Tab. 6 gives only the scale and
# the epochs; the rest is the ViT-B recipe of §4.1
# (docs/recipes.md): batch 1024, lr 1.5e-4 x 1024 / 256, 80 warm-up epochs, 25% visible tokens
# with focused mimicking, MAE's 8 x 512 decoder, loss weights 0.5 / 0.5, the CLIP ViT-B/16
# teacher (the only teacher the paper names; patch 16 keeps its 14x14 grid), and multi-layer
# fusion of layers [5, 8, 11] (0-based: last, last - L/4, last - L/2).
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-200e_in1k.py']
model = dict(
    backbone=dict(arch='deit-small', fusion_layers=[5, 8, 11]),
    neck=dict(embed_dim=384),
    aux_heads=[dict(
        type='MimicHead', in_channels=384, loss_weight=0.5,
        teacher=dict(type='CLIPTeacher', checkpoint={{_base_.teacher_checkpoint}}))])
