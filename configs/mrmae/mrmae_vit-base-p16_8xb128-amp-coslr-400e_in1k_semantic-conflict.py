# Tab. 3 ablation "semantic conflict": both targets on the decoder output. The mimic head reads
# the decoder's last hidden states (512 wide) at the masked patches and regresses the teacher's
# features there, beside the pixel loss.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=512, positions='masked', loss_weight=0.5,
    teacher=dict(type='CLIPTeacher', checkpoint={{_base_.teacher_checkpoint}}))])
