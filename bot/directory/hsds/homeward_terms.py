"""How Homeward's own fields travel inside HSDS 3.0, both ways.

HSDS has no place for Spanish twins, "accepts records", who a service is for or
search keywords, and its ids are UUIDs. Its extension point is the attribute: a
value linked to a term of a named taxonomy. The exporter writes our fields as
attributes of two taxonomies named here, and the importer reads them back, so
an export imported again gives the same directory. Ids are UUIDs derived from
ours (stable from one export to the next); our own id rides along.
"""

from __future__ import annotations

import uuid

CATEGORY_TAXONOMY = "Homeward categories"
FIELD_TAXONOMY = "Homeward directory fields"
ID_SCHEME = "homeward"  # organization_identifiers / location external_identifier_type
_NAMESPACE = uuid.UUID("5d0c1f64-1c4e-4b53-9a55-3f1f4ad0c0e1")

# Service fields carried as one attribute per item (the others: one per field).
SERVICE_LIST_EXTRAS = ("serves", "what_to_bring_es", "keywords")
HOMEWARD_ID = "id"

FIELD_DESCRIPTIONS = {
    HOMEWARD_ID: "The service's id in the Homeward directory files.",
    "description_es": "Description in Spanish.",
    "eligibility_description_es": "Who can use the service, in Spanish.",
    "fees_description_es": "Costs, in Spanish.",
    "application_process_es": "How to apply, in Spanish.",
    "hours_notes": "Notes on opening hours.",
    "hours_notes_es": "Notes on opening hours, in Spanish.",
    "notes": "Other notes for people who use the service.",
    "notes_es": "Other notes, in Spanish.",
    "accepts_records": "Whether people with conviction records are welcome: yes, "
    "case_by_case, no or unknown.",
    "service_area": "local or national.",
    "serves": "A group the service is for: men, women, families, youth, veterans, "
    "seniors, lgbtq or everyone.",
    "what_to_bring_es": "A document or item to bring, in Spanish.",
    "keywords": "An extra search word or phrase.",
    "fictional": "true when the organization is fictional sample data.",
}


def uid(kind: str, key: str) -> str:
    """A stable UUID for one of our records (``key`` kept when it already is a UUID)."""
    if is_uuid(key):
        return key.lower()
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def is_uuid(value: str) -> bool:
    """True for the canonical 8-4-4-4-12 hex form HSDS 3.0 expects."""
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return str(parsed) == value.lower()
