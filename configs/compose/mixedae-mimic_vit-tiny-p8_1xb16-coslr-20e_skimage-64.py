# Hybrid none of the papers tried: MixedAE + MR-MAE's mimic head. MixedAE's patch mixing,
# segment embeddings, TopK attention and homologous contrast (its small photo config), plus a
# MimicHead in aux_heads: every patch token of a mixed sample regresses the frozen teacher's
# feature of the same patch of its *source* image (the teacher encodes the clean images).
# Teacher: the MAE that `make demo` trains (work_dirs/demo/epoch_20.pth); a CLIP/DINO teacher
# works the same way (type='CLIPTeacher' / 'DINOTeacher', a local checkpoint, in_channels=192).
_base_ = ['../mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
teacher_checkpoint = 'work_dirs/demo/epoch_20.pth'
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=192, loss_weight=0.5,
    teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint,
                 encoder=dict(type='MIMViT', arch='mim-tiny', img_size=64, patch_size=8)))])
