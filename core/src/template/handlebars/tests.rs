//! Unit tests of the Handlebars engine.
