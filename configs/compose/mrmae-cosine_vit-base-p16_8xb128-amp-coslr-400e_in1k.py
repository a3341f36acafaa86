# Hybrid (a loss swap), ViT-B/16 on ImageNet-1K: MR-MAE's 400-epoch recipe (CLIP ViT-B/16
# teacher, focused mimicking, loss weights 0.5 / 0.5) with the mimic loss 1 - cos(pred, target)
# on LayerNorm-normalised CLIP targets, as EVA, MILAN and MaskDistill regress CLIP, instead of
# MR-MAE's L2 (Eq. 2). Only the mimic head's `loss` differs from the parent (mmengine replaces
# lists whole, so the head is written out). Full scale: 8 GPUs x 128 images.
_base_ = ['../mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=768, loss_weight=0.5,
    loss=dict(type='FeatureRegressionLoss', criterion='cosine', target_norm='layer_norm'),
    teacher=dict(type='CLIPTeacher', checkpoint={{_base_.teacher_checkpoint}}))])
