"""shipspec's generator: specs/ in, generated/ out.

``python -m generator`` runs openapi-python-client per carrier spec, renders our own tables from the specs'
``x-`` extensions with jinja2, and runs datamodel-code-generator on ``specs/shipping.yaml``. Output is
deterministic; a lock file per package lets an unchanged spec be skipped.
"""
