//! End-to-end tests: the real Vikno binary in its real WebKitGTK webview, keyboard only.

use std::time::Duration;

use vikno_e2e::run;

mod scan;

/// Applies to every test: generous, because a cold debug app on two cores is slow to paint.
const UI_TIMEOUT: Duration = Duration::from_secs(15);
