# Tab. 3 row 5, "semantic conflict": both targets on the decoder output, with focused masking
# and multi-layer fusion as that row marks them; 200 epochs. The mimic head reads the
# decoder's last hidden states (512 wide) at the masked patches and regresses the teacher's
# features there, beside the pixel loss.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-200e_in1k.py']
model = dict(
    backbone=dict(fusion_layers=[5, 8, 11]),
    aux_heads=[dict(
        type='MimicHead', in_channels=512, positions='masked', loss_weight=0.5,
        teacher=dict(type='CLIPTeacher', checkpoint={{_base_.teacher_checkpoint}}))])
