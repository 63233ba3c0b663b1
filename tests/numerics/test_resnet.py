"""Numerical checks of the ResNet chapter (source/papers/resnet.md).

The unrolled forward identity and the path expansion of the Jacobian of identity-shortcut blocks are
checked on random blocks; the per-block and whole-network multiply-add counts derived in the chapter
are compared with counts obtained from explicit convolution shapes and with Table 1 of the paper; the
CIFAR-10 parameter formula is compared with a layer-by-layer count and with Table 6.
"""

import itertools
import math

import numpy as np
import pytest


def relu(z):
    return np.maximum(z, 0.0)


def make_blocks(rng, n, L, scale=0.3):
    return [(rng.normal(size=(n, n)) / math.sqrt(n), scale * rng.normal(size=(n, n)) / math.sqrt(n)) for _ in range(L)]


def branch(x, W1, W2):
    return W2 @ np.tanh(W1 @ x)


def branch_jac(x, W1, W2):
    return W2 @ ((1.0 - np.tanh(W1 @ x) ** 2)[:, None] * W1)


@pytest.mark.equations("resnet-unrolled", "resnet-gradient", "resnet-paths")
def test_unrolled_identity_and_jacobian_paths():
    rng = np.random.default_rng(0)
    n, L = 6, 5
    blocks = make_blocks(rng, n, L)
    x0 = rng.normal(size=n)
    xs, Fs = [x0], []
    for W1, W2 in blocks:
        Fs.append(branch(xs[-1], W1, W2))
        xs.append(xs[-1] + Fs[-1])
    # x_L = x_l + sum_{i=l}^{L-1} F(x_i) for every l
    for l in range(L):
        np.testing.assert_allclose(xs[L], xs[l] + np.sum(Fs[l:], axis=0), rtol=1e-12, atol=1e-12)
    # the Jacobian as the ordered product of (I + J_i) ...
    Js = [branch_jac(x, W1, W2) for x, (W1, W2) in zip(xs[:-1], blocks)]
    prod = np.eye(n)
    for J in Js:
        prod = (np.eye(n) + J) @ prod

    def forward(x):
        for W1, W2 in blocks:
            x = x + branch(x, W1, W2)
        return x

    h = 1e-6
    fd = np.column_stack([(forward(x0 + h * e) - forward(x0 - h * e)) / (2 * h) for e in np.eye(n)])
    np.testing.assert_allclose(prod, fd, rtol=1e-6, atol=1e-8)
    # ... equals the sum over all 2^L subsets of blocks (paths), identity path included
    paths = np.zeros((n, n))
    for r in range(L + 1):
        for subset in itertools.combinations(range(L), r):
            term = np.eye(n)
            for i in subset:  # increasing i = applied later = multiplied on the left
                term = Js[i] @ term
            paths += term
    np.testing.assert_allclose(paths, prod, rtol=1e-10, atol=1e-12)
    # identity term: the gradient at x_0 minus the gradient at x_L is the residual part only,
    # bounded as in the chapter's proposition
    delta = max(np.linalg.norm(J, 2) for J in Js)
    assert np.linalg.norm(prod - np.eye(n), 2) <= (1 + delta) ** L - 1 + 1e-12


@pytest.mark.equations("resnet-scaled-shortcut")
def test_scaled_shortcut_product():
    rng = np.random.default_rng(1)
    n, L = 5, 6
    lam = rng.uniform(0.5, 1.5, size=L)
    blocks = make_blocks(rng, n, L)
    x = x0 = rng.normal(size=n)
    Fhat_sum = np.zeros(n)
    for i, ((W1, W2), li) in enumerate(zip(blocks, lam)):
        F = branch(x, W1, W2)
        # F-hat_i = (prod_{j > i} lambda_j) F_i absorbs the later scalars
        Fhat_sum += np.prod(lam[i + 1 :]) * F
        x = li * x + F
    np.testing.assert_allclose(x, np.prod(lam) * x0 + Fhat_sum, rtol=1e-12, atol=1e-12)


def conv_cost(k, cin, cout, h, w):
    """Multiply-adds and weights of a k x k convolution with an h x w output."""
    return k * k * cin * cout * h * w, k * k * cin * cout


def explicit_conv_macs(x_shape, w_shape, stride):
    """Count multiply-adds of a 'same'-padded convolution from array shapes."""
    cin, h, w = x_shape
    cout, cin_w, k, _ = w_shape
    assert cin == cin_w
    ho, wo = math.ceil(h / stride), math.ceil(w / stride)
    out = np.zeros((cout, ho, wo))
    return out.size * cin * k * k, np.zeros(w_shape).size


@pytest.mark.equations("resnet-conv-cost", "resnet-block-cost", "resnet-projection")
def test_block_costs_from_shapes():
    for d, hw in [(64, 56), (128, 28), (256, 14), (512, 7)]:
        # basic block: two 3x3 convolutions d -> d
        macs = params = 0
        for _ in range(2):
            a, b = explicit_conv_macs((d, hw, hw), (d, d, 3, 3), 1)
            macs, params = macs + a, params + b
        assert macs == 18 * d * d * hw * hw and params == 18 * d * d
        # bottleneck: 1x1 4d -> d, 3x3 d -> d, 1x1 d -> 4d
        shapes = [((4 * d, hw, hw), (d, 4 * d, 1, 1)), ((d, hw, hw), (d, d, 3, 3)), ((d, hw, hw), (4 * d, d, 1, 1))]
        macs = params = 0
        for xs, ws in shapes:
            a, b = explicit_conv_macs(xs, ws, 1)
            macs, params = macs + a, params + b
        assert macs == 17 * d * d * hw * hw and params == 17 * d * d
        # a projection shortcut 4d -> 4d adds 16 d^2 HW: 33/17 is close to doubling
        proj, _ = explicit_conv_macs((4 * d, hw, hw), (4 * d, 4 * d, 1, 1), 1)
        assert (macs + proj) / macs == pytest.approx(33 / 17)
    # design rule: doubling channels and halving the map keeps the per-block cost fixed
    assert conv_cost(3, 64, 64, 56, 56)[0] == conv_cost(3, 128, 128, 28, 28)[0] == conv_cost(3, 512, 512, 7, 7)[0]
    # Sec. 4.1 / Fig. 5: the two first-stage blocks have similar complexity
    assert 18 * 64**2 == 73728 and 17 * 64**2 == 69632
    # projection shortcut output matches F(x): 1x1, stride 2, 64 -> 128 channels on 56x56 -> 28x28
    rng = np.random.default_rng(2)
    x = rng.normal(size=(64, 56, 56))
    Ws = rng.normal(size=(128, 64))
    shortcut = np.einsum("oc,chw->ohw", Ws, x[:, ::2, ::2])
    assert shortcut.shape == (128, 28, 28)


def resnet_macs(blocks, bottleneck):
    """Multiply-adds of an ImageNet ResNet from layer shapes (option B, stride on the first conv)."""
    total = conv_cost(7, 3, 64, 112, 112)[0]
    cin, size = 64, 56
    for stage, (nb, d) in enumerate(zip(blocks, [64, 128, 256, 512])):
        for b in range(nb):
            out = size // 2 if (stage > 0 and b == 0) else size
            if bottleneck:
                cout = 4 * d
                total += conv_cost(1, cin, d, out, out)[0] + conv_cost(3, d, d, out, out)[0] + conv_cost(1, d, cout, out, out)[0]
            else:
                cout = d
                total += conv_cost(3, cin, d, out, out)[0] + conv_cost(3, d, d, out, out)[0]
            if cin != cout:
                total += conv_cost(1, cin, cout, out, out)[0]
            cin, size = cout, out
    return total + cin * 1000


@pytest.mark.equations("resnet-total-cost", "resnet-block-cost")
def test_table1_flops():
    table1 = {18: 1.8, 34: 3.6, 50: 3.8, 101: 7.6, 152: 11.3}
    configs = {18: ([2, 2, 2, 2], False), 34: ([3, 4, 6, 3], False), 50: ([3, 4, 6, 3], True),
               101: ([3, 4, 23, 3], True), 152: ([3, 8, 36, 3], True)}
    for depth, (blocks, bottleneck) in configs.items():
        # depth = 2 (conv1, fc) + layers per block * blocks
        assert 2 + (3 if bottleneck else 2) * sum(blocks) == depth
        g = resnet_macs(blocks, bottleneck) / 1e9
        assert abs(g - table1[depth]) / table1[depth] < 0.025, (depth, g)
    # the 34-layer network costs about 18% of VGG-19 (19.6 billion)
    assert round(3.6 / 19.6, 2) == 0.18


def cifar_params_by_layer(n):
    convs = [(3, 16)] + [(16, 16)] * (2 * n) + [(16, 32)] + [(32, 32)] * (2 * n - 1) + [(32, 64)] + [(64, 64)] * (2 * n - 1)
    conv = sum(9 * a * b for a, b in convs)
    bn = sum(2 * b for _, b in convs)
    return conv + bn + 64 * 10 + 10, len(convs) + 1


@pytest.mark.equations("resnet-cifar-params", "resnet-conv-cost")
def test_cifar_parameter_counts_table6():
    table6 = {3: 0.27, 5: 0.46, 7: 0.66, 9: 0.85, 18: 1.7, 200: 19.4}
    for n, millions in table6.items():
        count, layers = cifar_params_by_layer(n)
        assert layers == 6 * n + 2
        assert count == 97216 * n - 21926
        digits = 1 if millions >= 1 else 2
        assert round(count / 1e6, digits) == millions


@pytest.mark.equations("resnet-first-block-cost", "resnet-total-rule", "resnet-total-cost")
def test_first_blocks_of_each_stage_and_the_counting_rule():
    # first blocks from shapes: input of half (or, stage 1 bottleneck, a quarter of) the output width,
    # projection shortcut, stride on the first convolution
    for d, hw in [(128, 28), (256, 14), (512, 7)]:
        basic = conv_cost(3, d // 2, d, hw, hw)[0] + conv_cost(3, d, d, hw, hw)[0] + conv_cost(1, d // 2, d, hw, hw)[0]
        assert basic == 14 * d * d * hw * hw
        bott = (conv_cost(1, 2 * d, d, hw, hw)[0] + conv_cost(3, d, d, hw, hw)[0]
                + conv_cost(1, d, 4 * d, hw, hw)[0] + conv_cost(1, 2 * d, 4 * d, hw, hw)[0])
        assert bott == 23 * d * d * hw * hw
        assert bott > 17 * d * d * hw * hw  # downsampling bottlenecks cost more, not less
    first = conv_cost(1, 64, 64, 56, 56)[0] + conv_cost(3, 64, 64, 56, 56)[0] + 2 * conv_cost(1, 64, 256, 56, 56)[0]
    assert first == 18 * 64 * 64 * 56 * 56
    # the rule of the chapter (billions) reproduces the layer-by-layer totals
    for blocks, bottleneck in [([2, 2, 2, 2], False), ([3, 4, 6, 3], False), ([3, 4, 6, 3], True),
                               ([3, 4, 23, 3], True), ([3, 8, 36, 3], True)]:
        B = sum(blocks)
        if bottleneck:
            rule = 0.118 + 0.2184 * B + 0.0128 + 3 * 0.0771 + 0.0020
        else:
            rule = 0.118 + 0.2312 * B - 3 * 0.0514 + 0.0005
        exact = resnet_macs(blocks, bottleneck) / 1e9
        assert abs(rule - exact) < 0.005, (blocks, bottleneck, rule, exact)
    # ignoring the first blocks undercounts ResNet-50 by about a quarter of a billion
    assert resnet_macs([3, 4, 6, 3], True) / 1e9 - (0.12 + 0.22 * 16) > 0.2
