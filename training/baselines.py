"""Reference points for the model, scored on the same rows: majority class, TF-IDF + logistic regression, zero-shot."""

import numpy as np
import torch
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from transformers import AutoModel, AutoTokenizer

from geostance import default_base_model
from geostance.model import softmax

from .evaluate import gold_indices

# Written for the zero-shot baseline from LABELS.md; a task or label not listed is described by its own name.
LABEL_DESCRIPTIONS = {
    "stance": {
        "pro-Russia": "This paragraph takes Moscow's side: it repeats Kremlin arguments, blames NATO and the West, "
                      "calls sanctions hypocritical and presents alignment with Russia as the right choice.",
        "pro-West": "This paragraph takes the side of the United States, the European Union and NATO: it supports Ukraine's "
                    "sovereignty, justifies sanctions, welcomes Euro-Atlantic integration and condemns Russian aggression.",
        "balancing": "This paragraph is about hedging between Russia and the West: a country keeps ties with both, abstains, "
                     "pursues a multi-vector policy or strategic autonomy, or the analysis weighs both sides evenly.",
    },
    "sentiment": {
        "negative": "The tone is negative: alarm, condemnation, crisis, loss, threat or failure.",
        "neutral": "The tone is neutral: factual reporting, description or measured analysis.",
        "positive": "The tone is positive: praise, optimism, success or welcomed cooperation.",
    },
}
ZERO_SHOT_SCALE = 20.0  # cosine similarities span a narrow range; scaling spreads the softmax without changing the argmax


def majority(train_examples, schema, tasks, n):
    """Per task, every row gets the training label frequencies, so the prediction is the most frequent label."""
    probs = {}
    for task in tasks:
        _, gold = gold_indices(train_examples, schema, task)
        counts = np.bincount(gold, minlength=len(schema.labels(task))).astype(float)
        probs[task] = np.tile(counts / max(counts.sum(), 1.0), (n, 1))
    return probs


def tfidf_logreg(train_examples, schema, tasks, texts):
    """Per task, a balanced logistic regression on word 1-2-gram TF-IDF features of the training rows."""
    probs = {}
    for task in tasks:
        rows, gold = gold_indices(train_examples, schema, task)
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
        features = vectorizer.fit_transform([train_examples[i].text for i in rows])
        model = LogisticRegression(max_iter=2000, class_weight="balanced").fit(features, gold)
        task_probs = np.zeros((len(texts), len(schema.labels(task))))
        task_probs[:, model.classes_] = model.predict_proba(vectorizer.transform(texts))
        probs[task] = task_probs
    return probs


def embed(texts, encoder_dir, batch_size=32, max_length=256):
    """Unit-length mean-pooled embeddings of `texts` from a Hugging Face encoder (texts truncated to `max_length`)."""
    tokenizer = AutoTokenizer.from_pretrained(str(encoder_dir))
    encoder = AutoModel.from_pretrained(str(encoder_dir)).eval()
    vectors = []
    for start in range(0, len(texts), batch_size):
        batch = tokenizer(texts[start:start + batch_size], padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        with torch.inference_mode():
            hidden = encoder(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        vectors.append(((hidden * mask).sum(1) / mask.sum(1)).numpy())
    matrix = np.concatenate(vectors) if vectors else np.zeros((0, 1))
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(1e-12)


def zero_shot(schema, tasks, texts, encoder_dir=None):
    """Per task, softmax over the cosine similarity between each text and each label's description; no training."""
    encoder_dir = encoder_dir or default_base_model()
    descriptions = {task: [LABEL_DESCRIPTIONS.get(task, {}).get(label, label) for label in schema.labels(task)] for task in tasks}
    flat = [d for task in tasks for d in descriptions[task]]
    vectors = embed(list(texts) + flat, encoder_dir)
    text_vectors, label_vectors = vectors[:len(texts)], vectors[len(texts):]
    probs, start = {}, 0
    for task in tasks:
        k = len(descriptions[task])
        probs[task] = softmax(ZERO_SHOT_SCALE * text_vectors @ label_vectors[start:start + k].T)
        start += k
    return probs


def run_baselines(train_examples, examples, schema, encoder_dir=None):
    """Every baseline's per-task probabilities for `examples`: {name: {task: (n, k) array}}."""
    texts = [ex.text for ex in examples]
    tasks = [t for t in schema.task_names if any(t in ex.labels for ex in examples)]
    trainable = [t for t in tasks if len({ex.labels[t] for ex in train_examples if t in ex.labels}) >= 2]
    return {
        "majority": majority(train_examples, schema, trainable, len(examples)),
        "tfidf-logreg": tfidf_logreg(train_examples, schema, trainable, texts),
        "zero-shot": zero_shot(schema, tasks, texts, encoder_dir),
    }
