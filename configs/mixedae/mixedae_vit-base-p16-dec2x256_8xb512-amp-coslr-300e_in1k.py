# MixedAE ViT-B/16 with the lightweight decoder of the paper: 2 layers x 256 wide.
_base_ = ['./mixedae_vit-base-p16_8xb512-amp-coslr-300e_in1k.py']
model = dict(neck=dict(decoder_embed_dim=256, decoder_depth=2, decoder_num_heads=8))
