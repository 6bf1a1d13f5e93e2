"""A member startup's life after its application (docs/membership.md).

- decisions.py: the moderator's decision, told to the founder by mail.
- links.py: the founder's signed links (update, confirm, erase).
- updates.py: a founder's update becomes a draft revision in the workflow.
- freshness.py: "Fiche vérifiée le", the yearly reminder, stale profiles.
- erasure.py: erasing a founder's personal data (law 09-08).
- mails.py: every mail to a founder, sent by the task worker.
- views.py: the pages the founder's links open.
"""
