//! Integration tests of the Diia simulator: every route and error body pinned with insta,
//! share-code properties, images decoded with rxing, scripted customers, deliveries to a real
//! receiver (barcode and deeplink layouts), persistence and fifty concurrent clerks.

mod support;

mod clerks;
mod codes;
mod deeplink;
mod delivery;
mod pdf;
mod routes;
mod state_file;
