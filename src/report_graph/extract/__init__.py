"""Stage 3: Document -> Extraction (every fact with its evidence span); no IRIs, no RDF here.

One module per concern:

- :mod:`.names`: the known names of a text (instruments, initiatives, organizations, States,
  actor categories) and the citation grammar;
- :mod:`.instrument_names`: names of instruments the reference data do not know;
- :mod:`.citations`: article citations, instruments and initiatives named;
- :mod:`.recommendations`: modality, addressees and mentioned actors of each recommendation;
- :mod:`.cover`: the cover page, title and kind of document, and the meeting facts they state;
- :mod:`.attributed`: recommendations made by States, one sub-item each (UPR reports);
- :mod:`.meeting`: the meeting, its agenda and the documents it names;
- :mod:`.acts`: resolutions and decisions cited by number, with the body that took them;
- :mod:`.participation`: who took part, in which role, and who spoke;
- :mod:`.persons`: the chair and panellists named after a cue, the officers listed by title;
- :mod:`.themes`: themes of recommendations and agenda items, and the articles they imply.
"""
from __future__ import annotations

from .. import lexicon
from ..document import Document
from ..records import Extraction
from .attributed import attributed_recommendations
from .citations import find_citations, find_instrument_mentions, unresolved_citations
from .acts import extract_decisions, extract_resolutions
from .cover import describe, with_cover_facts
from .meeting import extract_documents, extract_meeting
from .participation import extract_participation
from .persons import meeting_persons, with_persons
from .recommendations import paragraph_recommendations
from .themes import extract_themes


def extract(document: Document) -> Extraction:
    """Everything report-graph reads from one structured report (its Document gains its cover,
    title and kind: see :mod:`.cover`)."""
    document = describe(document)
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
        recommendations.extend(paragraph_recommendations(paragraph, document.language))
    recommendations.extend(attributed_recommendations(document))
    persons = meeting_persons(document)  # read once: participations and the meeting's chair
    participations, statements, unresolved_names = extract_participation(document, persons)
    meeting = with_persons(document, with_cover_facts(document, extract_meeting(document)), persons)
    decisions, unresolved_decisions = extract_decisions(document)
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
        unresolved=tuple(unresolved) + tuple(unresolved_names) + unresolved_decisions,
        themes=themes,
        implied_articles=implied,
        decisions=decisions,
    )
