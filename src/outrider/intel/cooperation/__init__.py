"""Cooperation in the news: commitments between states in the security field, one record per commitment per
report (`extract_cooperation`), linked across reports (`link_commitments`). Pure: text in, records out."""

from outrider.intel.cooperation.document import extract_cooperation
from outrider.intel.cooperation.linking import link_commitments
from outrider.intel.cooperation.records import FAMILY, KINDS, STAGES, CoopRecord

__all__ = ["FAMILY", "KINDS", "STAGES", "CoopRecord", "extract_cooperation", "link_commitments"]
