"""A test that needs Fashion-MNIST skips without it, and fails under CI=true."""
import subprocess
import sys

from .conftest import REPO

TEST = 'tests/datasets/test_datasets.py::test_debian_fashion_mnist'


def run(ci: str) -> subprocess.CompletedProcess:
    env = dict(__import__('os').environ, MIMTOOLKIT_TEST_FASHION_MNIST='/nonexistent/fmnist',
               CI=ci)
    return subprocess.run([sys.executable, '-m', 'pytest', '-q', '-rs', '-p', 'no:cacheprovider',
                           TEST], cwd=REPO, env=env, capture_output=True, text=True)


def test_missing_fashion_mnist_is_a_skip_here_and_a_failure_in_ci():
    local = run('')
    assert local.returncode == 0 and '1 skipped' in local.stdout
    assert '/nonexistent/fmnist is missing; make install or make data provides it' in local.stdout
    ci = run('true')
    assert ci.returncode == 1 and '1 error' in ci.stdout  # failed in its setup
    assert 'CI=true: Debian' in ci.stdout
