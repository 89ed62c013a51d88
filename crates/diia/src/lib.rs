//! The Diia partner (acquirer) API: typed client, error kinds, and parsing and opening of Diia's deliveries.
