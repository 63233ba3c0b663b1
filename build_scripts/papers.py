"""The papers of the book, in their fixed order: the in-repository copy of the table of papers.

Slug, year, title and a one-line contribution (shown on the front page) per paper. The slug names the chapter file (``source/papers/<slug>.md``),
prefixes its equation labels and is its BibTeX key in ``bib/papers.bib``.
"""

from typing import NamedTuple


class Paper(NamedTuple):
    number: int
    slug: str
    year: int
    title: str
    contribution: str


CONTRIBUTIONS: dict[str, str] = {
    "optimal-margin": "Margin maximisation as a quadratic program whose dual solution rests on a few supporting patterns, with kernels for non-linear boundaries.",
    "vae": "A reparameterised, differentiable estimator of the evidence lower bound, trained jointly with an amortised encoder.",
    "adam": "Stochastic optimisation with bias-corrected moving averages of the gradient and of its elementwise square.",
    "gan": "A minimax game between a generator and a discriminator whose optimum, in function space, reproduces the data distribution.",
    "batchnorm": "Normalising each unit over the mini-batch, with a learned scale and shift, so that deep networks train faster.",
    "resnet": "Layers that learn a residual added to an identity shortcut, which makes very deep networks trainable.",
    "transformer": "Sequence transduction with attention alone: scaled dot-product and multi-head attention with positional encodings.",
    "bert": "A bidirectional Transformer encoder pre-trained by masked language modelling, then fine-tuned whole on each task.",
    "double-descent": "Past the interpolation threshold, test risk can fall again as capacity grows: the double-descent curve.",
    "ntk": "In the infinite-width limit, gradient-descent training of a network follows kernel gradient descent with the neural tangent kernel.",
    "uniform-convergence": "Uniform-convergence bounds, even algorithm-dependent ones, can be vacuous in settings where the learned model generalises.",
    "ddpm": "A diffusion model trained with a simplified, reweighted denoising objective tied to denoising score matching.",
    "scaling-laws": "Language-model loss as power laws in parameters, data and compute, and the compute budget allocation they imply.",
    "vit": "An image read as a sequence of patches by a standard Transformer encoder.",
    "lora": "Fine-tuning by trainable low-rank updates added to frozen weight matrices.",
    "chinchilla": "For a fixed compute budget, parameters and training tokens should grow in equal proportion.",
    "flashattention": "Exact attention computed tile by tile with an online softmax, cutting reads and writes of GPU memory.",
    "instructgpt": "Supervised fine-tuning on demonstrations, then reinforcement learning against a learned reward model with a KL penalty.",
    "dpo": "The KL-regularised preference objective solved in closed form and fitted as a classification loss on preference pairs.",
    "mamba": "State-space layers whose parameters depend on the input, computed with a hardware-aware parallel scan.",
    "qtip": "Weight quantisation with trellis-coded quantisers applied after incoherence processing.",
    "kimi-k2": "A mixture-of-experts language model with about a trillion parameters, trained with the MuonClip optimiser.",
    "sam3": "Promptable concept segmentation: detect, segment and track every instance of a concept given by a short noun phrase or image exemplars.",
}

PAPERS: tuple[Paper, ...] = tuple(
    Paper(i, slug, year, title, CONTRIBUTIONS[slug])
    for i, (slug, year, title) in enumerate(
        [
            ("optimal-margin", 1992, "A Training Algorithm for Optimal Margin Classifiers"),
            ("vae", 2013, "Auto-Encoding Variational Bayes"),
            ("adam", 2014, "Adam: A Method for Stochastic Optimization"),
            ("gan", 2014, "Generative Adversarial Nets"),
            ("batchnorm", 2015, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift"),
            ("resnet", 2015, "Deep Residual Learning for Image Recognition"),
            ("transformer", 2017, "Attention Is All You Need"),
            ("bert", 2018, "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"),
            ("double-descent", 2018, "Reconciling modern machine-learning practice and the classical bias-variance trade-off"),
            ("ntk", 2018, "Neural Tangent Kernel: Convergence and Generalization in Neural Networks"),
            ("uniform-convergence", 2019, "Uniform Convergence May Be Unable to Explain Generalization in Deep Learning"),
            ("ddpm", 2020, "Denoising Diffusion Probabilistic Models"),
            ("scaling-laws", 2020, "Scaling Laws for Neural Language Models"),
            ("vit", 2020, "An Image is Worth 16x16 Words: Transformers for Image Recognition at Scale"),
            ("lora", 2021, "LoRA: Low-Rank Adaptation of Large Language Models"),
            ("chinchilla", 2022, "Training Compute-Optimal Large Language Models"),
            ("flashattention", 2022, "FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness"),
            ("instructgpt", 2022, "Training Language Models to Follow Instructions with Human Feedback"),
            ("dpo", 2023, "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"),
            ("mamba", 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"),
            ("qtip", 2024, "QTIP: Quantization with Trellises and Incoherence Processing"),
            ("kimi-k2", 2025, "Kimi K2: Open Agentic Intelligence"),
            ("sam3", 2025, "SAM 3: Segment Anything with Concepts"),
        ],
        start=1,
    )
)

SLUGS: tuple[str, ...] = tuple(p.slug for p in PAPERS)
