"""Whom a session votes as: a participant's id, or the facilitator's consensus value.

Pure and tiny, so the app's first frame can use it without loading the models.
"""

CONSENSUS = ""  # a score's participant for the facilitator's consensus value (SPEC section 1)

# `--as facilitator` (when no participant is called so) is the facilitator: not asked.
FACILITATOR = "facilitator"
