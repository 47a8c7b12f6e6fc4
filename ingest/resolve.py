"""Conservative resolution of undated and short mentions.

A later mention often drops the date ("Chỉ thị số 33/CT-TTg"), the symbol ("Chỉ thị
33", "NQ 25") or both. Because numbers restart every year (state) or term (Party),
such a mention identifies a document only through an earlier, dated mention. As in
eyecite, it resolves only when *exactly one* earlier candidate fits; otherwise it
stays unresolved and keeps a key without a year, so no edge is ever guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.identity import base_key, match_base
from ingest.models import Citation
from ingest.symbols import SymbolParts, parse_symbol

__all__ = ["Resolution", "Resolver"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Outcome of resolving one mention."""

    key: str
    symbol: str | None
    resolved: bool


@dataclass(frozen=True, slots=True)
class _Known:
    key: str  # full key, with "@year" when known
    symbol: str


@dataclass(slots=True)
class Resolver:
    """Earlier citations indexed for lookup; one instance per extraction call.

    Attributes:
        by_base: match base (type-code-insensitive folded symbol) → known documents.
        by_short: (doc type slug, number) → match bases seen with that type and number.
    """

    by_base: dict[str, dict[str, _Known]] = field(default_factory=dict)
    by_short: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, citations: Iterable[Citation]) -> Resolver:
        """A resolver that already knows ``citations`` (e.g. the ``prior`` ones)."""
        r = cls()
        for c in citations:
            r.add(c)
        return r

    def copy(self) -> Resolver:
        """An independent resolver knowing the same documents (in the same order)."""
        return Resolver(
            {b: dict(known) for b, known in self.by_base.items()},
            {k: dict(bases) for k, bases in self.by_short.items()},
        )

    def add(self, citation: Citation) -> None:
        """Record an earlier citation (e.g. from ``prior``) as a candidate."""
        if citation.symbol is None:
            return
        parts = parse_symbol(citation.symbol)
        if parts is not None:
            self.add_known(citation.key, citation.symbol, citation.doc_type, parts)

    def add_known(
        self,
        key: str,
        symbol: str,
        doc_type: str | None,
        parts: SymbolParts,
        base: str | None = None,
    ) -> None:
        """Record a document known by ``key`` as a candidate for later mentions.

        Args:
            key: its identity key (with "@year" when known).
            symbol: its canonical symbol.
            doc_type: its type slug, for short mentions ("Chỉ thị 33").
            parts: its parsed symbol.
            base: its match base when the caller has it (see ``match_base``).
        """
        base = base if base is not None else match_base(parts)
        self.by_base.setdefault(base, {})[key] = _Known(key, symbol)
        if doc_type is not None:
            slot = self.by_short.setdefault((doc_type, parts.number.lower()), {})
            slot[base] = symbol

    def resolve_symbol(self, base: str, fallback_key: str) -> Resolution:
        """Resolve an undated mention whose symbol gives ``base`` (see ``match_base``).

        Args:
            base: the mention's match base.
            fallback_key: the mention's own key without a year.

        Returns:
            The single earlier dated key when exactly one fits, else ``fallback_key``
            with ``resolved=False``.
        """
        dated = {k for k in self.by_base.get(base, {}) if "@" in k}
        if len(dated) == 1:
            key = next(iter(dated))
            return Resolution(key, self.by_base[base][key].symbol, True)
        return Resolution(fallback_key, None, False)

    def resolve_short(
        self, doc_type: str, number: str, year: int | None = None
    ) -> Resolution | None:
        """Resolve a short mention ("Chỉ thị 33", "Nghị định 30/2020") by type and number.

        Args:
            doc_type: type slug named by the short form's type word.
            number: its number, normalised (``ingest.symbols.normalise_number``).
            year: the year written after the number, if any; only documents of that
                year are candidates.

        Returns:
            None when no earlier document fits (then the words are not treated as a
            citation); an unresolved result when several documents or several years fit.
        """
        bases = dict(self.by_short.get((doc_type, number.lower()), {}))
        if year is not None:
            tag = f"@{year}"
            bases = {
                b: sym
                for b, sym in bases.items()
                if any(k.endswith(tag) for k in self.by_base.get(b, {}))
            }
        if not bases:
            return None
        if len(bases) > 1:
            return Resolution(f"SHORT:{doc_type.upper()}:{number.upper()}", None, False)
        base, symbol = next(iter(bases.items()))
        known = self.by_base.get(base, {})
        dated = [k for k in known if "@" in k and (year is None or k.endswith(f"@{year}"))]
        if len(dated) == 1:
            return Resolution(dated[0], symbol, True)
        undated = next((base_key(k) for k in known), base)
        return Resolution(undated, symbol, False)
