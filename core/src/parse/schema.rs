//! JSON Schema validation (drafts 2020-12 and 07): compile once, validate many.
