"""Framework of Analysis assessments of a country: editing, review workflow, versions, diff."""
