# MR-MAE with a ViT-B/16 encoder (Gao et al., "Mimic before Reconstruct: Enhancing Masked
# Autoencoders with Feature Mimicking", §4.1): MAE's encoder and 8-block decoder reconstructing
# normalised pixels of the masked patches (weight 0.5), 25% visible tokens chosen by focused
# mimicking (the CLIP teacher's most salient patches kept visible, the rest random), and a mimic
# head on the encoder's visible tokens regressing CLIP ViT-B/16 features (weight 0.5).
# The teacher is read from a LOCAL file (nothing is downloaded): see docs/mrmae.md.
_base_ = ['./mae_vit-base-p16.py']
teacher_checkpoint = 'checkpoints/clip_vit-base-p16_openai_visual.pth'
model = dict(
    masker=dict(type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5, mode='topk'),
    aux_heads=[dict(
        type='MimicHead', in_channels=768, loss_weight=0.5,
        teacher=dict(type='CLIPTeacher', checkpoint=teacher_checkpoint))],
    head=dict(loss_weight=0.5))
