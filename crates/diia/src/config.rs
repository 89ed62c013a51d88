//! Client configuration: where Diia is, which credentials to use, timeouts and the retry policy.

use std::time::Duration;

use reqwest::Url;

use crate::error::DiiaError;
use crate::secret::Secret;

/// Production acquirer API host (diia-api.md §9).
pub const PRODUCTION_URL: &str = "https://api2.diia.gov.ua";
/// Acquirer sandbox host (diia-api.md §9).
pub const SANDBOX_URL: &str = "https://api2s.diia.gov.ua";

/// Everything a [`crate::DiiaClient`] needs; secrets are wrapped in [`Secret`], so printing the
/// config with `{:?}` is safe.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// API root, e.g. [`PRODUCTION_URL`]; a path prefix is kept (`http://host/prefix`).
    pub base_url: Url,
    /// The long-lived `acquirer_token`; it goes into the login URL path.
    pub acquirer_token: Secret,
    /// Value sent as `Authorization: Basic <value>` on login, when Diia asks for it
    /// (`auth_acquirer_token`; see [`Secret::basic_from_parts`]). `None` sends no header.
    pub basic_auth: Option<Secret>,
    /// Time allowed to open a TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Time allowed for one HTTP exchange, from sending to the last byte of the answer.
    pub request_timeout: Duration,
    /// When and how often safe calls are repeated.
    pub retry: RetryPolicy,
    /// Assumed session lifetime when the token carries no readable `exp` (Diia: 2 h).
    pub session_lifetime: Duration,
    /// How long before expiry the session is renewed (5 min).
    pub session_refresh_margin: Duration,
    /// `User-Agent` header value.
    pub user_agent: String,
}

impl ClientConfig {
    /// A config with the defaults: 10 s connect, 30 s per request, 3 attempts for safe calls,
    /// 2 h sessions renewed 5 min early, no Basic header.
    pub fn new(base_url: &str, acquirer_token: Secret) -> Result<Self, DiiaError> {
        let base_url = Url::parse(base_url)
            .map_err(|err| DiiaError::Config(format!("base url is not a url: {err}")))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(DiiaError::Config("base url must be an http(s) url".to_owned()));
        }
        if acquirer_token.is_empty() {
            return Err(DiiaError::Config("acquirer token is empty".to_owned()));
        }
        Ok(Self {
            base_url,
            acquirer_token,
            basic_auth: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            session_lifetime: Duration::from_secs(2 * 60 * 60),
            session_refresh_margin: Duration::from_secs(5 * 60),
            user_agent: concat!("vikno-diia/", env!("CARGO_PKG_VERSION")).to_owned(),
        })
    }
}

/// Jittered exponential backoff for calls that are safe to repeat (login, GET, and a 503 on
/// PUT/DELETE). Document requests and identifications are never repeated, whatever this says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts including the first; 1 disables retries.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled each time.
    pub base_delay: Duration,
    /// Upper bound for one delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(3),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// The delay before retry number `retry_idx` (0 = first retry): "equal jitter", i.e. half
    /// the exponential step fixed plus a random half, so clerks hitting a recovering Diia at the
    /// same moment spread out.
    pub fn delay(&self, retry_idx: u32) -> Duration {
        let factor = 1u32.checked_shl(retry_idx.min(16)).unwrap_or(u32::MAX);
        let step = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = step / 2;
        let jitter_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if jitter_nanos == 0 { 0 } else { rand::random_range(0..=jitter_nanos) };
        half + Duration::from_nanos(jitter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_and_stays_within_bounds() {
        let policy = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
        };
        for _ in 0..50 {
            let first = policy.delay(0);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.delay(1);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let capped = policy.delay(10);
            assert!(capped >= Duration::from_millis(175) && capped <= Duration::from_millis(350));
        }
    }

    #[test]
    fn config_rejects_bad_input_without_echoing_the_token() {
        let err = ClientConfig::new("ftp://x", Secret::new("s3cr3t-acq")).unwrap_err();
        assert!(!err.to_string().contains("s3cr3t"));
        assert!(ClientConfig::new("not a url", Secret::new("s3cr3t-acq")).is_err());
        assert!(ClientConfig::new("http://127.0.0.1:1", Secret::new("")).is_err());
        let mut config =
            ClientConfig::new("http://127.0.0.1:1", Secret::new("s3cr3t-acq")).unwrap();
        config.basic_auth = Some(Secret::new("s3cr3t-basic"));
        assert!(!format!("{config:?}").contains("s3cr3t"));
    }
}
