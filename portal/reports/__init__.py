"""Reports: registered, assessed and recognised candidacies for the learning-society titles
per model and year, for the country, a province, a commune and its villages; rates against
the programme's targets; disaggregations; CSV and XLSX exports; server-side SVG charts.

Figures are read from summary tables (``portal.reports.models``) kept current in the same
transaction as every change of an assessment (``portal.reports.summaries``) and rebuilt by
``flask reports rebuild``."""

import logging

logger = logging.getLogger(__name__)
