# MR-MAE ViT-B/16 with a DINO ViT-B/16 teacher (the paper's DINO variant), same recipe.
# Teacher weights: the official dino_vitbase16_pretrain.pth on local disk.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=768, loss_weight=0.5,
    teacher=dict(type='DINOTeacher', checkpoint='checkpoints/dino_vitbase16_pretrain.pth'))])
