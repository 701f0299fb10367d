"""A small article fixture of our own writing (fictional, constructed for the tests), as parsed JSON.

Tests that import a fixture alter a fresh copy of it, so they depend on no file in
``fixtures/articles/``.
"""

import copy

BODY = (
    "Constructed example, not a real report. The harbour minister, Ana Example, met the board in "
    "Portville on 1 March 2023. She said the talks went well. Nothing else was agreed."
)

_FIXTURE = {
    "article": {
        "slug": "constructed-harbour-talks",
        "title": "Constructed: harbour talks in Portville",
        "publisher": "Constructed Gazette",
        "url": "https://example.org/constructed-harbour-talks",
        "published_on": "2023-03-02",
        "body": BODY,
    },
    "organizations": [
        {"slug": "constructed-harbour-board", "name": "Constructed Harbour Board", "abbreviation": "CHB"}
    ],
    "officials": [
        {
            "slug": "constructed-ana-example",
            "name": "Ana Example",
            "title": "Harbour minister",
            "organization": "constructed-harbour-board",
        }
    ],
    "topics": [{"slug": "constructed-harbours", "name": "Harbours", "description": "Ports.\nAnd docks."}],
    "meetings": [
        {
            "slug": "constructed-harbour-meeting-2023-03-01",
            "title": "Ana Example meets the harbour board",
            "date": "2023-03-01",
            "kind": "other",
            "location": "Pier 4",
            "city": "Portville",
            "summary": "Talks on the harbour.\nNothing agreed.",
            "topics": ["constructed-harbours"],
            "participants": [{"official": "constructed-ana-example", "role": "Harbour minister"}],
        }
    ],
    "statements": [
        {
            "speaker": "constructed-ana-example",
            "meeting": "constructed-harbour-meeting-2023-03-01",
            "kind": "paraphrase",
            "text": "the talks went well",
            "topics": ["constructed-harbours"],
        }
    ],
}


def harbour_fixture() -> dict:
    """A fresh copy of the constructed fixture, to alter."""
    return copy.deepcopy(_FIXTURE)
