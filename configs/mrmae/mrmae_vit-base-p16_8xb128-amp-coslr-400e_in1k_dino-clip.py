# Tab. 4 "CLIP/DINO (Joint)": one student mimics both teachers, a mimic head each on the same
# visible tokens (focus from the CLIP teacher, the first head). The paper gives no weights for
# the joint run; each mimic loss keeps §4.1's 0.5 (docs/recipes.md).
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(aux_heads=[
    dict(type='MimicHead', in_channels=768, loss_weight=0.5, loss_name='loss_mimic_clip',
         teacher=dict(type='CLIPTeacher', checkpoint={{_base_.teacher_checkpoint}})),
    dict(type='MimicHead', in_channels=768, loss_weight=0.5, loss_name='loss_mimic_dino',
         teacher=dict(type='DINOTeacher', checkpoint='checkpoints/dino_vitbase16_pretrain.pth')),
])
