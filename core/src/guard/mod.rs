//! Guardrails: deterministic checks on text going to a model and coming back. This first part
//! holds the check-digit algorithms the PII scanners validate candidates with, so a number that
//! merely looks like a card or an IBAN is not reported as one.

pub mod checksum;
pub mod unicode;
