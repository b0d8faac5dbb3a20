"""How frustrated the customer is: ``detector`` combines a trained linear model (weights in
``model.json``) with plain-word signals read by ``features``."""
