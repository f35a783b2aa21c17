# ruff: noqa: S608 - SQL is assembled from constant fragments; every value is a bound parameter
"""The evidence library: documents in, passages with suggestions out, full-text search.

Originals are kept under ``$ATROCITY_WATCH_HOME/evidence/originals/<sha256>`` and everything read
from them in the library database (see :mod:`atrocity_watch.evidence._sql`). Adding a file is all
or nothing: the text is read, split and tagged before anything is written, and the database rows
and the original appear together or not at all.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from atrocity_watch import config
from atrocity_watch.evidence._errors import (
    DocumentError,
    EvidenceError,
    InvalidQueryError,
    UnknownDocumentError,
)
from atrocity_watch.evidence._extract import extract
from atrocity_watch.evidence._language import UNDETERMINED, detect_languages
from atrocity_watch.evidence._mentions import (
    country_registry,
    date_range,
    detect_countries,
    detect_dates,
)
from atrocity_watch.evidence._model import (
    AddResult,
    Document,
    Judgement,
    Passage,
    SearchHit,
    Suggestion,
)
from atrocity_watch.evidence._passages import split_passages
from atrocity_watch.evidence._sql import Database, open_database, parse_query, search_text

#: How many suggestions are stored per passage.
STORED_SUGGESTIONS = 5
#: A search by indicator or risk factor finds passages where it is among the first suggestions
#: (unless an analyst rejected it) or where an analyst accepted it.
SEARCHED_SUGGESTIONS = 3
MAX_SEARCH_RESULTS = 500


class Suggester(Protocol):
    """Anything that suggests risk factors and indicators for passages."""

    name: str

    def suggest(self, texts: Sequence[str], top_k: int = 3) -> list[list[Suggestion]]:
        """Suggestions for each text, best first."""
        ...


Progress = Callable[[int, int], None]


def _iso3(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    code = value.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise EvidenceError(
            f"The country must be an ISO 3166-1 alpha-3 code such as SYR. Got {value!r} instead."
        )
    get_registry = country_registry()
    if get_registry is None:
        import pycountry

        if pycountry.countries.get(alpha_3=code) is None:
            raise EvidenceError(f"{code} is not an ISO 3166-1 alpha-3 country code.") from None
        return code
    try:
        return str(get_registry().resolve(code, scheme="iso3").iso3)
    except Exception as exc:
        raise EvidenceError(f"{code} is not a known country code ({exc}).") from None


def _csv(values: Sequence[str]) -> str:
    # Leading and trailing commas let "countries LIKE '%,SYR,%'" match whole codes only.
    return "," + ",".join(values) + "," if values else ""


def _uncsv(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split(",") if v)


class EvidenceLibrary:
    """Documents, passages and suggestions, stored in the home folder (or PostgreSQL).

    >>> from atrocity_watch.evidence import EvidenceLibrary
    >>> library = EvidenceLibrary()          # doctest: +SKIP
    >>> result = library.add(Path("report.pdf"), country="SYR")  # doctest: +SKIP
    """

    def __init__(self, url: str | None = None, home: Path | None = None) -> None:
        self.home = home or config.home()
        self.url = (
            url if url is not None else config.env_str("ATROCITY_WATCH_EVIDENCE_DATABASE_URL")
        )
        self.db: Database = open_database(self.url, self.home)
        self.originals = self.home / "evidence" / "originals"

    # --- adding documents ---------------------------------------------------------------------

    def add(
        self,
        path: Path,
        *,
        country: str | None = None,
        source_url: str | None = None,
        title: str | None = None,
        suggester: Suggester | None = None,
        progress: Progress | None = None,
    ) -> AddResult:
        """Add the file at ``path``; a file already in the library (same sha256) is not re-added."""
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise DocumentError(path, "does not exist") from None
        except IsADirectoryError:
            raise DocumentError(path, "is a folder, not a file") from None
        except OSError as exc:
            raise DocumentError(path, f"cannot be read ({exc.strerror})") from None
        return self.add_bytes(
            Path(path).name,
            data,
            country=country,
            source_url=source_url,
            title=title,
            suggester=suggester,
            progress=progress,
        )

    def add_bytes(
        self,
        file_name: str,
        data: bytes,
        *,
        country: str | None = None,
        source_url: str | None = None,
        title: str | None = None,
        suggester: Suggester | None = None,
        progress: Progress | None = None,
    ) -> AddResult:
        """Add a document given as bytes (an upload); see :meth:`add`."""
        country = _iso3(country)
        if source_url is not None and source_url.strip():
            source_url = source_url.strip()
            if not source_url.startswith(("http://", "https://", "file:", "urn:")):
                raise EvidenceError(
                    f"The source address must start with http:// or https://. "
                    f"Got {source_url!r} instead."
                )
        else:
            source_url = None
        sha256 = hashlib.sha256(data).hexdigest()
        existing = self._document_by_sha(sha256)
        if existing is not None:
            return AddResult(existing, created=False)

        # Everything that can fail on the content happens before anything is written.
        extracted = extract(Path(file_name), data)
        pieces = split_passages(extracted.pages)
        texts = [p.text for p in pieces]
        languages = detect_languages(texts)
        document_language = _main_language(texts, languages)
        languages = [document_language if lang == UNDETERMINED else lang for lang in languages]
        countries = [detect_countries(t) for t in texts]
        dates = [detect_dates(t) for t in texts]
        suggestions: list[list[Suggestion]] = [[] for _ in texts]
        method = ""
        if suggester is not None:
            method = suggester.name
            suggestions = []
            for start in range(0, len(texts), 64):
                suggestions.extend(suggester.suggest(texts[start : start + 64], STORED_SUGGESTIONS))
                if progress is not None:
                    progress(min(start + 64, len(texts)), len(texts))
        mentioned = Counter(c for found in countries for c in found)
        all_countries = tuple(c for c, _ in mentioned.most_common())
        added_at = datetime.now(UTC).replace(microsecond=0)

        self.originals.mkdir(parents=True, exist_ok=True)
        final = self.originals / sha256
        handle, temporary = tempfile.mkstemp(dir=self.originals, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            with self.db.transaction() as connection:
                document_id = self.db.insert_id(
                    connection,
                    "INSERT INTO library_document (sha256, file_name, format, title, language, "
                    "country, countries, source_url, page_count, size_bytes, added_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        sha256,
                        file_name,
                        extracted.format.value,
                        (title or extracted.title or None),
                        document_language,
                        country,
                        _csv(all_countries),
                        source_url,
                        len(extracted.pages) if extracted.format.value == "pdf" else None,
                        len(data),
                        added_at.isoformat(),
                    ),
                )
                for piece, language, found, when, suggested in zip(
                    pieces, languages, countries, dates, suggestions, strict=True
                ):
                    span = date_range(when)
                    folded = search_text(piece.text)
                    passage_id = self.db.insert_id(
                        connection,
                        "INSERT INTO library_passage (document_id, position, page, text, "
                        "language, countries, dates, date_from, date_to, search_text) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            document_id,
                            piece.position,
                            piece.page,
                            piece.text,
                            language,
                            _csv(found),
                            _csv(when),
                            span[0].isoformat() if span else None,
                            span[1].isoformat() if span else None,
                            folded,
                        ),
                    )
                    self.db.index_passage(connection, passage_id, folded)
                    self._write_suggestions(connection, passage_id, suggested, method)
                os.replace(temporary, final)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return AddResult(self.document(document_id), created=True)

    def _write_suggestions(
        self, connection: Any, passage_id: int, suggestions: Sequence[Suggestion], method: str
    ) -> None:
        self.db.execute(
            connection, "DELETE FROM library_suggestion WHERE passage_id = ?", (passage_id,)
        )
        for rank, suggestion in enumerate(suggestions[:STORED_SUGGESTIONS], start=1):
            self.db.execute(
                connection,
                "INSERT INTO library_suggestion (passage_id, rank, risk_factor, indicator, "
                "score, method) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    passage_id,
                    rank,
                    suggestion.risk_factor,
                    suggestion.indicator,
                    float(suggestion.score),
                    method,
                ),
            )

    def resuggest(self, suggester: Suggester, progress: Progress | None = None) -> int:
        """Recompute the stored suggestions of every passage (after training a model)."""
        with self.db.transaction() as connection:
            rows = self.db.execute(
                connection, "SELECT id, text FROM library_passage ORDER BY id"
            ).fetchall()
            for start in range(0, len(rows), 64):
                batch = rows[start : start + 64]
                found = suggester.suggest([r[1] for r in batch], STORED_SUGGESTIONS)
                for (passage_id, _), suggestions in zip(batch, found, strict=True):
                    self._write_suggestions(connection, passage_id, suggestions, suggester.name)
                if progress is not None:
                    progress(min(start + 64, len(rows)), len(rows))
        return len(rows)

    def delete_document(self, document_id: int) -> None:
        """Remove a document, its passages, suggestions and judgements, and its original."""
        document = self.document(document_id)
        with self.db.transaction() as connection:
            self.db.unindex_passages(connection, document_id)
            self.db.execute(connection, "DELETE FROM library_document WHERE id = ?", (document_id,))
        original = self.originals / document.sha256
        if original.exists():
            original.unlink()

    # --- reading ------------------------------------------------------------------------------

    _DOCUMENT_COLUMNS = (
        "d.id, d.sha256, d.file_name, d.format, d.title, d.language, d.country, d.countries, "
        "d.source_url, d.page_count, d.size_bytes, d.added_at, "
        "(SELECT COUNT(*) FROM library_passage x WHERE x.document_id = d.id)"
    )

    @staticmethod
    def _document_row(row: Sequence[Any]) -> Document:
        return Document(
            id=int(row[0]),
            sha256=row[1],
            file_name=row[2],
            format=row[3],
            title=row[4],
            language=row[5],
            country=row[6],
            countries=_uncsv(row[7]),
            source_url=row[8],
            page_count=row[9],
            size_bytes=int(row[10]),
            added_at=datetime.fromisoformat(row[11]),
            passage_count=int(row[12]),
        )

    def _document_by_sha(self, sha256: str) -> Document | None:
        with self.db.transaction() as connection:
            row = self.db.execute(
                connection,
                f"SELECT {self._DOCUMENT_COLUMNS} FROM library_document d WHERE d.sha256 = ?",
                (sha256,),
            ).fetchone()
        return None if row is None else self._document_row(row)

    def document(self, document_id: int) -> Document:
        """The document with this id, or :class:`UnknownDocumentError`."""
        with self.db.transaction() as connection:
            row = self.db.execute(
                connection,
                f"SELECT {self._DOCUMENT_COLUMNS} FROM library_document d WHERE d.id = ?",
                (int(document_id),),
            ).fetchone()
        if row is None:
            raise UnknownDocumentError(f"There is no document {document_id} in the library.")
        return self._document_row(row)

    def documents(
        self, *, country: str | None = None, language: str | None = None
    ) -> list[Document]:
        """Every document, newest first, optionally only those about a country or in a language."""
        where, params = ["1 = 1"], []
        if country:
            where.append("(d.country = ? OR d.countries LIKE ?)")
            code = _iso3(country)
            params += [code, f"%,{code},%"]
        if language:
            where.append("d.language = ?")
            params.append(language)
        with self.db.transaction() as connection:
            rows = self.db.execute(
                connection,
                f"SELECT {self._DOCUMENT_COLUMNS} FROM library_document d "
                f"WHERE {' AND '.join(where)} ORDER BY d.added_at DESC, d.id DESC",
                params,
            ).fetchall()
        return [self._document_row(r) for r in rows]

    def original(self, document: Document) -> Path:
        """Where the original file of ``document`` is kept."""
        return self.originals / document.sha256

    def _suggestions_for(self, connection: Any, ids: list[int]) -> dict[int, list[Suggestion]]:
        found: dict[int, list[Suggestion]] = {i: [] for i in ids}
        if not ids:
            return found
        marks = ", ".join("?" for _ in ids)
        rows = self.db.execute(
            connection,
            "SELECT passage_id, risk_factor, indicator, score FROM library_suggestion "
            f"WHERE passage_id IN ({marks}) ORDER BY passage_id, rank",
            ids,
        ).fetchall()
        for passage_id, risk_factor, indicator, score in rows:
            found[int(passage_id)].append(
                Suggestion(int(risk_factor), indicator, min(1.0, max(0.0, float(score))))
            )
        return found

    _PASSAGE_COLUMNS = (
        "p.id, p.document_id, p.position, p.page, p.text, p.language, p.countries, p.dates"
    )

    @staticmethod
    def _passage_row(row: Sequence[Any], suggestions: list[Suggestion]) -> Passage:
        return Passage(
            id=int(row[0]),
            document_id=int(row[1]),
            position=int(row[2]),
            page=row[3],
            text=row[4],
            language=row[5],
            countries=_uncsv(row[6]),
            dates=_uncsv(row[7]),
            suggestions=tuple(suggestions),
        )

    def passages(self, document_id: int) -> list[Passage]:
        """The passages of a document in reading order."""
        self.document(document_id)
        with self.db.transaction() as connection:
            rows = self.db.execute(
                connection,
                f"SELECT {self._PASSAGE_COLUMNS} FROM library_passage p "
                "WHERE p.document_id = ? ORDER BY p.position",
                (int(document_id),),
            ).fetchall()
            suggestions = self._suggestions_for(connection, [int(r[0]) for r in rows])
        return [self._passage_row(r, suggestions[int(r[0])]) for r in rows]

    def passage(self, passage_id: int) -> Passage:
        """The passage with this id, or :class:`UnknownDocumentError`."""
        with self.db.transaction() as connection:
            row = self.db.execute(
                connection,
                f"SELECT {self._PASSAGE_COLUMNS} FROM library_passage p WHERE p.id = ?",
                (int(passage_id),),
            ).fetchone()
            if row is None:
                raise UnknownDocumentError(f"There is no passage {passage_id} in the library.")
            suggestions = self._suggestions_for(connection, [int(row[0])])
        return self._passage_row(row, suggestions[int(row[0])])

    # --- search -------------------------------------------------------------------------------

    def search(
        self,
        query: str = "",
        *,
        country: str | None = None,
        indicator: str | None = None,
        risk_factor: int | None = None,
        language: str | None = None,
        since: date | None = None,
        until: date | None = None,
        document_id: int | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Passages matching ``query`` (all words; "phrases"; prefix*) and the filters.

        ``indicator`` and ``risk_factor`` match passages where it is among the first three
        suggestions and no analyst rejected it, or where an analyst accepted it;
        ``since``/``until`` match passages that mention a date in the period. Results are ranked
        by relevance, or in reading order without a query.
        """
        if not 1 <= limit <= MAX_SEARCH_RESULTS:
            raise InvalidQueryError(
                f"The 'limit' of a search must be from 1 to {MAX_SEARCH_RESULTS}. Got {limit}."
            )
        if since and until and since > until:
            raise InvalidQueryError(f"The period starts ({since}) after it ends ({until}).")
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        order = "d.added_at DESC, p.document_id DESC, p.position"
        order_params: list[Any] = []
        terms = parse_query(query)
        if terms:
            clause, clause_params, rank, _ = self.db.match(terms)
            where.append(clause)
            params += clause_params
            order = rank
            order_params = clause_params
        if country:
            where.append("p.countries LIKE ?")
            params.append(f"%,{_iso3(country)},%")
        if indicator:
            from atrocity_watch.framework import get_framework

            get_framework().indicator(indicator)  # unknown indicator: a clear error
            where.append(
                "((p.id IN (SELECT passage_id FROM library_suggestion WHERE indicator = ? "
                f"AND rank <= {SEARCHED_SUGGESTIONS}) AND p.id NOT IN (SELECT passage_id FROM "
                "library_judgement WHERE indicator = ? AND NOT accepted)) OR "
                "p.id IN (SELECT passage_id FROM library_judgement WHERE indicator = ? "
                "AND accepted))"
            )
            params += [indicator, indicator, indicator]
        if risk_factor is not None:
            from atrocity_watch.framework import get_framework

            get_framework().risk_factor(int(risk_factor))
            where.append(
                "((p.id IN (SELECT passage_id FROM library_suggestion WHERE risk_factor = ? "
                f"AND rank <= {SEARCHED_SUGGESTIONS}) AND p.id NOT IN (SELECT passage_id FROM "
                "library_judgement WHERE risk_factor = ? AND NOT accepted)) OR "
                "p.id IN (SELECT passage_id FROM library_judgement WHERE risk_factor = ? "
                "AND accepted))"
            )
            params += [int(risk_factor)] * 3
        if language:
            where.append("p.language = ?")
            params.append(language)
        if since:
            where.append("p.date_to >= ?")
            params.append(since.isoformat())
        if until:
            where.append("p.date_from <= ?")
            params.append(until.isoformat())
        if document_id is not None:
            where.append("p.document_id = ?")
            params.append(int(document_id))
        statement = (
            f"SELECT {self._PASSAGE_COLUMNS}, {self._DOCUMENT_COLUMNS} "
            "FROM library_passage p JOIN library_document d ON d.id = p.document_id "
            f"WHERE {' AND '.join(where)} ORDER BY {order}, p.id LIMIT {int(limit)}"
        )
        with self.db.transaction() as connection:
            rows = self.db.execute(connection, statement, params + order_params).fetchall()
            suggestions = self._suggestions_for(connection, [int(r[0]) for r in rows])
        hits = []
        for row in rows:
            passage = self._passage_row(row[:8], suggestions[int(row[0])])
            document = self._document_row(row[8:])
            hits.append(SearchHit(passage, document, _snippet(passage.text, terms)))
        return hits

    # --- analysts' judgements -----------------------------------------------------------------

    def record_judgement(
        self,
        passage_id: int,
        *,
        risk_factor: int,
        indicator: str | None,
        accepted: bool,
        reviewer: str,
    ) -> Judgement:
        """Record that an analyst accepted (or relabelled to) or rejected a suggestion.

        These judgements are what :class:`LearnedSuggester` learns from.
        """
        from atrocity_watch.framework import get_framework

        framework = get_framework()
        framework.risk_factor(int(risk_factor))
        if indicator is not None and framework.indicator(indicator).risk_factor != int(risk_factor):
            raise EvidenceError(
                f"Indicator {indicator} does not belong to risk factor {risk_factor}."
            )
        self.passage(passage_id)
        if not reviewer.strip():
            raise EvidenceError("A judgement needs the name of the analyst who made it.")
        decided_at = datetime.now(UTC).replace(microsecond=0)
        with self.db.transaction() as connection:
            self.db.execute(
                connection,
                "INSERT INTO library_judgement (passage_id, risk_factor, indicator, accepted, "
                "reviewer, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    int(passage_id),
                    int(risk_factor),
                    indicator,
                    bool(accepted),
                    reviewer,
                    decided_at.isoformat(),
                ),
            )
        return Judgement(
            int(passage_id), int(risk_factor), indicator, accepted, reviewer, decided_at
        )

    def judgements(self) -> list[tuple[Judgement, str]]:
        """Every judgement with the text of its passage, oldest first."""
        with self.db.transaction() as connection:
            rows = self.db.execute(
                connection,
                "SELECT j.passage_id, j.risk_factor, j.indicator, j.accepted, j.reviewer, "
                "j.decided_at, p.text FROM library_judgement j "
                "JOIN library_passage p ON p.id = j.passage_id ORDER BY j.id",
            ).fetchall()
        return [
            (
                Judgement(
                    int(r[0]), int(r[1]), r[2], bool(r[3]), r[4], datetime.fromisoformat(r[5])
                ),
                r[6],
            )
            for r in rows
        ]


def _main_language(texts: Sequence[str], languages: Sequence[str]) -> str:
    weight: Counter[str] = Counter()
    for text, language in zip(texts, languages, strict=True):
        if language != UNDETERMINED:
            weight[language] += len(text)
    return weight.most_common(1)[0][0] if weight else UNDETERMINED


def _snippet(text: str, terms: Sequence[Any], width: int = 240) -> str:
    """An excerpt around the first matched word, with the words marked by [[ ]]."""
    import re

    folded = search_text(text)
    start = 0
    words = [w for term in terms for w in term.words]
    for word in words:
        found = folded.find(word)
        if found >= 0:
            start = max(0, found - width // 3)
            break
    end = min(len(text), start + width)
    excerpt = text[start:end]
    if words:
        pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
        excerpt = pattern.sub(lambda m: f"[[{m.group(0)}]]", excerpt)
    return ("…" if start > 0 else "") + excerpt + ("…" if end < len(text) else "")
