"""The intent model: what a customer message asks for, with a calibrated confidence and an
out-of-scope reading.

``model`` (features, classifier, prediction), ``scope`` and ``distance`` (out-of-scope detection),
``calibration`` (temperature, scope head, threshold on held-out rows), ``data`` (training examples
from YAML or CSV), ``artifact`` (training end to end, saving and loading a versioned artifact),
``evaluation`` (scores on labelled examples), ``vectors`` (what the model reads from an embedder),
``vector_cache`` (a disk cache of training vectors) and ``default_model`` (the model trained from
the shipped ``intents.yaml`` when nobody trained one).
"""
