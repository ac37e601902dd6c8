"""The worker: the composition root that runs workflows, activities and mail delivery.

``python -m worker`` (or ``cvt worker``). ``build`` wires the workflows and their activities
(tests use it too); ``mail`` wires mail delivery to the bounce handling of the application
layer; ``main`` runs the process. Scale out by running more of them: Temporal shares the task
queue between workers, and the outbox rows are claimed one worker at a time.
"""
