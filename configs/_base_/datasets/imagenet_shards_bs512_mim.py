# ImageNet-1K as webdataset-style tar shards (tools/dataset_converters/folder_to_shards.py
# data/imagenet/train data/imagenet-shards: ~1 GB shards of the JPEGs with their labels), read
# in place; ShardSampler gives every rank and every data worker its own shards (README,
# "Sharded data"). The loader settings and pipeline are imagenet_bs512_mim.py's: swap that base
# for this one.
_base_ = ['./imagenet_bs512_mim.py']
dataset_type = 'TarShardDataset'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ShardSampler', shuffle=True),
    dataset=dict(_delete_=True, type=dataset_type, shards='data/imagenet-shards/train-*.tar',
                 classes='data/imagenet-shards/classes.txt',
                 pipeline={{_base_.train_pipeline}}))
