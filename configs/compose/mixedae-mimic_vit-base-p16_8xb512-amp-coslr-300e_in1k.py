# MixedAE + mimic head, ViT-B/16 on ImageNet-1K: MixedAE's 300-epoch recipe (compose mode,
# batch 4096, homologous attention and contrast) plus MR-MAE's mimic head with a CLIP ViT-B/16
# teacher (weight 0.5): every patch token of a mixed sample regresses CLIP's feature of the same
# patch of its source image (CLIP encodes the clean images, once per step). Full scale:
# 8 GPUs x 512 images. DINO teacher: --cfg-options model.aux_heads.0.teacher.type=DINOTeacher
# model.aux_heads.0.teacher.checkpoint=checkpoints/dino_vitbase16_pretrain.pth
_base_ = ['../mixedae/mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py']
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=768, loss_weight=0.5,
    teacher=dict(type='CLIPTeacher',
                 checkpoint='checkpoints/clip_vit-base-p16_openai_visual.pth'))])
