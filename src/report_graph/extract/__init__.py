"""Stage 3: Document -> Extraction (every fact with its evidence span); no IRIs, no RDF here.

One module per concern:

- :mod:`.citations`: article citations, instruments and initiatives named;
- :mod:`.recommendations`: modality, addressees and mentioned actors of each recommendation;
- :mod:`.attributed`: recommendations made by States, one sub-item each (UPR reports);
- :mod:`.meeting`: the meeting, its agenda, documents and resolutions;
- :mod:`.participation`: who took part, in which role, and who spoke;
- :mod:`.themes`: themes of recommendations and agenda items, and the articles they imply.
"""
from __future__ import annotations

from .. import lexicon
from ..records import Document, Extraction
from .attributed import attributed_recommendations
from .citations import find_citations, find_instrument_mentions, unresolved_citations
from .meeting import extract_documents, extract_meeting, extract_resolutions
from .participation import extract_participation
from .recommendations import extract_recommendation
from .themes import extract_themes


def extract(document: Document) -> Extraction:
    """Everything report-graph reads from one structured report."""
    series = lexicon.series_of(document.symbol)
    default_protocol = series["instrument"] if series else None
    citations = []
    mentions = []
    unresolved = []
    for paragraph in document.paragraphs:
        citations.extend(find_citations(paragraph, document.language, default_protocol))
        mentions.extend(find_instrument_mentions(paragraph, document.language, default_protocol))
        unresolved.extend(unresolved_citations(paragraph, document.language, default_protocol))
    recommendations = []
    for paragraph in document.paragraphs_of_kind("recommendations"):
        rec = extract_recommendation(paragraph, document.language)
        if rec is not None:
            recommendations.append(rec)
    recommendations.extend(attributed_recommendations(document))
    participations, statements, unresolved_names = extract_participation(document)
    meeting = extract_meeting(document)
    themes, implied = extract_themes(document, recommendations, meeting.agenda if meeting else (),
                                     citations, mentions, default_protocol)
    return Extraction(
        document=document,
        meeting=meeting,
        recommendations=tuple(recommendations),
        citations=tuple(citations),
        mentions=tuple(mentions),
        participations=participations,
        statements=statements,
        documents=extract_documents(document),
        resolutions=extract_resolutions(document),
        unresolved=tuple(unresolved) + tuple(unresolved_names),
        themes=themes,
        implied_articles=implied,
    )
