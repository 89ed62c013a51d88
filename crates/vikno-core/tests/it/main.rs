//! Integration tests of vikno-core: real SQLite in temp dirs, real HTTP.
