//! Python bindings (placeholder, filled in by the binding work).
