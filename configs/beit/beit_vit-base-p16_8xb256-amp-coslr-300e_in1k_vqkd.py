# BEiT ViT-B/16 with BEiT v2's VQKD tokenizer (mmpretrain's vqkd_encoder.pth on local disk)
# instead of DALL-E; everything else as the DALL-E config.
_base_ = ['./beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py']
model = dict(target_generator=dict(
    _delete_=True, type='VQKDTokenizer', checkpoint='checkpoints/vqkd_encoder.pth'))
