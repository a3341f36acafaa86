# Hybrid (a loss swap): MR-MAE with a cosine mimic loss on LayerNorm-normalised teacher targets,
# as feature-distillation MIM methods regress CLIP (EVA, MILAN, MaskDistill), instead of MR-MAE's
# L2 (Eq. 2). The MR-MAE photo config with only the mimic head's `loss` changed; the teacher,
# weights, masking and schedule are MR-MAE's. (mmengine replaces lists whole, so the head is
# written out: the base's MimicHead plus `loss`.)
_base_ = ['../mrmae/mrmae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=192, loss_weight=0.5,
    loss=dict(type='FeatureRegressionLoss', criterion='cosine', target_norm='layer_norm'),
    teacher=dict(type='FrozenViTTeacher', checkpoint={{_base_.teacher_checkpoint}},
                 encoder=dict(type='MIMViT', arch='mim-tiny', img_size=64, patch_size=8)))])
